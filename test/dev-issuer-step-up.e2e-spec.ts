import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootApp } from './support/boot-app';
import { DevIssuerProcess } from './support/dev-issuer-process';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');
const TWO_FA = 'urn:okta:loa:2fa:any';
const PASSWORD = 'urn:okta:loa:1fa:pwd';

interface TokenResponse {
  access_token: string;
  id_token: string;
}

const claimsOf = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

/**
 * Signs the demo user in through the dev issuer's real pages (password, then the one-time code when
 * asked), in a child process since the issuer's helpers are ESM, with okta-auth-js's parameters.
 */
async function signIn(issuer: string, options: { acrValues?: string; maxAge?: number } = {}): Promise<TokenResponse> {
  const script = `
    const { signInHeadless } = await import(${JSON.stringify(pathToFileURL(resolve(ROOT, 'dev-issuer/headless-sign-in.mjs')).href)});
    const tokens = await signInHeadless(JSON.parse(process.argv[1]));
    process.stdout.write(JSON.stringify(tokens));`;
  const args = {
    issuer,
    clientId: '0oa-local-spa',
    redirectUri: 'http://localhost:8080/login/callback',
    username: 'demo@example.com',
    password: 'Passw0rd!demo',
    ...options,
  };
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(args)], { cwd: ROOT, timeout: 15000 });
  return JSON.parse(stdout) as TokenResponse;
}

describe('dev issuer: acr and auth_time as Okta issues them, acr_values and max_age honoured', () => {
  let issuer: DevIssuerProcess;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    issuer = await DevIssuerProcess.start();
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_CLIENT_ID: '0oa-local-spa' });
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  it('advertises the acr values it can achieve', async () => {
    const metadata = (await (await fetch(`${issuer.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata.acr_values_supported).toEqual([PASSWORD, TWO_FA]);
  });

  it('a password sign-in gives urn:okta:loa:1fa:pwd and auth_time in both tokens; the sensitive route asks for more', async () => {
    const before = Math.floor(Date.now() / 1000);
    const tokens = await signIn(issuer.issuer);
    const access = claimsOf(tokens.access_token);
    expect(access).toMatchObject({ acr: PASSWORD });
    expect(access.auth_time).toBeGreaterThanOrEqual(before - 1);
    expect(claimsOf(tokens.id_token)).toMatchObject({ acr: PASSWORD, amr: ['pwd'], auth_time: access.auth_time });

    const call = (path: string) => request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${tokens.access_token}`);
    expect((await call('/api/messages')).status).toBe(200);
    const refused = await call('/api/messages/sensitive');
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toContain(`error="insufficient_user_authentication"`);
    expect(refused.headers['www-authenticate']).toContain(`acr_values="${TWO_FA}"`);
  });

  it('acr_values=urn:okta:loa:2fa:any with max_age adds the second step, and the token opens the sensitive route', async () => {
    const tokens = await signIn(issuer.issuer, { acrValues: TWO_FA, maxAge: 300 });
    expect(claimsOf(tokens.access_token)).toMatchObject({ acr: TWO_FA });
    // okta-auth-js compares this with the acrValues it sent, exactly.
    expect(claimsOf(tokens.id_token)).toMatchObject({ acr: TWO_FA, amr: ['pwd', 'otp'] });
    const res = await request(app.getHttpServer()).get('/api/messages/sensitive').set('Authorization', `Bearer ${tokens.access_token}`);
    expect(res.status).toBe(200);
  });

  it('ignores acr values it does not support, as Okta does: the first supported one counts', async () => {
    expect(claimsOf((await signIn(issuer.issuer, { acrValues: 'phr' })).access_token)).toMatchObject({ acr: PASSWORD });
    expect(claimsOf((await signIn(issuer.issuer, { acrValues: `phr ${TWO_FA}` })).access_token)).toMatchObject({ acr: TWO_FA });
  });
});
