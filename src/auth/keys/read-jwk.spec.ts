import { generateKeyPairSync, JsonWebKey } from 'node:crypto';
import { readJwk } from './read-jwk';

const rsa = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }), kid: 'r', use: 'sig' };
const ec = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }), kid: 'e' };
const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
const withLastByte = (n: string, change: (b: number) => number) => {
  const bytes = Buffer.from(n, 'base64url');
  bytes[bytes.length - 1] = change(bytes[bytes.length - 1]);
  return bytes.toString('base64url');
};
const skipped = (jwk: unknown, algorithms = ['RS256', 'ES256']) => {
  const read = readJwk(jwk, algorithms);
  return 'skipped' in read ? read.skipped : undefined;
};

describe('readJwk', () => {
  it('reads RSA and EC public keys, keeping kid and alg exactly', () => {
    expect(readJwk(rsa, ['RS256'])).toEqual({ key: expect.objectContaining({ kid: 'r', alg: undefined }) });
    expect(readJwk({ ...rsa, kid: '', alg: 'RS256' }, ['RS256'])).toEqual({ key: expect.objectContaining({ kid: '', alg: 'RS256' }) });
    expect(readJwk({ ...ec, kid: undefined }, ['ES256'])).toEqual({ key: expect.objectContaining({ kid: undefined }) });
  });

  it.each<[string, JsonWebKey | unknown, RegExp]>([
    ['exponent 1', { ...rsa, e: 'AQ' }, /public exponent 1 /],
    ['an even exponent', { ...rsa, e: 'AQAA' }, /public exponent 65536 /],
    ['exponent 0', { ...rsa, e: 'AA' }, /public exponent 0 /],
    ['an even modulus', { ...rsa, n: withLastByte(rsa.n!, (b) => b & 0xfe) }, /modulus \(even\)/],
    ['a 1024-bit modulus', small, /1024 bits/],
    ['an EC point off its curve', { ...ec, y: ec.x }, /not a valid EC public key/],
    ['private key material', { ...rsa, d: 'AQAB' }, /private key material/],
    ['a prime factor without d', { ...rsa, p: 'AQAB' }, /private key material \("p"\)/],
    ['"use":"enc"', { ...rsa, use: 'enc' }, /"use" is "enc"/],
    ['key_ops without verify', { ...rsa, key_ops: ['encrypt'] }, /key_ops/],
    ['a symmetric key', { kty: 'oct', k: 'c2VjcmV0' }, /"kty" "oct"/],
    ['a kid that is not a string', { ...rsa, kid: 7 }, /"kid" is not a string/],
    ['an encryption alg', { ...rsa, alg: 'RSA-OAEP' }, /fits none of the accepted algorithms/],
    ['a key type no accepted algorithm uses', ec, /fits none of the accepted algorithms \(OKTA_ALGORITHMS: RS256\)/],
    ['not an object', 'AQAB', /not a JSON object/],
  ])('skips %s, saying why', (_, jwk, why) => {
    expect(skipped(jwk, (jwk as { kty?: string }) === ec ? ['RS256'] : ['RS256', 'ES256'])).toMatch(why);
  });
});
