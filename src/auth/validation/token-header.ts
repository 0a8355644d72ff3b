import { InvalidTokenError } from '../errors/bearer-token.error';

export interface TokenHeader {
  alg: string;
  kid?: string;
  typ?: string;
  crit?: unknown;
}

/** Headers of an Okta access token are ~80 bytes; anything far larger is not worth parsing. */
const MAX_HEADER_LENGTH = 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Decodes the protected header of a compact JWS without trusting it: only to pick the key and to
 * refuse early what must never be verified. `jku`, `x5u`, `jwk` and `x5c` are ignored on purpose:
 * keys come from the configured issuer only (RFC 8725 §3.10).
 */
export function readTokenHeader(token: string): TokenHeader {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot > MAX_HEADER_LENGTH) throw new InvalidTokenError('malformed');
  const encoded = token.slice(0, dot);
  if (!BASE64URL.test(encoded)) throw new InvalidTokenError('malformed');
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidTokenError('malformed');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new InvalidTokenError('malformed');
  }
  const { alg, kid, typ } = header as Record<string, unknown>;
  if (typeof alg !== 'string') throw new InvalidTokenError('malformed');
  if (kid !== undefined && typeof kid !== 'string') throw new InvalidTokenError('malformed');
  if (typ !== undefined && typeof typ !== 'string') throw new InvalidTokenError('malformed');
  return header as TokenHeader;
}

/**
 * `typ` values an access token may carry. RFC 9068 §2.1 says `at+jwt`; Okta sends none. An ID token
 * or other explicitly typed JWT is refused (RFC 8725 §3.11, cross-JWT confusion). RFC 7515 §4.1.9:
 * a value without `/` means the same with `application/` before it, so both spellings are read.
 */
const ACCEPTED_TYPES = new Set(['jwt', 'application/jwt', 'at+jwt', 'application/at+jwt']);

export function checkTokenHeader(header: TokenHeader, algorithms: ReadonlySet<string>): void {
  const context = { kid: header.kid, alg: header.alg };
  if (!algorithms.has(header.alg)) throw new InvalidTokenError('alg_not_allowed', context);
  // RFC 7515 §4.1.11: extensions we do not understand listed as critical make the token invalid.
  if (header.crit !== undefined) throw new InvalidTokenError('unsupported_header', context);
  if (header.typ !== undefined && !ACCEPTED_TYPES.has(header.typ.toLowerCase())) {
    throw new InvalidTokenError('wrong_type', context);
  }
}
