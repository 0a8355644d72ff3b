import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp } from './support/boot-app';
import { TestIssuer } from './support/test-issuer';

describe('CORS', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication;
  const ALLOWED = 'http://localhost:8080';
  const OTHER_ALLOWED = 'https://spa.example.com';
  const preflight = (origin: string) =>
    request(app.getHttpServer())
      .options('/api/messages')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization');

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, CORS_ORIGINS: `${ALLOWED},${OTHER_ALLOWED}` });
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  it.each([ALLOWED, OTHER_ALLOWED])('answers a preflight from %s without a token, echoing the origin', async (origin) => {
    const res = await preflight(origin);
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    expect(res.headers['access-control-allow-methods']?.split(/\s*,\s*/)).toContain('GET');
    expect(res.headers['access-control-allow-headers']?.toLowerCase().split(/\s*,\s*/)).toContain('authorization');
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.headers.vary).toMatch(/Origin/i);
  });

  it('echoes an allowed origin on the actual call and lets the SPA read WWW-Authenticate', async () => {
    const ok = await request(app.getHttpServer())
      .get('/api/messages')
      .set('Origin', ALLOWED)
      .set('Authorization', `Bearer ${await issuer.sign()}`)
      .expect(200);
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED);

    const refused = await request(app.getHttpServer()).get('/api/messages').set('Origin', ALLOWED).expect(401);
    expect(refused.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(refused.headers['access-control-expose-headers']?.toLowerCase()).toContain('www-authenticate');
  });

  it.each(['http://evil.example.com', 'null', 'http://localhost:8081', 'http://localhost:8080.evil.com', 'HTTP://LOCALHOST:8080x'])(
    'gives origin %s no Access-Control-Allow-Origin at all',
    async (origin) => {
      const pre = await preflight(origin);
      expect(pre.status).toBeLessThan(500);
      expect(pre.headers).not.toHaveProperty('access-control-allow-origin');
      expect(pre.headers).not.toHaveProperty('access-control-allow-credentials');

      const get = await request(app.getHttpServer())
        .get('/api/messages')
        .set('Origin', origin)
        .set('Authorization', `Bearer ${await issuer.sign()}`);
      expect(get.headers).not.toHaveProperty('access-control-allow-origin');
    },
  );
});
