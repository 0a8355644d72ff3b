import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { signToken } from './issuer.mjs';
import { signTokenPool } from './token-pool.mjs';

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const times = (n, make) => Promise.all(Array.from({ length: n }, (_, i) => make(i)));

/** What the issuer hands out with one key: distinct tokens (verified-token cache misses) and a few repeated ones (hits). */
export async function validTokensFor(issuer, kid, distinct) {
  return {
    distinct: await signTokenPool(issuer, distinct, kid),
    repeated: await times(5, (i) => issuer.sign({ jti: `AT.soak-${kid}-r${i}` }, kid)),
  };
}

/** Tokens valid until `expSeconds`: the cache must stop serving them then, as the verifier would. */
export function expiringTokens(issuer, kid, expSeconds) {
  return times(5, (i) => issuer.sign({ jti: `AT.soak-expiring-${i}`, exp: expSeconds }, kid));
}

/**
 * Tokens that must be refused with 401 whatever the server's keys are: each set stands for a
 * mistake or an attack. `kids` are real key ids, so forgeries look like the real thing but for the signature.
 */
export async function alwaysBadTokens(issuer, kids) {
  const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const now = Math.floor(Date.now() / 1000);
  const claims = (extra = {}) => issuer.claims({ jti: `AT.soak-bad-${randomBytes(6).toString('hex')}`, ...extra });
  const realKid = kids[0];
  return {
    expired: await times(20, () => issuer.sign({ ...claims(), iat: now - 7200, exp: now - 3600 }, realKid)),
    'wrong-audience': await times(20, () => issuer.sign({ ...claims(), aud: 'api://someone-else' }, realKid)),
    // Right kid, wrong key: must fail on the signature, and must not cost a JWKS fetch.
    'forged-known-kid': await times(20, (i) => signToken(claims(), kids[i % kids.length], attacker)),
    // Unknown kid: each may trigger a refetch, which the cooldown must bound.
    'forged-random-kid': await times(200, () => signToken(claims(), `rogue-${randomBytes(8).toString('hex')}`, attacker)),
    garbage: garbageTokens(realKid, issuer.claims()),
  };
}

function garbageTokens(kid, payload) {
  const hs256 = `${b64url({ alg: 'HS256', kid })}.${b64url(payload)}`;
  return [
    'not-a-jwt',
    'a.b.c',
    randomBytes(600).toString('base64url'),
    `${randomBytes(40).toString('base64url')}.${randomBytes(200).toString('base64url')}.${randomBytes(256).toString('base64url')}`,
    // RFC 8725 §2.1: "alg": "none" must never be accepted.
    `${b64url({ alg: 'none', kid })}.${b64url(payload)}.`,
    // Algorithm confusion: HMAC keyed with something public must never pass for RS256.
    `${hs256}.${createHmac('sha256', kid).update(hs256).digest('base64url')}`,
    // An oversized header must be refused before it costs much.
    `${b64url({ alg: 'RS256', kid: 'x'.repeat(4000) })}.${b64url(payload)}.${randomBytes(256).toString('base64url')}`,
    `${b64url({ alg: 'RS256', kid })}.not-base64-json!.sig`,
  ];
}
