import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { keyFitsAlgorithm } from './key-fits-algorithm';

describe('keyFitsAlgorithm', () => {
  let rsa: KeyObject, rsaPss: KeyObject, p256: KeyObject, p384: KeyObject, ed: KeyObject;
  beforeAll(() => {
    rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    rsaPss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey;
    p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey;
    ed = generateKeyPairSync('ed25519').publicKey;
  });

  it('fits RSA keys to RS* and PS*', () => {
    for (const alg of ['RS256', 'RS384', 'RS512', 'PS256']) expect(keyFitsAlgorithm(alg, { key: rsa })).toBe(true);
    expect(keyFitsAlgorithm('PS256', { key: rsaPss })).toBe(true);
  });
  it('refuses an RSA-PSS key for RS256', () => expect(keyFitsAlgorithm('RS256', { key: rsaPss })).toBe(false));
  it('fits EC keys to their curve only', () => {
    expect(keyFitsAlgorithm('ES256', { key: p256 })).toBe(true);
    expect(keyFitsAlgorithm('ES384', { key: p384 })).toBe(true);
    expect(keyFitsAlgorithm('ES384', { key: p256 })).toBe(false);
    expect(keyFitsAlgorithm('ES256', { key: p384 })).toBe(false);
  });
  it('refuses an EC key for RS256 and an RSA key for ES256', () => {
    expect(keyFitsAlgorithm('RS256', { key: p256 })).toBe(false);
    expect(keyFitsAlgorithm('ES256', { key: rsa })).toBe(false);
  });
  it('refuses HMAC, none and unknown algorithms for any key', () => {
    for (const alg of ['HS256', 'none', 'EdDSA', 'XX256']) expect(keyFitsAlgorithm(alg, { key: rsa })).toBe(false);
    expect(keyFitsAlgorithm('EdDSA', { key: ed })).toBe(false);
  });
  it('holds a key published with an alg to that alg', () => {
    expect(keyFitsAlgorithm('RS256', { key: rsa, alg: 'RS256' })).toBe(true);
    expect(keyFitsAlgorithm('RS384', { key: rsa, alg: 'RS256' })).toBe(false);
    expect(keyFitsAlgorithm('PS256', { key: rsa, alg: 'RS256' })).toBe(false);
  });
});
