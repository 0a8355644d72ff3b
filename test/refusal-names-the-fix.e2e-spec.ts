import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { REFUSAL_DESCRIPTIONS } from '../src/auth/errors/refusal-reason';
import { bootApp } from './support/boot-app';
import { LogCapture } from './support/log-capture';
import { TestIssuer } from './support/test-issuer';

/**
 * A token that does not match this server's settings: the refusal line shows the token's value and
 * names the setting that holds the expected one, so the newcomer knows which side to change.
 * Nest's Logger is process-wide, so each describe block boots its app alone.
 */
describe('refusal log lines name the setting to fix', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication | undefined;
  let dir: string;
  const logs = new LogCapture();

  async function refusalOf(token: string) {
    const res = await request(app!.getHttpServer()).get('/api/messages').set('Authorization', `Bearer ${token}`);
    return { res, line: logs.refusalLine(res.headers['x-request-id'] as string) };
  }

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    dir = mkdtempSync(join(tmpdir(), 'refusal-fix-'));
  });
  afterAll(async () => {
    await issuer?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('wrong_client, wrong_audience, wrong_issuer: the token value and OKTA_CLIENT_ID, OKTA_AUDIENCE, OKTA_ISSUER', async () => {
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_CLIENT_ID: '0oa-this-spa' }, { logDestination: logs });

    const client = await refusalOf(await issuer.sign({ cid: '0oa-another-spa' }));
    expect(client.res.status).toBe(401);
    expect(client.line).toMatchObject({ reason: 'wrong_client', cid: '0oa-another-spa', setting: 'OKTA_CLIENT_ID', expected: '0oa-this-spa' });

    const audience = await refusalOf(await issuer.sign({ aud: 'api://other', cid: '0oa-this-spa' }));
    expect(audience.line).toMatchObject({ reason: 'wrong_audience', aud: 'api://other', setting: 'OKTA_AUDIENCE', expected: 'api://default' });

    const iss = await refusalOf(await issuer.sign({ iss: 'https://other.example.com/oauth2/default', cid: '0oa-this-spa' }));
    expect(iss.line).toMatchObject({
      reason: 'wrong_issuer',
      iss: 'https://other.example.com/oauth2/default',
      setting: 'OKTA_ISSUER',
      expected: issuer.issuer,
    });
  });

  it('names web.client_id in client_secrets.json when the expected client id came from there', async () => {
    const secrets = join(dir, 'client_secrets.json');
    writeFileSync(secrets, JSON.stringify({ web: { client_id: '0oa-from-file' } }));
    app = await bootApp({ OKTA_ISSUER: issuer.issuer, OKTA_CLIENT_SECRETS: secrets }, { logDestination: logs });
    const { line } = await refusalOf(await issuer.sign({ cid: '0oa-another-spa' }));
    expect(line).toMatchObject({ reason: 'wrong_client', cid: '0oa-another-spa', setting: `web.client_id in ${secrets}` });
  });

  it('an issuer whose metadata names another issuer: no "try again later", the log names OKTA_ISSUER at error', async () => {
    // What a trailing slash too many, or a copy of the wrong issuer, looks like from here.
    issuer.discoveryIssuerOverride = `${issuer.issuer}/`;
    try {
      app = await bootApp({ OKTA_ISSUER: issuer.issuer }, { logDestination: logs });
      const { res, line } = await refusalOf(await issuer.sign());
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toContain(`error_description="${REFUSAL_DESCRIPTIONS.misconfigured_issuer}"`);
      expect(`${res.headers['www-authenticate']} ${res.body.message}`).not.toMatch(/try again/i);
      expect(line).toMatchObject({ level: 'error', reason: 'misconfigured_issuer' });
      expect(line?.cause).toContain(`names issuer "${issuer.issuer}/"; OKTA_ISSUER must be exactly that`);
    } finally {
      issuer.discoveryIssuerOverride = undefined;
    }
  });
});
