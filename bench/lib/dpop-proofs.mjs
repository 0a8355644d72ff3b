import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, importPKCS8, SignJWT } from 'jose';

/**
 * A browser's DPoP key pair as okta-auth-js makes it (RSASSA-PKCS1-v1_5, 2048 bits, RS256), and the
 * `cnf.jkt` an issuer binds tokens to.
 */
export async function createDpopClient() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { kty, e, n } = await exportJWK(publicKey);
  const jwk = { kty, e, n };
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }), jwk, jkt: await calculateJwkThumbprint(jwk) };
}

/**
 * `count` fresh proofs for GET `htu` with `accessToken`, each with its own `jti` (a proof is good for
 * one request), shaped exactly as okta-auth-js's generateDPoPProof: header `{alg, typ, jwk}`, claims
 * `{htm, htu, iat, jti, ath}`, `jti` unpadded hex. Signed on worker threads (~0.3 ms each).
 */
export async function signProofPool({ client, count, htu, accessToken }) {
  const threads = Math.max(1, Math.min(availableParallelism(), 4));
  const per = Math.ceil(count / threads);
  const ath = createHash('sha256').update(accessToken).digest('base64url');
  const chunks = await Promise.all(
    Array.from({ length: threads }, (_, i) => {
      const n = Math.max(0, Math.min(per, count - i * per));
      const worker = new Worker(new URL(import.meta.url), { workerData: { client, htu, ath, n } });
      return new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    }),
  );
  return chunks.flat();
}

if (!isMainThread) {
  const { client, htu, ath, n } = workerData;
  const key = await importPKCS8(client.privateKeyPem, 'RS256');
  const header = { alg: 'RS256', typ: 'dpop+jwt', jwk: client.jwk };
  const iat = Math.floor(Date.now() / 1000);
  const proofs = [];
  for (let i = 0; i < n; i++) {
    const jti = [...randomBytes(32)].map((b) => b.toString(16)).join('');
    proofs.push(await new SignJWT({ htm: 'GET', htu, iat, jti, ath }).setProtectedHeader(header).sign(key));
  }
  parentPort.postMessage(proofs);
}
