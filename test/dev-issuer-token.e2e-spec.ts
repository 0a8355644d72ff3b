import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp } from './support/boot-app';
import { DevIssuerProcess } from './support/dev-issuer-process';

const SPA_CLIENT_ID = '0oa-local-spa';

function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8'));
}

describe('GET /api/messages with a real token from the dev issuer', () => {
  let issuer: DevIssuerProcess;
  let app: NestFastifyApplication;
  let token: string;

  beforeAll(async () => {
    issuer = await DevIssuerProcess.start();
    token = await issuer.token();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_CLIENT_ID: SPA_CLIENT_ID });
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  it('issues an Okta-shaped RS256 access token for the demo user', () => {
    expect(decodePart(token, 0)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    const claims = decodePart(token, 1);
    expect(claims).toMatchObject({ ver: 1, iss: issuer.issuer, aud: 'api://default', cid: SPA_CLIENT_ID, uid: '00u-local-demo', sub: 'demo@example.com' });
    expect(claims.scp).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
    expect(typeof claims.jti).toBe('string');
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    expect(claims).not.toHaveProperty('scope');
    expect(claims).not.toHaveProperty('client_id');
  });

  it('returns the two messages for that token', async () => {
    const res = await request(app.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body.messages.map((m: { text: string }) => m.text)).toEqual(['I am a robot.', 'Hello, world!']);
  });

  it('refuses the same token where another client id is configured', async () => {
    const other = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_CLIENT_ID: '0oa-someone-else' });
    try {
      const res = await request(other.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`).expect(401);
      expect(res.headers['www-authenticate']).toContain('error_description="the access token was issued to another client"');
    } finally {
      await other.close();
    }
  });

  it('keeps the token valid across an issuer restart (keys are kept on disk)', async () => {
    await issuer.restart();
    const fresh = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_CLIENT_ID: SPA_CLIENT_ID });
    try {
      await request(fresh.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`).expect(200);
    } finally {
      await fresh.close();
    }
  });
});
