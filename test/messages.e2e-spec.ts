import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp, CapturingLogger } from './support/boot-app';
import { ProbeModule } from './support/probe.module';
import { expectInvalidRequest, expectInvalidToken, expectMissingToken } from './support/refusals';
import { TestIssuer } from './support/test-issuer';

describe('GET /api/messages and the error contract', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication;
  const logger = new CapturingLogger();
  const get = (path = '/api/messages') => request(app.getHttpServer()).get(path);

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer }, { imports: [ProbeModule], logger });
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  describe('the happy path', () => {
    it('returns exactly the two messages, ISO dates one hour apart, as JSON', async () => {
      const before = Date.now();
      const res = await get().set('Authorization', `Bearer ${await issuer.sign()}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        messages: [
          { date: expect.any(String), text: 'I am a robot.' },
          { date: expect.any(String), text: 'Hello, world!' },
        ],
      });
      const [newest, older] = res.body.messages.map((m: { date: string }) => m.date);
      for (const date of [newest, older]) {
        expect(date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(new Date(date).toISOString()).toBe(date);
      }
      expect(Date.parse(newest) - Date.parse(older)).toBe(3600_000);
      expect(Date.parse(newest)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(newest)).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it('accepts the scheme in any case', async () => {
      const token = await issuer.sign();
      await get().set('Authorization', `bearer ${token}`).expect(200);
      await get().set('Authorization', `BEARER ${token}`).expect(200);
    });

    it('accepts a token without kid when the issuer publishes a single key', async () => {
      const token = await issuer.sign({}, { header: { kid: undefined } });
      await get().set('Authorization', `Bearer ${token}`).expect(200);
    });
  });

  describe('no token', () => {
    it('answers a bare challenge and a small JSON body', async () => {
      expectMissingToken(await get());
    });

    it('treats Basic credentials as no bearer token', async () => {
      expectMissingToken(await get().set('Authorization', 'Basic dXNlcjpwYXNz'));
    });

    it('ignores a token in the query string (RFC 6750 §2.3 is not supported)', async () => {
      const token = await issuer.sign();
      expectMissingToken(await get(`/api/messages?access_token=${token}`));
    });

    it('refuses an empty Bearer value as a malformed request (RFC 6750 §3.1 invalid_request)', async () => {
      expectInvalidRequest(await get().set('Authorization', 'Bearer '));
    });
  });

  describe('an invalid token', () => {
    it('names invalid_token and why, and never echoes the token', async () => {
      const token = await issuer.sign({ exp: Math.floor(Date.now() / 1000) - 3600 });
      const res = await get().set('Authorization', `Bearer ${token}`);
      expectInvalidToken(res, 'expired');
      const [header, payload, signature] = token.split('.');
      for (const part of [header, payload, signature]) {
        expect(res.headers['www-authenticate']).not.toContain(part);
        expect(res.text).not.toContain(part);
      }
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('logs why it was refused, without the token', async () => {
      logger.lines.length = 0;
      const token = await issuer.sign({ aud: 'api://someone-else' });
      await get().set('Authorization', `Bearer ${token}`).expect(401);
      const refusals = logger.lines.filter((l) => l.includes('access refused'));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toContain('"reason":"wrong_audience"');
      expect(refusals[0]).toContain('api://someone-else');
      expect(logger.lines.join('\n')).not.toContain(token.split('.')[2]);
    });

    it("logs jsonwebtoken's own reason (passport's info is not swallowed)", async () => {
      logger.lines.length = 0;
      await get().set('Authorization', `Bearer ${(await issuer.sign()).split('.').slice(0, 2).join('.')}`).expect(401);
      expect(logger.lines.join('\n')).toMatch(/"reason":"malformed".*"cause":"jwt malformed"/);
    });
  });

  describe('@Public() and @Claims() on real routes', () => {
    it('GET /api/health answers without a token', async () => {
      expect((await get('/api/health').expect(200)).body).toEqual({ status: 'ok' });
    });

    it('a @Public() route answers without a token and sees no claims', async () => {
      expect((await get('/api/probe/public').expect(200)).body).toEqual({ public: true, claims: null });
    });

    it('a @Public() controller opts all its routes out', async () => {
      expect((await get('/api/probe-public').expect(200)).body).toEqual({ public: true });
    });

    it('a route without @Public() is protected', async () => {
      expectMissingToken(await get('/api/probe/claims'));
    });

    it('@Claims() hands the handler the verified claims', async () => {
      const token = await issuer.sign({ sub: 'alice@example.com', uid: '00u-alice' });
      const res = await get('/api/probe/claims').set('Authorization', `Bearer ${token}`).expect(200);
      expect(res.body.claims).toMatchObject({
        iss: issuer.issuer,
        aud: 'api://default',
        sub: 'alice@example.com',
        uid: '00u-alice',
        cid: '0oa-test-spa',
        scp: ['openid', 'profile', 'email'],
      });
    });

    it("@Claims('sub') hands the handler one claim", async () => {
      const token = await issuer.sign({ sub: 'bob@example.com' });
      expect((await get('/api/probe/sub').set('Authorization', `Bearer ${token}`).expect(200)).body).toEqual({
        sub: 'bob@example.com',
      });
    });
  });
});
