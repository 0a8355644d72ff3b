import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';

/**
 * Loads the signing key and cookie secret, creating them on first start. Kept on disk so a restart
 * keeps issued tokens valid, and so a resource server that cached a `kid` never meets a different
 * key under the same `kid` (the `kid` is random per key, never a counter).
 */
export async function loadOrCreateKeys(file) {
  const existing = readKeys(file);
  if (existing) return existing;

  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: randomBytes(12).toString('base64url'), alg: 'RS256', use: 'sig' };
  const keys = { jwks: { keys: [jwk] }, cookieKeys: [randomBytes(32).toString('base64url')] };

  mkdirSync(dirname(file), { recursive: true });
  try {
    // 'wx': when two processes start at once, the first writer wins and the other reads its keys.
    writeFileSync(file, JSON.stringify(keys, null, 2), { flag: 'wx', mode: 0o600 });
    return keys;
  } catch (err) {
    if (err.code !== 'EEXIST') throw err;
    return readKeys(file);
  }
}

function readKeys(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  }
  const keys = JSON.parse(text);
  if (!Array.isArray(keys?.jwks?.keys) || !Array.isArray(keys.cookieKeys)) {
    throw new Error(`${file} is not a dev issuer key file; delete it to generate new keys`);
  }
  return keys;
}
