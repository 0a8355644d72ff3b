import { createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';
import { keyFitsAlgorithm } from '../validation/key-fits-algorithm';
import type { SigningKey } from './signing-key-store';

/** RFC 7518 §3.3: RSA keys below 2048 bits must not be used. */
const MIN_RSA_BITS = 2048;
/** OpenSSL refuses to verify with a larger modulus (OPENSSL_RSA_MAX_MODULUS_BITS): such a key fails every token. */
const MAX_RSA_BITS = 16384;

/** A JWK of the set, read: the key to use, or why it is skipped (for the log). */
export type ReadJwk = { readonly key: SigningKey } | { readonly skipped: string };

/**
 * Reads one member of a JWK Set as a signature-verification key, or says why it cannot be one.
 *
 * - RFC 7517 §4.2/§4.3: `use` other than `sig`, or `key_ops` without `verify`, is not for us.
 * - Only RSA and EC public keys; a member carrying private material (`d`) is a leak, not a key.
 * - `kid` is kept exactly: `""` is a kid (RFC 7517 §4.5 says nothing makes it special), absent is none.
 * - Conversion is node:crypto's own JWK import, which already refuses an EC point that is not on
 *   its named curve. It accepts any RSA exponent and size, so those are checked here: an exponent
 *   of 1 makes "signature" = padded hash, verifiable with no private key; an even one or an even
 *   modulus is not RSA at all (an even modulus factors at once).
 * - The key must fit at least one of the configured algorithms, or it could never verify a token.
 */
export function readJwk(jwk: unknown, algorithms: readonly string[]): ReadJwk {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return { skipped: 'not a JSON object' };
  const { kid, use, key_ops: keyOps, kty, alg, d } = jwk as Record<string, unknown>;
  if (kid !== undefined && typeof kid !== 'string') return { skipped: '"kid" is not a string' };
  if (alg !== undefined && typeof alg !== 'string') return { skipped: '"alg" is not a string' };
  if (use !== undefined && use !== 'sig') return { skipped: `"use" is ${JSON.stringify(use)}, not "sig"` };
  if (keyOps !== undefined && !(Array.isArray(keyOps) && keyOps.includes('verify'))) {
    return { skipped: '"key_ops" does not include "verify"' };
  }
  if (kty !== 'RSA' && kty !== 'EC') return { skipped: `"kty" ${JSON.stringify(kty)} is not RSA or EC` };
  if (d !== undefined) return { skipped: 'it holds private key material ("d"); publish only the public key' };

  let key: KeyObject;
  try {
    key = createPublicKey({ key: publicMembers(jwk as Record<string, unknown>) as JsonWebKey, format: 'jwk' });
  } catch (err) {
    return { skipped: `not a valid ${kty} public key (${(err as Error).message})` };
  }
  const unsafe = kty === 'RSA' ? unsafeRsa(key, (jwk as { n: string }).n) : undefined;
  if (unsafe) return { skipped: unsafe };

  const signingKey: SigningKey = { key, alg, kid };
  if (!algorithms.some((a) => keyFitsAlgorithm(a, signingKey))) {
    return { skipped: `it fits none of the accepted algorithms (OKTA_ALGORITHMS: ${algorithms.join(', ')})` };
  }
  return { key: signingKey };
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
