import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Env } from '../src/config/load-app-config';
import { bootApp } from './support/boot-app';
import { DevIssuerProcess } from './support/dev-issuer-process';
import { expectInvalidToken } from './support/refusals';

const SPA_CLIENT_ID = '0oa-local-spa';
const API_CLIENT_ID = '0oa-local-api';
/** Characters RFC 6749 §2.3.1 form-urlencodes before Basic: the dev issuer must decode them as Okta does. */
const API_CLIENT_SECRET = 'dev:api secret+/%';

/** Okta's /v1/introspect members for an access token (developer.okta.com, OpenID Connect & OAuth 2.0 API). */
const OKTA_ACCESS_TOKEN_MEMBERS = ['active', 'aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub', 'token_type', 'uid', 'username'];

describe('introspection against the dev issuer', () => {
  let issuer: DevIssuerProcess;
  const apps: NestFastifyApplication[] = [];

  beforeAll(async () => {
    issuer = await DevIssuerProcess.start(undefined, { DEV_API_CLIENT_SECRET: API_CLIENT_SECRET });
  });
  afterEach(async () => {
    while (apps.length) await apps.pop()!.close();
  });
  afterAll(() => issuer?.close());

  const boot = async (env: Env) => {
    const app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_CLIENT_ID: SPA_CLIENT_ID, ...env });
    apps.push(app);
    return app;
  };
  const introspectMode = (env: Env = {}) =>
    boot({ OKTA_TOKEN_VALIDATION: 'introspect', OKTA_INTROSPECTION_CLIENT_ID: API_CLIENT_ID, OKTA_INTROSPECTION_CLIENT_SECRET: API_CLIENT_SECRET, ...env });
  const messages = (app: NestFastifyApplication, token: string) =>
    request(app.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`);
  const introspect = (token: string) =>
    fetch(`${issuer.issuer}/v1/introspect`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${API_CLIENT_ID}:${encodeURIComponent(API_CLIENT_SECRET)}`).toString('base64')}` },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
  /** What okta-auth-js signOut() sends for each token: a public client's colonless Basic header. */
  const revokeAsTheSpa = async (token: string, hint: 'access_token' | 'refresh_token') => {
    const res = await fetch(`${issuer.issuer}/v1/revoke`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(SPA_CLIENT_ID).toString('base64')}` },
      body: new URLSearchParams({ token, token_type_hint: hint }),
    });
    expect(res.status).toBe(200);
  };

  it("answers /v1/introspect for its JWT access tokens with Okta's members", async () => {
    const token = await issuer.token();
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    const answer = await introspect(token);
    // Plus how and when the user signed in (RFC 9470 §6.2), as the token itself says, for step-up.
    expect(Object.keys(answer).sort()).toEqual([...OKTA_ACCESS_TOKEN_MEMBERS, 'acr', 'auth_time'].sort());
    expect(answer).toEqual({
      acr: claims.acr,
      auth_time: claims.auth_time,
      active: true,
      scope: claims.scp.join(' '),
      username: 'demo@example.com',
      exp: claims.exp,
      iat: claims.iat,
      sub: 'demo@example.com',
      aud: 'api://default',
      iss: issuer.issuer,
      jti: claims.jti,
      token_type: 'Bearer',
      client_id: SPA_CLIENT_ID,
      uid: '00u-local-demo',
    });
  });

  it("answers for a refresh token as Okta does: Bearer, without iss, which the server refuses", async () => {
    const { refresh_token: refreshToken } = await issuer.signIn();
    const answer = await introspect(refreshToken);
    expect(answer).toMatchObject({ active: true, token_type: 'Bearer', client_id: SPA_CLIENT_ID, sub: 'demo@example.com' });
    expect(answer).not.toHaveProperty('iss');
    expectInvalidToken(await messages(await introspectMode(), refreshToken), 'missing_claim');
  });

  it('validates its tokens in introspect mode, at the discovered introspection_endpoint, with client_secret_basic', async () => {
    const app = await introspectMode();
    const res = await messages(app, await issuer.token()).expect(200);
    expect(res.body.messages).toHaveLength(2);
  });

  it('with client_secret_post', async () => {
    const app = await introspectMode({ OKTA_INTROSPECTION_CLIENT_ID: `${API_CLIENT_ID}-post`, OKTA_INTROSPECTION_AUTH_METHOD: 'client_secret_post' });
    await messages(app, await issuer.token()).expect(200);
  });

  it('as a public client (the SPA itself, no secret)', async () => {
    const app = await boot({ OKTA_TOKEN_VALIDATION: 'introspect' });
    await messages(app, await issuer.token()).expect(200);
  });

  it('refuses a token captured before sign-out right after the SPA signs out; jwt mode accepts it until exp', async () => {
    const { access_token: token, refresh_token: refreshToken } = await issuer.signIn();
    // No answer cache: the token is refused on the very next request after sign-out.
    const introspecting = await introspectMode({ OKTA_INTROSPECTION_CACHE_TTL: '0' });
    const cachingIntrospection = await introspectMode();
    const local = await boot({ OKTA_TOKEN_VALIDATION: 'jwt' });
    await messages(introspecting, token).expect(200);
    await messages(local, token).expect(200);

    await revokeAsTheSpa(token, 'access_token');
    await revokeAsTheSpa(refreshToken, 'refresh_token');

    expect(await introspect(token)).toEqual({ active: false });
    expectInvalidToken(await messages(introspecting, token), 'inactive');
    expectInvalidToken(await messages(cachingIntrospection, token), 'inactive');
    await messages(local, token).expect(200);
  });

  it('says inactive once the grant ended (the refresh token revoked), even for an access token never revoked itself', async () => {
    const { access_token: token, refresh_token: refreshToken } = await issuer.signIn();
    const app = await introspectMode();
    await revokeAsTheSpa(refreshToken, 'refresh_token');
    expectInvalidToken(await messages(app, token), 'inactive');
  });

  it("takes Okta's Flask sample client_secrets.json unchanged (every field of its .dist filled in)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flask-secrets-'));
    try {
      const file = join(dir, 'client_secrets.json');
      // okta/samples-python-flask resource-server/client_secrets.json.dist, {{OKTA_DOMAIN}} -> the dev issuer.
      writeFileSync(
        file,
        JSON.stringify({
          web: {
            auth_uri: `${issuer.issuer}/v1/authorize`,
            client_id: API_CLIENT_ID,
            client_secret: API_CLIENT_SECRET,
            redirect_uris: ['http://localhost:8080/authorization-code/callback'],
            issuer: issuer.issuer,
            token_uri: `${issuer.issuer}/v1/token`,
            token_introspection_uri: `${issuer.issuer}/v1/introspect`,
            userinfo_uri: `${issuer.issuer}/v1/userinfo`,
          },
        }),
      );
      const app = await bootApp({ OKTA_CLIENT_SECRETS: file, OKTA_TOKEN_VALIDATION: 'introspect' });
      apps.push(app);
      await messages(app, await issuer.token()).expect(200);
      expectInvalidToken(await messages(app, 'not-a-token'), 'inactive');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('with opaque access tokens (DEV_ACCESS_TOKEN_FORMAT=opaque)', () => {
    let opaqueIssuer: DevIssuerProcess;
    beforeAll(async () => {
      opaqueIssuer = await DevIssuerProcess.start(undefined, { DEV_ACCESS_TOKEN_FORMAT: 'opaque', DEV_API_CLIENT_SECRET: API_CLIENT_SECRET });
    });
    afterAll(() => opaqueIssuer?.close());

    it('validates them by introspection only', async () => {
      const token = await opaqueIssuer.token();
      expect(token.split('.')).toHaveLength(1);
      const env = { OKTA_ISSUER: opaqueIssuer.issuer, OKTA_CLIENT_ID: SPA_CLIENT_ID };
      const introspecting = await bootApp({ ...env, OKTA_TOKEN_VALIDATION: 'introspect', OKTA_INTROSPECTION_CLIENT_ID: API_CLIENT_ID, OKTA_INTROSPECTION_CLIENT_SECRET: API_CLIENT_SECRET });
      apps.push(introspecting);
      const local = await bootApp(env);
      apps.push(local);
      await messages(introspecting, token).expect(200);
      expectInvalidToken(await messages(local, token), 'malformed');
    });
  });
});
