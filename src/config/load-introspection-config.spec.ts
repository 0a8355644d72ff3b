import { inspect } from 'node:util';
import { ClientSecrets } from './client-secrets';
import { ConfigError } from './config.error';
import { loadAppConfig } from './load-app-config';
import { loadIntrospectionConfig } from './load-introspection-config';

const ISSUER = 'https://example.okta.com/oauth2/default';
const SECRET = 'a-very-secret-value';
/** Okta's Flask resource-server sample's client_secrets.json, filled in. */
const FLASK: ClientSecrets = {
  issuer: ISSUER,
  clientId: '0oaWEBAPP',
  clientSecret: SECRET,
  tokenIntrospectionUri: `${ISSUER}/v1/introspect`,
};

const load = (env: Record<string, string>, secrets: ClientSecrets = {}) => loadIntrospectionConfig(env, secrets);
function refusal(env: Record<string, string>, secrets: ClientSecrets = {}): ConfigError {
  try {
    load(env, secrets);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).not.toContain(SECRET);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadIntrospectionConfig', () => {
  it('defaults to local JWT validation, a discovered endpoint and small bounds', () => {
    expect(load({})).toEqual({
      validation: 'jwt',
      endpoint: undefined,
      client: undefined,
      timeoutMs: 3000,
      activeTtlMs: 30_000,
      inactiveTtlMs: 10_000,
      cacheMaxEntries: 10_000,
      maxConcurrentCalls: 16,
    });
  });

  it("reads Okta's Flask client_secrets.json: endpoint, and a confidential client with client_secret_basic", () => {
    const config = load({ OKTA_TOKEN_VALIDATION: 'introspect' }, FLASK);
    expect(config).toMatchObject({ validation: 'introspect', endpoint: `${ISSUER}/v1/introspect` });
    expect(config.client).toMatchObject({ clientId: '0oaWEBAPP', authMethod: 'client_secret_basic' });
    expect(config.client!.secret!.reveal()).toBe(SECRET);
  });

  it('lets the environment win over the file', () => {
    const config = load(
      {
        OKTA_INTROSPECTION_URI: 'https://other.example.com/introspect',
        OKTA_INTROSPECTION_CLIENT_ID: 'env-client',
        OKTA_INTROSPECTION_CLIENT_SECRET: 'env-secret',
        OKTA_INTROSPECTION_AUTH_METHOD: 'client_secret_post',
      },
      FLASK,
    );
    expect(config.endpoint).toBe('https://other.example.com/introspect');
    expect(config.client).toMatchObject({ clientId: 'env-client', authMethod: 'client_secret_post' });
    expect(config.client!.secret!.reveal()).toBe('env-secret');
  });

  it('is a public client (none) with the SPA client id when no secret is set', () => {
    expect(load({ OKTA_CLIENT_ID: '0oaSPA' }).client).toEqual({ clientId: '0oaSPA', authMethod: 'none', secret: undefined });
  });

  it('never prints the secret, however the settings are printed', () => {
    const config = load({}, FLASK);
    expect(JSON.stringify(config)).not.toContain(SECRET);
    expect(inspect(config, { depth: 10 })).not.toContain(SECRET);
    expect(`${config.client!.secret}`).not.toContain(SECRET);
  });

  it.each([
    [{ OKTA_TOKEN_VALIDATION: 'opaque' }, {}, 'OKTA_TOKEN_VALIDATION'],
    [{ OKTA_TOKEN_VALIDATION: 'introspect' }, {}, 'OKTA_INTROSPECTION_CLIENT_ID'],
    [{ OKTA_INTROSPECTION_CLIENT_SECRET: SECRET }, {}, 'OKTA_INTROSPECTION_CLIENT_ID'],
    [{ OKTA_INTROSPECTION_URI: 'http://idp.example.com/introspect' }, {}, 'OKTA_INTROSPECTION_URI'],
    [{}, { tokenIntrospectionUri: 'https://{{OKTA_DOMAIN}}/oauth2/default/v1/introspect', file: 'cs.json' }, 'web.token_introspection_uri in cs.json'],
    [{}, { clientId: '0oa', clientSecret: '{{CLIENT_SECRET}}', file: 'cs.json' }, 'web.client_secret in cs.json'],
    [{ OKTA_INTROSPECTION_CLIENT_ID: 'x', OKTA_INTROSPECTION_AUTH_METHOD: 'client_secret_basic' }, {}, 'OKTA_INTROSPECTION_AUTH_METHOD'],
    [{ OKTA_INTROSPECTION_CLIENT_ID: 'x', OKTA_INTROSPECTION_CLIENT_SECRET: SECRET, OKTA_INTROSPECTION_AUTH_METHOD: 'none' }, {}, 'OKTA_INTROSPECTION_AUTH_METHOD'],
    [{ OKTA_INTROSPECTION_TIMEOUT_MS: '10000' }, {}, 'OKTA_INTROSPECTION_TIMEOUT_MS'],
    [{ OKTA_INTROSPECTION_CACHE_TTL: '-1' }, {}, 'OKTA_INTROSPECTION_CACHE_TTL'],
    [{ OKTA_INTROSPECTION_MAX_CONCURRENCY: '0' }, {}, 'OKTA_INTROSPECTION_MAX_CONCURRENCY'],
  ] as Array<[Record<string, string>, ClientSecrets, string]>)('refuses %j %j, naming %s', (env, secrets, setting) => {
    expect(refusal(env, secrets).setting).toBe(setting);
  });
});

describe('the client tokens must be issued to (OKTA_CLIENT_ID)', () => {
  it('is web.client_id for an SPA file (no secret), as before', () => {
    expect(loadAppConfig({}, () => ({ issuer: ISSUER, clientId: '0oaSPA' })).okta.clientId).toBe('0oaSPA');
  });

  it("is not the Flask file's web.client_id: beside a secret it names the web app that introspects, not the SPA", () => {
    expect(loadAppConfig({}, () => FLASK).okta.clientId).toBeUndefined();
    expect(loadAppConfig({ OKTA_CLIENT_ID: '0oaSPA' }, () => FLASK).okta.clientId).toBe('0oaSPA');
  });
});
