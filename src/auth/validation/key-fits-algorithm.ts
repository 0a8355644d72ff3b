import type { SigningKey } from '../keys/signing-key-store';

const EC_CURVES: Record<string, string> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };

/**
 * RFC 8725 §3.1: the key decides the algorithm as much as the token does. A key published with an
 * `alg` is used for that algorithm only, and its type (and curve) must fit the token's `alg`.
 */
export function keyFitsAlgorithm(alg: string, { key, alg: keyAlg }: SigningKey): boolean {
  if (keyAlg !== undefined && keyAlg !== alg) return false;
  const type = key.asymmetricKeyType;
  switch (alg.slice(0, 2)) {
    case 'RS':
      return type === 'rsa';
    case 'PS':
      return type === 'rsa' || type === 'rsa-pss';
    case 'ES':
      return type === 'ec' && key.asymmetricKeyDetails?.namedCurve === EC_CURVES[alg];
    default:
      return false;
  }
}
