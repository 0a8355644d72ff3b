import request from 'supertest';
import { createHmac, createPublicKey, createSign, randomBytes } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { exportJWK } from 'jose';
import { REFUSAL_DESCRIPTIONS } from '../src/auth/errors/refusal-reason';
import { bootApp } from './support/boot-app';
import { expectInvalidRequest, expectInvalidToken, expectMissingToken } from './support/refusals';
import { craftToken, rs256, TestIssuer } from './support/test-issuer';

const hs256 = (secret: string | Buffer) => (input: string) => createHmac('sha256', secret).update(input).digest();

describe('hostile headers and tokens', () => {
  let issuer: TestIssuer;
  /** A second server: where jku/x5u point, and whose key signs the forged tokens. */
  let attacker: TestIssuer;
  let app: NestFastifyApplication;
  let rsaKid: string;
  let ecKid: string;
  const call = (token: string) => request(app.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    attacker = await TestIssuer.start();
    rsaKid = issuer.currentKid;
    // Published beside the RSA key, so a token can name it with an RS256 header.
    ecKid = await issuer.addKey('ec-key', 'ES256');
    await issuer.addKey('rsa-1024', 'RS256', 1024);
    await issuer.addKey('enc-key', 'RS256', 2048, { use: 'enc' });
    await issuer.addKey('ps-key', 'RS256', 2048, { alg: 'PS256' });
    // Okta's issuers sign with RS256; this server allows ES256 too, to prove the key/alg fit matters.
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_ALGORITHMS: 'RS256,ES256' });
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
    await attacker?.close();
  });

  it('still accepts an honest token (the setup is sound)', async () => {
    await call(await issuer.sign({}, { kid: rsaKid })).expect(200);
    await call(await issuer.sign({}, { kid: ecKid })).expect(200);
  });

  describe('algorithms', () => {
    it('refuses alg none', async () => {
      expectInvalidToken(await call(craftToken({ alg: 'none', kid: rsaKid }, issuer.claims())), 'alg_not_allowed');
      expectInvalidToken(await call(craftToken({ alg: 'none' }, issuer.claims()) + 'x'), 'alg_not_allowed');
      expectInvalidToken(await call(craftToken({ alg: 'NONE', kid: rsaKid }, issuer.claims())), 'alg_not_allowed');
    });

    it('refuses HS256 signed with the public key (key confusion)', async () => {
      const publicKey = createPublicKey(issuer.privateKeyOf(rsaKid));
      const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
      const der = publicKey.export({ type: 'spki', format: 'der' });
      for (const secret of [pem, der, JSON.stringify(issuer.publicJwkOf(rsaKid))]) {
        expectInvalidToken(await call(craftToken({ alg: 'HS256', kid: rsaKid }, issuer.claims(), hs256(secret))), 'alg_not_allowed');
      }
    });

    it('refuses a correctly signed token whose alg is not in the allowed list', async () => {
      const rs384 = craftToken({ alg: 'RS384', kid: rsaKid }, issuer.claims(), (input) =>
        createSign('RSA-SHA384').update(input).sign(issuer.privateKeyOf(rsaKid)),
      );
      expectInvalidToken(await call(rs384), 'alg_not_allowed');
    });

    it('refuses an RS256 token whose kid names an EC key', async () => {
      const token = craftToken({ alg: 'RS256', kid: ecKid }, issuer.claims(), rs256(issuer.privateKeyOf(rsaKid)));
      expectInvalidToken(await call(token), 'key_mismatch');
    });

    it('refuses an ES256 token whose kid names an RSA key', async () => {
      const token = craftToken({ alg: 'ES256', kid: rsaKid }, issuer.claims(), () => randomBytes(64));
      expectInvalidToken(await call(token), 'key_mismatch');
    });

    it('holds a key published with alg PS256 to PS256', async () => {
      const token = craftToken({ alg: 'RS256', kid: 'ps-key' }, issuer.claims(), rs256(issuer.privateKeyOf('ps-key')));
      // PS256 is not in OKTA_ALGORITHMS here, so the key is not even held (skipped when the JWKS is read).
      expectInvalidToken(await call(token), 'unknown_kid');
    });

    it('never uses an RSA key under 2048 bits', async () => {
      // jose refuses to sign with it; node:crypto does not.
      const token = craftToken({ alg: 'RS256', kid: 'rsa-1024' }, issuer.claims(), rs256(issuer.privateKeyOf('rsa-1024')));
      expectInvalidToken(await call(token), 'unknown_kid');
    });

    it('never uses a key published for encryption', async () => {
      expectInvalidToken(await call(await issuer.sign({}, { kid: 'enc-key' })), 'unknown_kid');
    });
  });

  describe('key-location headers are ignored (RFC 8725 §3.10)', () => {
    let forgedKid: string;
    beforeAll(async () => {
      forgedKid = await attacker.addKey('attacker-key');
    });
    const attackerRequests = () => attacker.requests.discovery + attacker.requests.jwks + attacker.requests.other;

    it('does not fetch jku or x5u, and refuses tokens signed by the key found there', async () => {
      const before = attackerRequests();
      expectInvalidToken(await call(await attacker.sign({ iss: issuer.issuer }, { header: { jku: attacker.jwksUri } })), 'unknown_kid');
      expectInvalidToken(
        await call(await attacker.sign({ iss: issuer.issuer }, { header: { x5u: `${attacker.origin}/cert.pem` } })),
        'unknown_kid',
      );
      expect(attackerRequests()).toBe(before);
    });

    it('does not trust an embedded jwk, even under a kid the issuer publishes', async () => {
      const jwk = await exportJWK(createPublicKey(attacker.privateKeyOf(forgedKid)));
      const forged = craftToken({ alg: 'RS256', kid: rsaKid, jwk }, issuer.claims(), rs256(attacker.privateKeyOf(forgedKid)));
      expectInvalidToken(await call(forged), 'bad_signature');
      const noKid = craftToken({ alg: 'RS256', jwk }, issuer.claims(), rs256(attacker.privateKeyOf(forgedKid)));
      expectInvalidToken(await call(noKid), 'ambiguous_kid');
    });

    it('accepts an honest token that merely carries such headers', async () => {
      const before = attackerRequests();
      const token = await issuer.sign({}, { kid: rsaKid, header: { jku: attacker.jwksUri, x5u: `${attacker.origin}/x5u` } });
      await call(token).expect(200);
      expect(attackerRequests()).toBe(before);
    });
  });

  describe('other headers', () => {
    it('refuses a crit header', async () => {
      const header = { alg: 'RS256', kid: rsaKid, crit: ['exp'], exp: 1 };
      const token = craftToken(header, issuer.claims(), rs256(issuer.privateKeyOf(rsaKid)));
      expectInvalidToken(await call(token), 'unsupported_header');
    });

    it.each(['at+jwt', 'application/at+jwt', 'JWT', 'application/jwt'])('accepts typ %s', async (typ) => {
      await call(await issuer.sign({}, { kid: rsaKid, header: { typ } })).expect(200);
    });

    it.each(['id_token+jwt', 'JOSE', 'logout+jwt'])('refuses typ %s (not an access token)', async (typ) => {
      expectInvalidToken(await call(await issuer.sign({}, { kid: rsaKid, header: { typ } })), 'wrong_type');
    });

    it("refuses an Okta ID token (no typ, aud = the SPA's client id) sent as an access token", async () => {
      const idToken = await issuer.sign(
        { aud: '0oa-test-spa', cid: undefined, scp: undefined, nonce: 'n-0S6_WzA2Mj', amr: ['pwd'], auth_time: 1, at_hash: 'x' },
        { kid: rsaKid },
      );
      expectInvalidToken(await call(idToken), 'wrong_audience');
    });

    it('refuses an unknown kid', async () => {
      expectInvalidToken(await call(await issuer.sign({}, { kid: rsaKid, header: { kid: 'no-such-kid' } })), 'unknown_kid');
    });

    it('refuses a token without kid when the issuer publishes several keys', async () => {
      expectInvalidToken(await call(await issuer.sign({}, { kid: rsaKid, header: { kid: undefined } })), 'ambiguous_kid');
    });

    it('refuses a tampered payload', async () => {
      const [h, , s] = (await issuer.sign({}, { kid: rsaKid })).split('.');
      const payload = Buffer.from(JSON.stringify(issuer.claims({ sub: 'admin' }))).toString('base64url');
      expectInvalidToken(await call(`${h}.${payload}.${s}`), 'bad_signature');
    });

    it('refuses a signed payload that is not a JSON object', async () => {
      const signer = rs256(issuer.privateKeyOf(rsaKid));
      for (const payload of ['"just a string"', '[1,2]', 'not json']) {
        const res = await call(craftToken({ alg: 'RS256', kid: rsaKid }, payload, signer));
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/error="invalid_token", error_description="the access token is not a well-formed JWT"/);
      }
    });
  });

  describe('garbage never yields a 500, a hang or a crash', () => {
    const header = (h: unknown) => Buffer.from(JSON.stringify(h)).toString('base64url');
    const garbage: Array<[string, string]> = [
      ['one segment', 'abc'],
      ['two segments', 'abc.def'],
      ['four segments', 'a.b.c.d'],
      ['dots only', '...'],
      ['header not JSON', 'bm90IGpzb24.e30.sig'],
      ['header an array', `${header([1])}.e30.sig`],
      ['header null', `${header(null)}.e30.sig`],
      ['alg a number', `${header({ alg: 1 })}.e30.sig`],
      ['kid an object', `${header({ alg: 'RS256', kid: { $ne: 1 } })}.e30.sig`],
      ['kid __proto__', `${header({ alg: 'RS256', kid: '__proto__' })}.e30.sig`],
      ['kid constructor', `${header({ alg: 'RS256', kid: 'constructor' })}.e30.sig`],
      ['header with a 5 KB kid', `${header({ alg: 'RS256', kid: 'k'.repeat(5000) })}.e30.sig`],
      ['an ID-token-looking blob', `eyJ${randomBytes(600).toString('base64url')}`],
    ];

    it.each(garbage)('%s -> 401 invalid_token', async (_, token) => {
      const res = await request(app.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api:\/\/default", error="invalid_token", error_description="[^"]+", resource_metadata="[^"]+"$/);
      expect(Object.keys(res.body).sort()).toEqual(['error', 'message', 'statusCode']);
    });

    it('a huge but well-formed token (10 KB payload) -> 401 malformed, no 500', async () => {
      const token = await issuer.sign({ padding: 'x'.repeat(10_000) }, { kid: rsaKid });
      const forged = token.slice(0, -10) + 'AAAAAAAAAA';
      const res = await call(forged);
      expect(res.status).toBe(401);
      expect(res.body.statusCode).toBe(401);
    });

    it('a token larger than the header limit is refused before the app, which keeps serving', async () => {
      const res = await call('a'.repeat(64 * 1024)).catch((err: { response?: { status: number } }) => err.response);
      expect(res?.status).toBe(431);
      await call(await issuer.sign({}, { kid: rsaKid })).expect(200);
    });

    it('300 randomly mutated tokens -> a clean 401 or 200, never anything else (seeded, bounded)', async () => {
      let seed = 0x2f6b;
      const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
      const pick = <T>(items: readonly T[]): T => items[rand(items.length)];
      const values: unknown[] = [null, true, 0, -1, 1e308, '', 'RS256', 'none', 'HS256', rsaKid, ecKid, [], {}, ['exp'], 'x'.repeat(300)];
      const honest = (await issuer.sign({}, { kid: rsaKid })).split('.');
      const signer = rs256(issuer.privateKeyOf(rsaKid));
      const seen = new Map<string, number>();
      for (let i = 0; i < 300; i++) {
        const head: Record<string, unknown> = { alg: 'RS256', kid: rsaKid };
        for (const field of ['alg', 'kid', 'typ', 'crit', 'jku', 'jwk', 'b64', 'zip']) if (rand(10) === 0) head[field] = pick(values);
        const claims: Record<string, unknown> = issuer.claims();
        for (const claim of ['iss', 'aud', 'exp', 'nbf', 'iat', 'cid', 'scp', 'scope']) if (rand(4) === 0) claims[claim] = pick(values);
        const parts = craftToken(head, claims, rand(4) ? signer : () => randomBytes(rand(300))).split('.');
        if (rand(8) === 0) parts[rand(3)] = pick([honest[0], honest[1], honest[2], '', '-_-_', 'AAAA']);
        const res = await call(parts.join(pick(['.', '.', '.', '..', ''])));
        // Some mutations leave a valid token (e.g. iat: 0); everything else must be a clean 401.
        const expected = res.status === 200 ? ['messages'] : ['error', 'message', 'statusCode'];
        expect([res.status === 200 || res.status === 401, Object.keys(res.body).sort()]).toEqual([true, expected]);
        const outcome = res.status === 200 ? 'accepted' : res.body.message;
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
      }
      // The mutations reach many different checks, not only the first one.
      expect(seen.size).toBeGreaterThanOrEqual(8);
      // Every refusal had a known cause: nothing fell through to the catch-all.
      expect(seen.has(REFUSAL_DESCRIPTIONS.internal)).toBe(false);
    });

    it('odd Authorization values -> 400 or 401, never a 500', async () => {
      // Not one "Bearer <b64token>": the request is malformed (RFC 6750 §3.1); test/authorization-header.e2e-spec.ts has the rest.
      for (const value of ['Bearer', 'Bearer  ', 'Bearer a b c', 'Bearer\ttoken', 'Bearer %%%.e30.sig', 'Bearer \xfc\xe9.\xff.\x80']) {
        expectInvalidRequest(await request(app.getHttpServer()).get('/api/messages').set('Authorization', value));
      }
      // 1*SP: any number of spaces, then a token that is no JWT.
      expectInvalidToken(await call(' '.repeat(1000) + 'x'), 'malformed');
      expectMissingToken(await request(app.getHttpServer()).get('/api/messages').set('Authorization', 'Token abc'));
      expectMissingToken(await request(app.getHttpServer()).get('/api/messages').set('Authorization', 'Digest x'));
    });
  });
});
