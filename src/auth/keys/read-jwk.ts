import { createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';
import { keyFitsAlgorithm } from '../validation/key-fits-algorithm';
import type { SigningKey } from './signing-key-store';

/** RFC 7518 §3.3: RSA keys below 2048 bits must not be used. */
const MIN_RSA_BITS = 2048;
/** OpenSSL refuses to verify with a larger modulus (OPENSSL_RSA_MAX_MODULUS_BITS): such a key fails every token. */
const MAX_RSA_BITS = 16384;

/** A JWK of the set, read: the key to use, or why it is skipped (for the log). */
export type ReadJwk = { readonly key: SigningKey } | { readonly skipped: string };

/** A JWK read as a public key: the key, or why no signature may be verified with it (for the log). */
export type PublicJwk = { readonly key: KeyObject } | { readonly refused: string };

/** RFC 7518 §6.3.2 and §6.2.2: the members of an RSA or EC private key; any one of them leaks it. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'] as const;

/**
 * Reads one member of a JWK Set as a signature-verification key, or says why it cannot be one.
 *
 * - RFC 7517 §4.2/§4.3: `use` other than `sig`, or `key_ops` without `verify`, is not for us.
 * - `kid` is kept exactly: `""` is a kid (RFC 7517 §4.5 says nothing makes it special), absent is none.
 * - The key itself must pass readPublicJwk's checks.
 * - The key must fit at least one of the configured algorithms, or it could never verify a token.
 */
export function readJwk(jwk: unknown, algorithms: readonly string[]): ReadJwk {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return { skipped: 'not a JSON object' };
  const { kid, use, key_ops: keyOps, alg } = jwk as Record<string, unknown>;
  if (kid !== undefined && typeof kid !== 'string') return { skipped: '"kid" is not a string' };
  if (alg !== undefined && typeof alg !== 'string') return { skipped: '"alg" is not a string' };
  if (use !== undefined && use !== 'sig') return { skipped: `"use" is ${JSON.stringify(use)}, not "sig"` };
  if (keyOps !== undefined && !(Array.isArray(keyOps) && keyOps.includes('verify'))) {
    return { skipped: '"key_ops" does not include "verify"' };
  }
  const read = readPublicJwk(jwk);
  if ('refused' in read) return { skipped: read.refused };

  const signingKey: SigningKey = { key: read.key, alg, kid };
  if (!algorithms.some((a) => keyFitsAlgorithm(a, signingKey))) {
    return { skipped: `it fits none of the accepted algorithms (OKTA_ALGORITHMS: ${algorithms.join(', ')})` };
  }
  return { key: signingKey };
}

/**
 * The safety checks of every JWK a signature is verified with, wherever it comes from: a member of
 * the issuer's JWK Set (readJwk) or a DPoP proof's `jwk` header (RFC 9449 §4.2, ProofKeys).
 *
 * - Only RSA and EC public keys; a JWK carrying any private member (`d`, or RSA's `p`, `q`, ...) is a
 *   leak, not a key.
 * - Conversion is node:crypto's own JWK import of the public members only, which already refuses an
 *   EC point that is not on its named curve. It accepts any RSA exponent and size, so those are
 *   checked here: an exponent of 1 makes "signature" = padded hash, verifiable with no private key;
 *   an even one or an even modulus is not RSA at all (an even modulus factors at once); under 2048
 *   bits is too weak (RFC 7518 §3.3), over 16384 OpenSSL will not verify with.
 * @returns the public KeyObject, or `refused` saying why (safe to log: no key material).
 */
export function readPublicJwk(jwk: unknown): PublicJwk {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return { refused: 'not a JSON object' };
  const members = jwk as Record<string, unknown>;
  const { kty } = members;
  if (kty !== 'RSA' && kty !== 'EC') return { refused: `"kty" ${JSON.stringify(kty)} is not RSA or EC` };
  const leaked = PRIVATE_MEMBERS.find((name) => members[name] !== undefined);
  if (leaked) return { refused: `it holds private key material ("${leaked}"); only the public key belongs in it` };

  let key: KeyObject;
  try {
    key = createPublicKey({ key: publicMembers(members) as JsonWebKey, format: 'jwk' });
  } catch (err) {
    return { refused: `not a valid ${kty} public key (${(err as Error).message})` };
  }
  const unsafe = kty === 'RSA' ? unsafeRsa(key, members.n as string) : undefined;
  return unsafe ? { refused: unsafe } : { key };
}

/** Only what defines the public key: nothing else in the member can change how it is imported. */
function publicMembers({ kty, n, e, crv, x, y }: Record<string, unknown>): Record<string, unknown> {
  return kty === 'RSA' ? { kty, n, e } : { kty, crv, x, y };
}

/** RFC 8017 §3.1: n odd (a product of two odd primes), 3 <= e, e odd; plus the sizes above. */
function unsafeRsa(key: KeyObject, n: string): string | undefined {
  const { modulusLength = 0, publicExponent = 0n } = key.asymmetricKeyDetails ?? {};
  if (publicExponent < 3n || publicExponent % 2n === 0n) {
    return `unsafe RSA public exponent ${publicExponent} (must be odd and at least 3, normally 65537)`;
  }
  if (modulusLength < MIN_RSA_BITS) return `RSA modulus of ${modulusLength} bits (at least ${MIN_RSA_BITS} required)`;
  if (modulusLength > MAX_RSA_BITS) return `RSA modulus of ${modulusLength} bits (at most ${MAX_RSA_BITS} usable)`;
  const modulus = Buffer.from(n, 'base64url');
  if ((modulus[modulus.length - 1] & 1) === 0) return 'unsafe RSA modulus (even)';
  return undefined;
}
