import { createHash, generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, JWK, SignJWT } from 'jose';

/** The claims and header of a proof, each of which a test may change or drop (`undefined`). */
export interface ProofOptions {
  htm?: string;
  htu?: string;
  iat?: number;
  jti?: string;
  ath?: string;
  nonce?: string;
  /** Extra or replaced claims. */
  claims?: Record<string, unknown>;
  /** Replaces header members (`typ`, `jwk`, ...). */
  header?: Record<string, unknown>;
}

type ProofAlg = 'RS256' | 'PS256' | 'ES256';

/**
 * A DPoP client key pair, making proofs exactly as okta-auth-js 8 does (lib/oidc/dpop.ts): RS256
 * with a 2048-bit key, header `{alg, typ: "dpop+jwt", jwk: {kty, e, n}}`, claims `{htm, htu, iat,
 * jti, nonce?, ath}`, `jti` 32 random bytes each written as unpadded hex (32 to 64 characters),
 * `ath` base64url(SHA-256(token)) without padding, `htu` the URL as given, query included.
 */
export class DpopKey {
  private constructor(
    readonly alg: ProofAlg,
    readonly privateKey: KeyObject,
    /** The public members okta-auth-js copies into the header. */
    readonly publicJwk: JWK,
    /** RFC 7638 thumbprint: what an issuer puts in `cnf.jkt`. */
    readonly jkt: string,
  ) {}

  static async generate(alg: ProofAlg = 'RS256'): Promise<DpopKey> {
    const { privateKey, publicKey } =
      alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { kty, crv, e, n, x, y } = await exportJWK(publicKey);
    // JSON drops the members a key type does not have, as okta-auth-js's JSON.stringify does.
    const publicJwk = JSON.parse(JSON.stringify({ kty, crv, e, n, x, y })) as JWK;
    return new DpopKey(alg, privateKey, publicJwk, await calculateJwkThumbprint(publicJwk, 'sha256'));
  }

  /** The private JWK (a header carrying it must be refused). */
  async privateJwk(): Promise<JWK> {
    return exportJWK(this.privateKey);
  }

  /** A proof for `method` `url` carrying `accessToken`'s hash; `options` override any member. */
  async proof(method: string, url: string, accessToken: string | undefined, options: ProofOptions = {}): Promise<string> {
    const header = { alg: this.alg, typ: 'dpop+jwt', jwk: this.publicJwk, ...options.header };
    const claims: Record<string, unknown> = {
      htm: method,
      htu: url,
      iat: Math.floor(Date.now() / 1000),
      jti: oktaJti(),
      ...(accessToken === undefined ? {} : { ath: ath(accessToken) }),
      ...pick(options, ['htm', 'htu', 'iat', 'jti', 'ath', 'nonce']),
      ...options.claims,
    };
    const payload = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
    return new SignJWT(payload).setProtectedHeader(header as never).sign(this.privateKey);
  }
}

/** okta-auth-js's cryptoRandomValue(): each byte as hex without zero padding. */
export function oktaJti(): string {
  return [...randomBytes(32)].map((b) => b.toString(16)).join('');
}

/** RFC 9449 §4.2 `ath`. */
export function ath(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url');
}

function pick(options: ProofOptions, keys: (keyof ProofOptions)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in options) out[key] = options[key];
  return out;
}

/** RFC 8017 §9.2 note 1: the DER prefix of a SHA-256 DigestInfo. */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * An RS256 proof for an RSA `jwk` whose public exponent is 1, made without any private key: with
 * e = 1, verification raises the signature to the power 1, so the EMSA-PKCS1-v1_5 encoding of the
 * hash (RFC 8017 §9.2) is itself a valid signature. What a key check must stop.
 */
export function exponentOneProof(jwk: { n: string }, claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'RS256', typ: 'dpop+jwt', jwk })}.${part(claims)}`;
  const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, createHash('sha256').update(input).digest()]);
  const length = Buffer.from(jwk.n, 'base64url').length;
  const encoded = Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(length - digestInfo.length - 3, 0xff), Buffer.from([0]), digestInfo]);
  return `${input}.${encoded.toString('base64url')}`;
}
