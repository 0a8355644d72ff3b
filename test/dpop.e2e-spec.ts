import request from 'supertest';
import { OktaAuth, WWWAuthError } from '@okta/okta-auth-js';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHmac } from 'node:crypto';
import { REFUSAL_DESCRIPTIONS, RefusalReason } from '../src/auth/errors/refusal-reason';
import { bootApp } from './support/boot-app';
import { calculateJwkThumbprint, JWK } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { ath, DpopKey, exponentOneProof, oktaJti } from './support/dpop-proof';
import { sample } from './support/prometheus-text';
import { craftToken, TestIssuer } from './support/test-issuer';

/** Where clients reach the API (a proxy in front); the test connects to 127.0.0.1 directly. */
const BASE = 'https://api.example.test';
const MESSAGES = `${BASE}/api/messages`;
const METADATA = `${BASE}/.well-known/oauth-protected-resource`;
const ALGS = 'ES256 RS256 PS256';
const MAX_AGE = 60;
const TOLERANCE = 30;

type Response = request.Response;

/** RFC 9449 §7.1: 401, only a DPoP challenge, the reason's description, a small JSON body. */
function expectDpopRefusal(res: Response, reason: RefusalReason, error = 'invalid_dpop_proof'): void {
  const description = REFUSAL_DESCRIPTIONS[reason];
  expect({ status: res.status, challenge: res.headers['www-authenticate'], body: res.body }).toEqual({
    status: 401,
    challenge: `DPoP algs="${ALGS}", error="${error}", error_description="${description}", resource_metadata="${METADATA}"`,
    body: { statusCode: 401, error: 'Unauthorized', message: description },
  });
}

/** The base64url modulus `n` with its lowest bit cleared: even, so not an RSA modulus. */
function evenModulus(n: string): string {
  const bytes = Buffer.from(n, 'base64url');
  bytes[bytes.length - 1] &= 0xfe;
  return bytes.toString('base64url');
}

/** A malformed Authorization header (RFC 6750 §3.1) answered with `challenge`'s scheme and first auth-param. */
function expectMalformedHeader(res: Response, challenge: string): void {
  const description = REFUSAL_DESCRIPTIONS.malformed_header;
  expect({ status: res.status, challenge: res.headers['www-authenticate'], body: res.body }).toEqual({
    status: 400,
    challenge: `${challenge}, error="invalid_request", error_description="${description}", resource_metadata="${METADATA}"`,
    body: { statusCode: 400, error: 'Bad Request', message: description },
  });
}

describe('DPoP (RFC 9449)', () => {
  let issuer: TestIssuer;
  let key: DpopKey;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    key = await DpopKey.generate();
  });
  afterAll(async () => {
    await issuer?.close();
  });

  /** An Okta-shaped access token bound to `bound` (cnf.jkt). */
  const boundToken = (bound: DpopKey = key, claims: Record<string, unknown> = {}) =>
    issuer.sign({ cnf: { jkt: bound.jkt }, ...claims });

  describe('OKTA_DPOP=allowed (default), PUBLIC_BASE_URL behind a proxy', () => {
    let app: NestFastifyApplication;
    const get = (path = '/api/messages') => request(app.getHttpServer()).get(path);
    /** A DPoP request to `path` with `proof`. */
    const dpopGet = (token: string, proof: string, path = '/api/messages') =>
      get(path).set('Authorization', `DPoP ${token}`).set('DPoP', proof);
    /** A fresh, valid proof for GET /api/messages. */
    const fresh = (token: string) => key.proof('GET', MESSAGES, token);

    beforeAll(async () => {
      app = await bootApp({ OKTA_ISSUER: issuer.issuer, PUBLIC_BASE_URL: BASE });
    });
    afterAll(async () => {
      await app?.close();
    });

    describe('what must pass', () => {
      it('accepts a proof shaped exactly as okta-auth-js makes it: RS256, jwk {kty,e,n}, unpadded hex jti', async () => {
        const token = await boundToken();
        const proof = await key.proof('GET', MESSAGES, token);
        const [header, payload] = proof.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
        expect(header).toEqual({ alg: 'RS256', typ: 'dpop+jwt', jwk: { kty: 'RSA', e: 'AQAB', n: expect.any(String) } });
        expect(Object.keys(payload)).toEqual(['htm', 'htu', 'iat', 'jti', 'ath']);
        expect(payload.jti).toMatch(/^[0-9a-f]{32,64}$/);
        const res = await dpopGet(token, proof).expect(200);
        expect(res.body.messages).toHaveLength(2);
      });

      it('accepts jti values of any length okta-auth-js produces (32 to 64 hex digits)', async () => {
        const token = await boundToken();
        for (const jti of ['0'.repeat(32), 'f'.repeat(64), 'a1b2c3'.repeat(7)]) {
          await dpopGet(token, await key.proof('GET', MESSAGES, token, { jti })).expect(200);
        }
      });

      it('accepts htu carrying the request query, and ignores query and fragment on both sides', async () => {
        const token = await boundToken();
        await dpopGet(token, await key.proof('GET', `${MESSAGES}?page=2`, token), '/api/messages?page=2').expect(200);
        await dpopGet(token, await key.proof('GET', MESSAGES, token), '/api/messages?page=2').expect(200);
        await dpopGet(token, await key.proof('GET', `${MESSAGES}?other=1#frag`, token), '/api/messages?page=2').expect(200);
      });

      it('compares htu after URL normalisation: scheme and host case, default port', async () => {
        const token = await boundToken();
        await dpopGet(token, await key.proof('GET', 'HTTPS://API.Example.TEST:443/api/messages', token)).expect(200);
      });

      it.each(['ES256', 'PS256'] as const)('accepts %s proofs', async (alg) => {
        const other = await DpopKey.generate(alg);
        const proof = async (token: string) =>
          alg === 'PS256'
            ? other.proof('GET', MESSAGES, token, { header: { alg: 'PS256' } })
            : other.proof('GET', MESSAGES, token);
        const token = await boundToken(other);
        await dpopGet(token, await proof(token)).expect(200);
      });

      it('accepts the scheme in any case, and HEAD with htm HEAD', async () => {
        const token = await boundToken();
        await get()
          .set('Authorization', `dpop ${token}`)
          .set('DPoP', await key.proof('GET', MESSAGES, token))
          .expect(200);
        await request(app.getHttpServer())
          .head('/api/messages')
          .set('Authorization', `DPoP ${token}`)
          .set('DPoP', await key.proof('HEAD', MESSAGES, token))
          .expect(200);
      });

      it('checks the proof on every request while the token is served from the verified-token cache', async () => {
        const token = await boundToken();
        for (let i = 0; i < 3; i++) await dpopGet(token, await fresh(token)).expect(200);
        // The token is cached now (admitted on its second verification); a bad proof still fails.
        expectDpopRefusal(await dpopGet(token, await key.proof('POST', MESSAGES, token)), 'dpop_htm_mismatch');
        const proof = await key.proof('GET', MESSAGES, token);
        await dpopGet(token, proof).expect(200);
        expectDpopRefusal(await dpopGet(token, proof), 'dpop_replay');
      });
    });

    describe('each proof check fails alone', () => {
      let token: string;
      beforeAll(async () => {
        token = await boundToken();
      });
      const now = () => Math.floor(Date.now() / 1000);

      it('no DPoP header', async () => {
        expectDpopRefusal(await get().set('Authorization', `DPoP ${token}`), 'dpop_missing_proof');
      });

      it('two DPoP headers', async () => {
        const [a, b] = [await key.proof('GET', MESSAGES, token), await key.proof('GET', MESSAGES, token)];
        // supertest sends an array as two header lines.
        expectDpopRefusal(await get().set('Authorization', `DPoP ${token}`).set('DPoP', [a, b] as unknown as string), 'dpop_multiple_proofs');
      });

      it('wrong htm', async () => {
        expectDpopRefusal(await dpopGet(token, await key.proof('POST', MESSAGES, token)), 'dpop_htm_mismatch');
        expectDpopRefusal(await dpopGet(token, await key.proof('get', MESSAGES, token)), 'dpop_htm_mismatch');
      });

      it.each([
        ['another path', `${BASE}/api/health`],
        ['a path prefix of it', `${BASE}/api/messages/extra`],
        ['another host', 'https://evil.example.test/api/messages'],
        ['another scheme', 'http://api.example.test/api/messages'],
        ['another port', 'https://api.example.test:8443/api/messages'],
        ['the address the test connects to (Host is never trusted)', 'http://127.0.0.1/api/messages'],
        ['not a URL', 'not a url'],
      ])('htu of %s', async (_, htu) => {
        expectDpopRefusal(await dpopGet(token, await key.proof('GET', htu, token)), 'dpop_htu_mismatch');
      });

      it('htu for this path while Host and X-Forwarded-* name another server', async () => {
        const proof = await key.proof('GET', 'https://evil.example.test/api/messages', token);
        const res = await dpopGet(token, proof)
          .set('Host', 'evil.example.test')
          .set('X-Forwarded-Host', 'evil.example.test')
          .set('X-Forwarded-Proto', 'https');
        expectDpopRefusal(res, 'dpop_htu_mismatch');
      });

      it('old iat (past the window and the tolerance)', async () => {
        const iat = now() - MAX_AGE - TOLERANCE - 5;
        expectDpopRefusal(await dpopGet(token, await key.proof('GET', MESSAGES, token, { iat })), 'dpop_iat_out_of_window');
      });

      it('iat in the future (past the tolerance)', async () => {
        const iat = now() + TOLERANCE + 30;
        expectDpopRefusal(await dpopGet(token, await key.proof('GET', MESSAGES, token, { iat })), 'dpop_iat_out_of_window');
      });

      it('iat within the window plus tolerance is accepted', async () => {
        await dpopGet(token, await key.proof('GET', MESSAGES, token, { iat: now() - MAX_AGE - TOLERANCE + 10 })).expect(200);
        await dpopGet(token, await key.proof('GET', MESSAGES, token, { iat: now() + TOLERANCE - 10 })).expect(200);
      });

      it('missing ath', async () => {
        expectDpopRefusal(await dpopGet(token, await key.proof('GET', MESSAGES, token, { ath: undefined })), 'dpop_ath_mismatch');
      });

      it('incorrect ath (the hash of another token)', async () => {
        const proof = await key.proof('GET', MESSAGES, token, { ath: ath(await boundToken()) });
        expectDpopRefusal(await dpopGet(token, proof), 'dpop_ath_mismatch');
      });

      it('wrong jkt: the token is bound to another key', async () => {
        const other = await DpopKey.generate();
        const otherToken = await boundToken(other);
        expectDpopRefusal(await dpopGet(otherToken, await key.proof('GET', MESSAGES, otherToken)), 'dpop_key_mismatch');
      });

      it('HS256 proof (a symmetric key in the jwk)', async () => {
        const secret = Buffer.from('a'.repeat(32));
        const proof = craftToken(
          { alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct', k: secret.toString('base64url') } },
          { htm: 'GET', htu: MESSAGES, iat: now(), jti: 'hs256-jti-0001', ath: ath(token) },
          (input) => createHmac('sha256', secret).update(input).digest(),
        );
        expectDpopRefusal(await dpopGet(token, proof), 'dpop_alg_not_allowed');
      });

      it('alg none', async () => {
        const proof = craftToken({ alg: 'none', typ: 'dpop+jwt', jwk: key.publicJwk }, { htm: 'GET', htu: MESSAGES, iat: now(), jti: 'none-1', ath: ath(token) });
        expectDpopRefusal(await dpopGet(token, proof), 'dpop_alg_not_allowed');
      });

      it('a private key in the jwk', async () => {
        const proof = await key.proof('GET', MESSAGES, token, { header: { jwk: await key.privateJwk() } });
        expectDpopRefusal(await dpopGet(token, proof), 'dpop_bad_key');
      });

      it('an RSA jwk with exponent 1, whose proofs anyone can sign without a private key', async () => {
        const weak = { kty: 'RSA', e: 'AQ', n: key.publicJwk.n! };
        const weakToken = await issuer.sign({ cnf: { jkt: await calculateJwkThumbprint(weak) } });
        const proof = exponentOneProof(weak, { htm: 'GET', htu: MESSAGES, iat: now(), jti: oktaJti(), ath: ath(weakToken) });
        expectDpopRefusal(await dpopGet(weakToken, proof), 'dpop_bad_key');
      });

      it.each<[string, () => Promise<{ signer: DpopKey; jwk: JWK }>]>([
        ['an even RSA exponent', async () => ({ signer: key, jwk: { ...key.publicJwk, e: 'AQAA' } })],
        ['an even RSA modulus', async () => ({ signer: key, jwk: { ...key.publicJwk, n: evenModulus(key.publicJwk.n!) } })],
        ['an RSA modulus of 1024 bits', async () => ({ signer: key, jwk: generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }) as JWK })],
        ['prime factors of the private key (p, q) without d', async () => {
          const { p, q } = await key.privateJwk();
          return { signer: key, jwk: { ...key.publicJwk, p, q } };
        }],
        ['an EC point off its curve', async () => {
          const ec = await DpopKey.generate('ES256');
          return { signer: ec, jwk: { ...ec.publicJwk, y: ec.publicJwk.x } };
        }],
        ['an RSA key under an ES256 header', async () => ({ signer: await DpopKey.generate('ES256'), jwk: key.publicJwk })],
      ])('a jwk the issuer key checks refuse too: %s', async (_, make) => {
        const { signer, jwk } = await make();
        expectDpopRefusal(await dpopGet(token, await signer.proof('GET', MESSAGES, token, { header: { jwk } })), 'dpop_bad_key');
      });

      it('no jwk', async () => {
        expectDpopRefusal(await dpopGet(token, await key.proof('GET', MESSAGES, token, { header: { jwk: undefined } })), 'dpop_bad_key');
      });

      it('a signature by another key than the jwk', async () => {
        const other = await DpopKey.generate();
        const proof = await other.proof('GET', MESSAGES, token, { header: { jwk: key.publicJwk } });
        expectDpopRefusal(await dpopGet(token, proof), 'dpop_bad_signature');
      });

      it('typ other than dpop+jwt', async () => {
        for (const typ of ['JWT', 'at+jwt', undefined]) {
          expectDpopRefusal(await dpopGet(token, await key.proof('GET', MESSAGES, token, { header: { typ } })), 'dpop_wrong_type');
        }
      });

      it('no jti', async () => {
        expectDpopRefusal(await dpopGet(token, await key.proof('GET', MESSAGES, token, { jti: undefined })), 'dpop_missing_claim');
      });

      it('a jti longer than 256 characters', async () => {
        expectDpopRefusal(await dpopGet(token, await key.proof('GET', MESSAGES, token, { jti: 'j'.repeat(257) })), 'dpop_jti_too_long');
      });

      it('garbage proofs', async () => {
        for (const proof of ['x', 'a.b.c', `${Buffer.from('{"typ":"dpop+jwt"').toString('base64url')}.e30.x`, 'é']) {
          const res = await dpopGet(token, proof);
          expect(res.status).toBe(401);
          expect(res.headers['www-authenticate']).toMatch(/^DPoP algs="[^"]+", error="invalid_dpop_proof"/);
        }
      });

      it('a replayed jti (the very same proof sent again)', async () => {
        const proof = await key.proof('GET', MESSAGES, token);
        await dpopGet(token, proof).expect(200);
        expectDpopRefusal(await dpopGet(token, proof), 'dpop_replay');
      });

      it('a replayed jti in an otherwise new proof (same key)', async () => {
        const jti = 'c0ffee'.repeat(6);
        await dpopGet(token, await key.proof('GET', MESSAGES, token, { jti })).expect(200);
        expectDpopRefusal(await dpopGet(token, await key.proof('GET', `${MESSAGES}?again=1`, token, { jti })), 'dpop_replay');
      });

      it('never echoes the proof or the token in the answer', async () => {
        const proof = await key.proof('POST', MESSAGES, token);
        const res = await dpopGet(token, proof);
        const answer = JSON.stringify({ headers: res.headers, body: res.body });
        for (const secret of [proof, token, proof.split('.')[2], token.split('.')[2]]) expect(answer).not.toContain(secret);
      });
    });

    describe('binding rules (RFC 9449 §7)', () => {
      it('refuses a DPoP-bound token sent with the Bearer scheme (the downgrade a thief would try)', async () => {
        const token = await boundToken();
        for (let i = 0; i < 3; i++) {
          // Also once the token sits in the verified-token cache.
          const res = await get().set('Authorization', `Bearer ${token}`);
          expect(res.status).toBe(401);
          expect(res.headers['www-authenticate']).toBe(
            `Bearer realm="api://default", error="invalid_token", error_description="${REFUSAL_DESCRIPTIONS.bound_token_as_bearer}", resource_metadata="${METADATA}"`,
          );
        }
      });

      it('refuses a token without cnf sent with the DPoP scheme', async () => {
        const token = await issuer.sign();
        const res = await dpopGet(token, await fresh(token));
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe(
          `DPoP algs="${ALGS}", error="invalid_token", error_description="${REFUSAL_DESCRIPTIONS.dpop_token_not_bound}", resource_metadata="${METADATA}"`,
        );
        // The same token is fine as a bearer token.
        await get().set('Authorization', `Bearer ${token}`).expect(200);
      });

      it('an invalid token with a valid proof is invalid_token in a DPoP challenge', async () => {
        const token = await boundToken(key, { exp: Math.floor(Date.now() / 1000) - 3600 });
        const res = await dpopGet(token, await fresh(token));
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe(
          `DPoP algs="${ALGS}", error="invalid_token", error_description="${REFUSAL_DESCRIPTIONS.expired}", resource_metadata="${METADATA}"`,
        );
      });
    });

    describe('challenges, metadata, CORS, metrics', () => {
      it('challenges a request without credentials with both schemes', async () => {
        const res = await get().expect(401);
        expect(res.headers['www-authenticate']).toBe(
          `Bearer realm="api://default", resource_metadata="${METADATA}", DPoP algs="${ALGS}", resource_metadata="${METADATA}"`,
        );
      });

      it('a step-up refusal (RFC 9470) of a DPoP request is a DPoP challenge okta-auth-js reads', async () => {
        const token = await boundToken(key, { acr: 'urn:okta:loa:1fa:pwd', auth_time: Math.floor(Date.now() / 1000) });
        const res = await dpopGet(token, await key.proof('GET', `${BASE}/api/messages/sensitive`, token), '/api/messages/sensitive');
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^DPoP algs="[^"]+", error="insufficient_user_authentication", error_description="[^"]+", acr_values="[^"]+", resource_metadata="[^"]+"$/);
        expect(WWWAuthError.parseHeader(res.headers['www-authenticate'])?.parameters.acr_values).toEqual(expect.any(String));
      });

      it('publishes RFC 9728 metadata at /.well-known/oauth-protected-resource, without a token', async () => {
        const res = await get('/.well-known/oauth-protected-resource').expect(200);
        expect(res.body).toEqual({
          resource: BASE,
          authorization_servers: [issuer.issuer],
          scopes_supported: [],
          bearer_methods_supported: ['header'],
          dpop_signing_alg_values_supported: ['ES256', 'RS256', 'PS256'],
          dpop_bound_access_tokens_required: false,
        });
      });

      it('lets a browser send DPoP and read WWW-Authenticate and DPoP-Nonce, on refusals too', async () => {
        const preflight = await request(app.getHttpServer())
          .options('/api/messages')
          .set('Origin', 'http://localhost:8080')
          .set('Access-Control-Request-Method', 'GET')
          .set('Access-Control-Request-Headers', 'authorization,dpop')
          .expect(204);
        expect(preflight.headers['access-control-allow-headers'].toLowerCase().split(/,\s*/)).toEqual(
          expect.arrayContaining(['authorization', 'dpop']),
        );
        const token = await boundToken();
        const refused = await dpopGet(token, await key.proof('POST', MESSAGES, token)).set('Origin', 'http://localhost:8080');
        expect(refused.status).toBe(401);
        expect(refused.headers['access-control-expose-headers'].toLowerCase().split(/,\s*/)).toEqual(
          expect.arrayContaining(['www-authenticate', 'dpop-nonce']),
        );
      });

      it('counts each proof failure by reason in auth_decisions_total', async () => {
        const token = await boundToken();
        const before = sample((await get('/metrics')).text, 'auth_decisions_total', { outcome: 'refused', reason: 'dpop_htm_mismatch' })!;
        await dpopGet(token, await key.proof('PUT', MESSAGES, token));
        const after = sample((await get('/metrics')).text, 'auth_decisions_total', { outcome: 'refused', reason: 'dpop_htm_mismatch' });
        expect(after).toBe(before + 1);
      });
    });
  });

  describe('OKTA_DPOP=required', () => {
    let app: NestFastifyApplication;
    const get = () => request(app.getHttpServer()).get('/api/messages');

    beforeAll(async () => {
      app = await bootApp({ OKTA_ISSUER: issuer.issuer, PUBLIC_BASE_URL: BASE, OKTA_DPOP: 'required' });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('accepts DPoP', async () => {
      const token = await boundToken();
      await get().set('Authorization', `DPoP ${token}`).set('DPoP', await key.proof('GET', MESSAGES, token)).expect(200);
    });

    it('refuses a valid bearer token, with a DPoP challenge', async () => {
      expectDpopRefusal(await get().set('Authorization', `Bearer ${await issuer.sign()}`), 'dpop_required', 'invalid_token');
    });

    it('challenges a request without credentials with DPoP only', async () => {
      const res = await get().expect(401);
      expect(res.headers['www-authenticate']).toBe(`DPoP algs="${ALGS}", resource_metadata="${METADATA}"`);
    });

    it('says so in its metadata', async () => {
      const res = await request(app.getHttpServer()).get('/.well-known/oauth-protected-resource').expect(200);
      expect(res.body.dpop_bound_access_tokens_required).toBe(true);
    });

    it('answers a malformed Authorization header, of either scheme, with 400 invalid_request in a DPoP challenge', async () => {
      for (const header of ['DPoP a b', 'DPoP', 'Bearer a b']) {
        expectMalformedHeader(await get().set('Authorization', header), `DPoP algs="${ALGS}"`);
      }
    });
  });

  describe('OKTA_DPOP=off', () => {
    let app: NestFastifyApplication;
    const get = () => request(app.getHttpServer()).get('/api/messages');

    beforeAll(async () => {
      app = await bootApp({ OKTA_ISSUER: issuer.issuer, PUBLIC_BASE_URL: BASE, OKTA_DPOP: 'off' });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('treats the DPoP scheme as no credentials, with a Bearer challenge only', async () => {
      const token = await boundToken();
      const res = await get().set('Authorization', `DPoP ${token}`).set('DPoP', await key.proof('GET', MESSAGES, token));
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(`Bearer realm="api://default", resource_metadata="${METADATA}"`);
    });

    it('treats a malformed DPoP header as no credentials too: the scheme is not read at all', async () => {
      for (const header of ['DPoP a b', 'DPoP', `DPoP ${await boundToken()} x`]) {
        const res = await get().set('Authorization', header);
        expect({ status: res.status, challenge: res.headers['www-authenticate'], body: res.body }).toEqual({
          status: 401,
          challenge: `Bearer realm="api://default", resource_metadata="${METADATA}"`,
          body: { statusCode: 401, error: 'Unauthorized', message: REFUSAL_DESCRIPTIONS.missing_token },
        });
      }
    });

    it('answers a malformed Bearer header with 400 invalid_request in a Bearer challenge', async () => {
      expectMalformedHeader(await get().set('Authorization', 'Bearer a b'), 'Bearer realm="api://default"');
    });

    it('still refuses a DPoP-bound token as a bearer token, and accepts an unbound one', async () => {
      expect((await get().set('Authorization', `Bearer ${await boundToken()}`)).status).toBe(401);
      await get().set('Authorization', `Bearer ${await issuer.sign()}`).expect(200);
    });

    it('leaves DPoP out of its metadata', async () => {
      const res = await request(app.getHttpServer()).get('/.well-known/oauth-protected-resource').expect(200);
      expect(res.body.dpop_signing_alg_values_supported).toBeUndefined();
    });
  });

  describe('server nonces (OKTA_DPOP_NONCE=true)', () => {
    let app: NestFastifyApplication;
    const get = () => request(app.getHttpServer()).get('/api/messages');
    // okta-auth-js's own parser, as the SPA calls it on the 401.
    const okta = new OktaAuth({ issuer: 'https://example.okta.com/oauth2/default', clientId: 'spa' });
    const nonceFrom = (res: Response) =>
      okta.parseUseDPoPNonceError(new Headers(Object.entries(res.headers).map(([k, v]) => [k, String(v)] as [string, string])));

    beforeAll(async () => {
      app = await bootApp({ OKTA_ISSUER: issuer.issuer, PUBLIC_BASE_URL: BASE, OKTA_DPOP_NONCE: 'true' });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('answers a proof without nonce with use_dpop_nonce and a DPoP-Nonce that okta-auth-js reads; the retry passes', async () => {
      const token = await boundToken();
      const first = await get().set('Authorization', `DPoP ${token}`).set('DPoP', await key.proof('GET', MESSAGES, token)).set('Origin', 'http://localhost:8080');
      expectDpopRefusal(first, 'dpop_nonce', 'use_dpop_nonce');
      const nonce = first.headers['dpop-nonce'];
      expect(nonce).toMatch(/^[\x21\x23-\x5b\x5d-\x7e]+$/);
      expect(first.headers['access-control-expose-headers'].toLowerCase()).toContain('dpop-nonce');
      expect(nonceFrom(first)).toBe(nonce);

      await get().set('Authorization', `DPoP ${token}`).set('DPoP', await key.proof('GET', MESSAGES, token, { nonce })).expect(200);
    });

    it('refuses a made-up nonce, handing out the current one', async () => {
      const token = await boundToken();
      const res = await get().set('Authorization', `DPoP ${token}`).set('DPoP', await key.proof('GET', MESSAGES, token, { nonce: 'made-up' }));
      expectDpopRefusal(res, 'dpop_nonce', 'use_dpop_nonce');
      expect(nonceFrom(res)).toEqual(expect.any(String));
    });

    it('does not ask bearer requests for a nonce', async () => {
      await get().set('Authorization', `Bearer ${await issuer.sign()}`).expect(200);
    });
  });
});
