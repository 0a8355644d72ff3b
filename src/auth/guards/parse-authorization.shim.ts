// TEMPORARY: stands in for contract 1 (`src/auth/credentials/`, branch harden-header) until it
// lands on main; removed at that merge. Same signature and meaning.
import { AuthScheme, InvalidTokenError } from '../errors/bearer-token.error';

export type { AuthScheme };
export interface Credentials {
  readonly scheme: AuthScheme;
  readonly token: string;
}

/** Where the guard leaves the parsed credentials on the request (read by passport-jwt and the error filter). */
export const CREDENTIALS = Symbol('credentials');
export interface RequestWithCredentials {
  [CREDENTIALS]?: Credentials;
}

const AUTHORIZATION = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** undefined when there is no Authorization header or its scheme is neither Bearer nor DPoP; throws when malformed. */
export function parseAuthorization(header: string | string[] | undefined): Credentials | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw new InvalidTokenError('malformed', { cause: 'more than one Authorization header' });
  if (/^(Bearer|DPoP) *$/i.test(header)) return undefined;
  const match = AUTHORIZATION.exec(header);
  if (match) return { scheme: match[1].toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer', token: match[2] };
  if (/^(Bearer|DPoP)(\s|$)/i.test(header)) throw new InvalidTokenError('malformed', { cause: 'malformed Authorization header' });
  return undefined;
}
