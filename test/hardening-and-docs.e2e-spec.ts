import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp } from './support/boot-app';
import { TestIssuer } from './support/test-issuer';

describe('hardening and API docs', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer });
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  it.each([
    ['a success', async () => `Bearer ${await issuer.sign()}`, 200],
    ['a refusal', async () => undefined, 401],
  ])('sends the security headers on %s, and no X-Powered-By', async (_, auth, status) => {
    let req = request(app.getHttpServer()).get('/api/messages');
    const value = await auth();
    if (value) req = req.set('Authorization', value);
    const res = await req.expect(status);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
    // Headers that only act on an HTML document are not sent with JSON (the docs page keeps them).
    for (const documentOnly of ['origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection']) {
      expect(res.headers[documentOnly]).toBeUndefined();
    }
  });

  it('serves Swagger UI at /api/docs without a token', async () => {
    const res = await request(app.getHttpServer()).get('/api/docs').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    // Swagger UI loads its own scripts and styles: the docs get a policy that allows them.
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-permitted-cross-domain-policies']).toBe('none');
    expect(res.text).toContain('swagger-ui');
    // Its assets come from this server, as the Content-Security-Policy requires.
    await request(app.getHttpServer()).get('/api/docs/swagger-ui-bundle.js').expect(200);
  });

  it('describes the bearer scheme, /api/messages with its 401 and 403, and the health routes', async () => {
    const { body } = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(body.openapi).toMatch(/^3\./);
    const schemes = body.components.securitySchemes;
    const [schemeName] = Object.keys(schemes);
    expect(schemes[schemeName]).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });

    const messages = body.paths['/api/messages'].get;
    expect(messages.security).toEqual([{ [schemeName]: [] }]);
    expect(Object.keys(messages.responses).sort()).toEqual(['200', '400', '401', '403']);
    expect(messages.responses['400'].description).toMatch(/invalid_request/);
    expect(messages.responses['401'].description).toMatch(/invalid_token/);
    expect(messages.responses['403'].description).toMatch(/insufficient_scope/);

    expect(body.paths['/api/health'].get.responses['200']).toBeDefined();
    expect(Object.keys(body.paths['/api/health/ready'].get.responses).sort()).toEqual(['200', '503']);
    expect(body.paths['/api/health'].get.security).toBeUndefined();
    // Operational endpoints are not part of the API a client programs against.
    expect(body.paths['/metrics']).toBeUndefined();
  });

  it('DOCS_ENABLED=false serves no docs', async () => {
    const noDocs = await bootApp({ OKTA_ISSUER: issuer.issuer, DOCS_ENABLED: 'false' });
    try {
      await request(noDocs.getHttpServer()).get('/api/docs').expect(404);
      await request(noDocs.getHttpServer()).get('/api/docs-json').expect(404);
    } finally {
      await noDocs.close();
    }
  });
});
