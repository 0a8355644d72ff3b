import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp } from './support/boot-app';
import { expectInvalidToken } from './support/refusals';
import { TestIssuer } from './support/test-issuer';

const now = () => Math.floor(Date.now() / 1000);

describe('claim validation', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication | undefined;
  const call = async (claims: Record<string, unknown>) =>
    request(app!.getHttpServer())
      .get('/api/messages')
      .set('Authorization', `Bearer ${await issuer.sign(claims)}`);

  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  /** One app per configuration; passport strategies are global, so never two at once. */
  async function boot(env: Record<string, string> = {}) {
    await app?.close();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_CLOCK_TOLERANCE: '30', ...env });
  }

  describe('with the defaults (aud api://default, 30 s tolerance, no client id)', () => {
    beforeAll(() => boot());

    it('accepts a fresh token', async () => expect((await call({})).status).toBe(200));

    describe('iss', () => {
      it('refuses another issuer', async () => expectInvalidToken(await call({ iss: 'https://evil.example.com/oauth2/default' }), 'wrong_issuer'));
      it('refuses the issuer with a trailing slash (exact match)', async () =>
        expectInvalidToken(await call({ iss: `${issuer.issuer}/` }), 'wrong_issuer'));
      it('refuses a token without iss', async () => expectInvalidToken(await call({ iss: undefined }), 'wrong_issuer'));
    });

    describe('aud', () => {
      it('refuses another audience', async () => expectInvalidToken(await call({ aud: 'api://other' }), 'wrong_audience'));
      it('accepts an array that contains the audience', async () =>
        expect((await call({ aud: ['api://other', 'api://default'] })).status).toBe(200));
      it('refuses an array without it', async () =>
        expectInvalidToken(await call({ aud: ['api://other', 'api://third'] }), 'wrong_audience'));
      it('refuses a token without aud', async () => expectInvalidToken(await call({ aud: undefined }), 'wrong_audience'));
    });

    describe('exp', () => {
      it('is required', async () => expectInvalidToken(await call({ exp: undefined }), 'missing_claim'));
      it('must be a number', async () => expectInvalidToken(await call({ exp: 'tomorrow' }), 'missing_claim'));
      it('refuses an expired token', async () => expectInvalidToken(await call({ exp: now() - 3600 }), 'expired'));
      it('refuses a token expired just beyond the tolerance', async () =>
        expectInvalidToken(await call({ exp: now() - 40 }), 'expired'));
      it('accepts a token expired within the tolerance', async () =>
        expect((await call({ exp: now() - 10 })).status).toBe(200));
    });

    describe('nbf', () => {
      it('refuses a token not valid yet', async () => expectInvalidToken(await call({ nbf: now() + 120 }), 'not_yet_valid'));
      it('accepts nbf within the tolerance', async () => expect((await call({ nbf: now() + 10 })).status).toBe(200));
      it('accepts nbf in the past', async () => expect((await call({ nbf: now() - 10 })).status).toBe(200));
    });

    describe('iat', () => {
      it('refuses a token issued in the future', async () =>
        expectInvalidToken(await call({ iat: now() + 120 }), 'issued_in_future'));
      it('accepts iat within the tolerance', async () => expect((await call({ iat: now() + 10 })).status).toBe(200));
    });

    it('ignores cid when no client id is configured', async () => expect((await call({ cid: 'anyone' })).status).toBe(200));

    describe('NumericDate (RFC 7519 §2: a JSON number, fractions allowed)', () => {
      it('accepts fractional exp, nbf and iat', async () =>
        expect((await call({ exp: now() + 3600.5, nbf: now() - 10.25, iat: now() - 0.75 })).status).toBe(200));
      it('refuses a fractional exp in the past', async () => expectInvalidToken(await call({ exp: now() - 40.5 }), 'expired'));
      it('refuses numeric strings', async () => {
        expectInvalidToken(await call({ exp: `${now() + 3600}` }), 'missing_claim');
        expectInvalidToken(await call({ nbf: `${now()}` }), 'malformed');
        expectInvalidToken(await call({ iat: `${now()}` }), 'malformed');
      });
    });
  });

  describe('with OKTA_CLIENT_ID', () => {
    beforeAll(() => boot({ OKTA_CLIENT_ID: '0oa-test-spa' }));

    it('accepts the configured cid', async () => expect((await call({})).status).toBe(200));
    it('refuses another cid', async () => expectInvalidToken(await call({ cid: '0oa-other' }), 'wrong_client'));
    it('accepts the configured client_id (RFC 9068)', async () =>
      expect((await call({ cid: undefined, client_id: '0oa-test-spa' })).status).toBe(200));
    it('refuses another client_id', async () =>
      expectInvalidToken(await call({ cid: undefined, client_id: '0oa-other' }), 'wrong_client'));
    it.each(['azp', 'appid'])('accepts the configured client in %s (OpenID Connect, Entra ID)', async (name) =>
      expect((await call({ cid: undefined, [name]: '0oa-test-spa' })).status).toBe(200));
    it.each(['azp', 'appid'])('refuses another client in %s', async (name) =>
      expectInvalidToken(await call({ cid: undefined, [name]: '0oa-other' }), 'wrong_client'));
    it('accepts names that agree (Auth0: azp and client_id)', async () =>
      expect((await call({ cid: undefined, azp: '0oa-test-spa', client_id: '0oa-test-spa' })).status).toBe(200));
    it('refuses a token whose client names disagree, whichever comes first', async () => {
      expectInvalidToken(await call({ azp: '0oa-other' }), 'wrong_client');
      expectInvalidToken(await call({ cid: '0oa-other', client_id: '0oa-test-spa' }), 'wrong_client');
    });
    it('refuses a token naming no client', async () => expectInvalidToken(await call({ cid: undefined }), 'wrong_client'));
  });

  describe('with OKTA_AUDIENCE as a comma list and OKTA_CLOCK_TOLERANCE=0', () => {
    beforeAll(() => boot({ OKTA_AUDIENCE: 'api://one,api://two', OKTA_CLOCK_TOLERANCE: '0' }));

    it('accepts either audience', async () => {
      expect((await call({ aud: 'api://one' })).status).toBe(200);
      expect((await call({ aud: 'api://two' })).status).toBe(200);
    });
    it('refuses the default audience it was not given', async () => {
      const res = await call({ aud: 'api://default' });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api:\/\/one", error="invalid_token"/);
    });
    it('allows no skew', async () => {
      expect((await call({ aud: 'api://one', exp: now() - 2 })).status).toBe(401);
      expect((await call({ aud: 'api://one', nbf: now() + 5 })).status).toBe(401);
    });
  });
});
