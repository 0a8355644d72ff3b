import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { signToken } from './issuer.mjs';

/**
 * Signs `count` distinct valid tokens with key `kid` (the issuer's current one by default), with `claims`
 * added to (or replacing) the issuer's usual ones: a padded claim, a list of scopes. Split over worker threads:
 * one RS256 signature costs ~0.3 ms here, and the distinct-token scenario needs a pool larger than
 * the requests of one run, or a verified-token cache would turn it into a repeated-token run.
 */
export async function signTokenPool(issuer, count, kid = issuer.currentKid, claims = {}) {
  const privateKeyPem = issuer.privateKeyOf(kid).export({ type: 'pkcs8', format: 'pem' });
  const threads = Math.max(1, Math.min(availableParallelism(), 4));
  const per = Math.ceil(count / threads);
  const chunks = await Promise.all(
    Array.from({ length: threads }, (_, i) => {
      const n = Math.max(0, Math.min(per, count - i * per));
      const base = issuer.claims(claims);
      const worker = new Worker(new URL(import.meta.url), { workerData: { kid, privateKeyPem, base, first: i * per, n } });
      return new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    }),
  );
  return chunks.flat();
}

if (!isMainThread) {
  const { createPrivateKey } = await import('node:crypto');
  const { kid, privateKeyPem, base, first, n } = workerData;
  const key = createPrivateKey(privateKeyPem);
  const tokens = [];
  // A distinct jti makes every token (and so every cache key) unique, as real tokens are.
  for (let i = 0; i < n; i++) tokens.push(await signToken({ ...base, jti: `AT.${kid}-${first + i}` }, kid, key));
  parentPort.postMessage(tokens);
}
