import { generateKeyPairSync, hash, KeyObject, randomUUID } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import { loadAppConfig } from '../../config/load-app-config';
import { DpopNonces } from './dpop-nonces';
import { DpopProofVerifier } from './dpop-proof.verifier';
import { ProofKeys } from './proof-keys';
import { RequestUri } from './request-uri';

const BASE = 'https://api.example.com';
const TOKEN = 'access-token';
const REQUEST = { method: 'GET', url: '/api/messages', accessToken: TOKEN };

/** A proof for REQUEST, signed by `signer`, whose header names `named`'s public key. */
async function proof(signer: KeyObject, named: KeyObject = signer): Promise<string> {
  const { kty, crv, x, y } = await exportJWK(named);
  return new SignJWT({ htm: 'GET', htu: `${BASE}/api/messages`, jti: randomUUID(), ath: hash('sha256', TOKEN, 'base64url') })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty, crv, x, y } })
    .setIssuedAt()
    .sign(signer);
}
const ecKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('DpopProofVerifier and its proof-key cache', () => {
  let keys: ProofKeys;
  let verifier: DpopProofVerifier;

  beforeEach(() => {
    const config = loadAppConfig({ OKTA_ISSUER: 'https://example.okta.com/oauth2/default', PUBLIC_BASE_URL: BASE }, () => ({}));
    keys = new ProofKeys(config);
    verifier = new DpopProofVerifier(config, keys, new RequestUri(config), new DpopNonces(config));
  });

  it('keeps no key of a proof whose signature does not verify, so forged headers cannot fill the cache', async () => {
    for (let i = 0; i < 20; i++) {
      // Each names a new key it was not signed with: a distinct header every time.
      const forged = await proof(ecKey().privateKey, ecKey().publicKey);
      await expect(verifier.verify(forged, REQUEST)).rejects.toMatchObject({ reason: 'dpop_bad_signature' });
    }
    expect(keys.size).toBe(0);
  });

  it("keeps a client's key once its proof verified: its next proofs reuse the imported key", async () => {
    const client = ecKey().privateKey;
    const first = await proof(client);
    await verifier.verify(first, REQUEST);
    expect(keys.size).toBe(1);
    const held = await keys.of(first);
    await verifier.verify(await proof(client), REQUEST);
    expect(keys.size).toBe(1);
    expect(await keys.of(await proof(client))).toBe(held);
  });

  it("a flood of forged headers, more than the cache holds, does not evict a verified client's key", async () => {
    const client = ecKey().privateKey;
    const first = await proof(client);
    await verifier.verify(first, REQUEST);
    const held = await keys.of(first);
    const named = ecKey().privateKey;
    for (let i = 0; i < 1001; i++) {
      // Signed by one key, each header naming another: a bad signature for a new header every time.
      const forged = await proof(named, ecKey().publicKey);
      await expect(verifier.verify(forged, REQUEST)).rejects.toMatchObject({ reason: 'dpop_bad_signature' });
    }
    expect(await keys.of(await proof(client))).toBe(held);
  });
});
