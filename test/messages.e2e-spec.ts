import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp } from './support/boot-app';
import { TestIssuer } from './support/test-issuer';

describe('GET /api/messages', () => {
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

  it('returns the two messages for a valid token', async () => {
    const token = await issuer.sign();
    const res = await request(app.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.messages.map((m: { text: string }) => m.text)).toEqual(['I am a robot.', 'Hello, world!']);
  });

  it('answers 401 with a bare challenge without a token', async () => {
    const res = await request(app.getHttpServer()).get('/api/messages').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api://default"');
  });
});
