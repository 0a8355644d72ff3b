import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp, CapturingLogger } from './support/boot-app';
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

  it('lets the SPA send its own X-Request-Id (the README invites it)', async () => {
    const res = await request(app.getHttpServer())
      .options('/api/messages')
      .set('Origin', ALLOWED)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization, x-request-id');
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-allow-headers']?.toLowerCase().split(/\s*,\s*/)).toEqual(
      expect.arrayContaining(['authorization', 'x-request-id']),
    );
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

describe('CORS: a refused origin is logged, once per origin, naming CORS_ORIGINS', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication;
  const logger = new CapturingLogger();
  const warnings = () => logger.lines.filter((line) => line.startsWith('warn ') && line.includes('CORS'));
  const preflightFrom = (origin: string) =>
    request(app.getHttpServer())
      .options('/api/messages')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization');

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer }, { logger });
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });
  beforeEach(() => logger.lines.splice(0));

  it('warns once for a Vite dev server origin, naming the setting and the origin', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await preflightFrom('http://localhost:5173');
      expect(res.headers).not.toHaveProperty('access-control-allow-origin');
    }
    await request(app.getHttpServer()).get('/api/messages').set('Origin', 'http://localhost:5173');
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain('http://localhost:5173');
    expect(warnings()[0]).toContain('CORS_ORIGINS');
  });

  it('says nothing about an allowed origin or a request without Origin', async () => {
    await preflightFrom('http://localhost:8080').expect(204);
    await request(app.getHttpServer()).get('/api/health').expect(200);
    expect(warnings()).toEqual([]);
  });

  it('remembers a bounded number of origins: a client cycling origins cannot grow memory or flood the log', async () => {
    for (let i = 0; i < 250; i++) await preflightFrom(`http://spa-${i}.example.com`);
    const lines = warnings();
    expect(lines.length).toBeLessThanOrEqual(101);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines[lines.length - 1]).toContain('further ones are not logged');
  });
});
