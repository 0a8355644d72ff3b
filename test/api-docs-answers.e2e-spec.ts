import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp } from './support/boot-app';
import { TestIssuer } from './support/test-issuer';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every value under `node` whose key is `key`, at any depth. */
function valuesOf(node: unknown, key: string, found: unknown[] = []): unknown[] {
  if (Array.isArray(node)) node.forEach((child) => valuesOf(child, key, found));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key) found.push(v);
      valuesOf(v, key, found);
    }
  }
  return found;
}

describe('/api/docs documents the answers this server really sends', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication;
  let doc: Json;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_AUDIENCE: 'api://orders', OKTA_REQUIRED_SCOPES: 'messages:read' });
    doc = (await request(app.getHttpServer()).get('/api/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  it('401: the WWW-Authenticate values and bodies the server sends, with the configured realm', async () => {
    const documented: Json = doc.paths['/api/messages'].get.responses['401'];
    const real = await request(app.getHttpServer()).get('/api/messages').expect(401);
    const expired = await request(app.getHttpServer())
      .get('/api/messages')
      .set('Authorization', `Bearer ${await issuer.sign({ aud: 'api://orders', exp: Math.floor(Date.now() / 1000) - 3600 })}`)
      .expect(401);

    expect(documented.headers['WWW-Authenticate'].schema.example).toBe(real.headers['www-authenticate']);
    for (const res of [real, expired]) {
      expect(documented.headers['WWW-Authenticate'].description).toContain(`\`${res.headers['www-authenticate']}\``);
      expect(Object.values(documented.content['application/json'].examples as Record<string, Json>).map((e) => e.value)).toContainEqual(res.body);
    }
  });

  it('403: the insufficient_scope challenge and body', async () => {
    const documented: Json = doc.paths['/api/messages'].get.responses['403'];
    const token = await issuer.sign({ aud: 'api://orders', scp: ['openid'] });
    const real = await request(app.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`).expect(403);
    expect(documented.headers['WWW-Authenticate'].schema.example).toBe(real.headers['www-authenticate']);
    expect(Object.values(documented.content['application/json'].examples as Record<string, Json>).map((e) => e.value)).toContainEqual(real.body);
  });

  it('gives every refusal body an example, so Swagger UI shows no statusCode 0', () => {
    for (const status of ['401', '403']) {
      const content = doc.paths['/api/messages'].get.responses[status].content['application/json'];
      const statusCodes = Object.values(content.examples as Record<string, Json>).map((e) => e.value.statusCode);
      expect(statusCodes.length).toBeGreaterThan(0);
      expect(statusCodes.every((code) => code === Number(status))).toBe(true);
    }
    expect(valuesOf(doc, 'statusCode').filter((v) => v === 0)).toEqual([]);
  });

  it("readiness: this server's fields, not Terminus's database/redis examples", async () => {
    const responses: Json = doc.paths['/api/health/ready'].get.responses;
    const text = JSON.stringify(responses);
    expect(text).not.toMatch(/database|redis/);
    const real = await request(app.getHttpServer()).get('/api/health/ready');
    const documented = responses[String(real.status)].content['application/json'].example;
    // The same shape as the real answer: the same check name and the same fields in it.
    expect(Object.keys(documented.details)).toEqual(Object.keys(real.body.details));
    const fields = (body: Json) => Object.keys(body.details.signingKeys).filter((k) => k !== 'lastError').sort();
    expect(fields(documented)).toEqual(fields(real.body));
  });
});
