import { ConfigError } from './config.error';
import { InvalidConfigError } from './config-problems';
import { ClientSecrets } from './client-secrets';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS, Env, loadAppConfig } from './load-app-config';

const ISSUER = 'https://example.okta.com/oauth2/default';
const noSecrets = (): ClientSecrets => ({});
const load = (env: Env, secrets: ClientSecrets = {}) => loadAppConfig(env, () => secrets);

/** Every problem a loader call reports; fails the test when it does not throw InvalidConfigError. */
function problems(env: Env, secrets: ClientSecrets = {}): readonly ConfigError[] {
  try {
    load(env, secrets);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidConfigError);
    return (err as InvalidConfigError).problems;
  }
  throw new Error('expected an InvalidConfigError');
}

/** The one ConfigError a loader call reports. */
function configError(env: Env, secrets: ClientSecrets = {}): ConfigError {
  const found = problems(env, secrets);
  expect(found).toHaveLength(1);
  expect(found[0]).toBeInstanceOf(ConfigError);
  return found[0];
}

describe('loadAppConfig', () => {
  describe('defaults', () => {
    const config = loadAppConfig({ OKTA_ISSUER: ISSUER }, noSecrets);

    it('takes the issuer verbatim', () => expect(config.okta.issuer).toBe(ISSUER));
    it('has no client id', () => expect(config.okta.clientId).toBeUndefined());
    it('expects api://default', () => expect(config.okta.audiences).toEqual(['api://default']));
    it('discovers the JWKS', () => expect(config.okta.jwksUri).toBeUndefined());
    it('requires no scopes (Okta test tokens carry only openid)', () => expect(config.okta.requiredScopes).toEqual([]));
    it('allows RS256 only', () => expect(config.okta.algorithms).toEqual(['RS256']));
    it('allows a small clock skew, at most 120 s', () => {
      expect(config.okta.clockToleranceSeconds).toBe(DEFAULT_CLOCK_TOLERANCE_SECONDS);
      expect(config.okta.clockToleranceSeconds).toBeGreaterThan(0);
      expect(config.okta.clockToleranceSeconds).toBeLessThanOrEqual(120);
    });
    it('listens on all interfaces, port 8000', () => expect(config.http).toMatchObject({ host: '0.0.0.0', port: 8000 }));
    it('allows the SPA samples origin', () => expect(config.http.corsOrigins).toEqual(['http://localhost:8080']));
    it('gives up on keys after at most 5 s', () => {
      expect(config.jwks.timeoutMs).toBeLessThanOrEqual(5000);
      expect(config.jwks.timeoutMs).toBeGreaterThan(0);
    });
    it('cools down between kid-triggered fetches so a kid flood costs at most 10 fetches a minute', () => {
      expect(config.jwks.cooldownMs).toBeGreaterThanOrEqual(6000);
    });
    it('accepts a rotated key within 30 s of its first use', () => {
      expect(config.jwks.cooldownMs).toBeLessThanOrEqual(30_000);
    });
    it('bounds the verified-token cache to 10,000 tokens and 32 MiB of claims', () =>
      expect(config.tokenCache).toMatchObject({ maxEntries: 10_000, maxBytes: 32 * 1024 * 1024 }));
  });

  describe('each setting from the environment', () => {
    const config = loadAppConfig(
      {
        OKTA_ISSUER: ' https://idp.example.com/realms/x ',
        OKTA_CLIENT_ID: '0oaSPA',
        OKTA_AUDIENCE: 'api://one, api://two',
        OKTA_JWKS_URI: 'https://idp.example.com/certs',
        OKTA_REQUIRED_SCOPES: 'messages:read, profile email',
        OKTA_CLOCK_TOLERANCE: '5',
        OKTA_ALGORITHMS: 'RS256,ES256 PS256',
        PORT: '9000',
        HOST: '127.0.0.1',
        CORS_ORIGINS: 'http://localhost:8080, https://app.example.com/',
        OKTA_JWKS_TIMEOUT_MS: '250',
        OKTA_JWKS_COOLDOWN: '2',
        OKTA_JWKS_REFRESH_INTERVAL: '60',
        OKTA_JWKS_MAX_STALE: '120',
        OKTA_TOKEN_CACHE_SIZE: '500',
        OKTA_TOKEN_CACHE_MAX_AGE: '60',
        OKTA_TOKEN_CACHE_MAX_MB: '8',
      },
      noSecrets,
    );

    it('OKTA_ISSUER (trimmed)', () => expect(config.okta.issuer).toBe('https://idp.example.com/realms/x'));
    it('OKTA_CLIENT_ID', () => expect(config.okta.clientId).toBe('0oaSPA'));
    it('OKTA_AUDIENCE as a comma list', () => expect(config.okta.audiences).toEqual(['api://one', 'api://two']));
    it('OKTA_JWKS_URI', () => expect(config.okta.jwksUri).toBe('https://idp.example.com/certs'));
    it('OKTA_REQUIRED_SCOPES as a space or comma list', () =>
      expect(config.okta.requiredScopes).toEqual(['messages:read', 'profile', 'email']));
    it('OKTA_CLOCK_TOLERANCE', () => expect(config.okta.clockToleranceSeconds).toBe(5));
    it('OKTA_ALGORITHMS', () => expect(config.okta.algorithms).toEqual(['RS256', 'ES256', 'PS256']));
    it('PORT and HOST', () => expect(config.http).toMatchObject({ port: 9000, host: '127.0.0.1' }));
    it('CORS_ORIGINS as origins', () =>
      expect(config.http.corsOrigins).toEqual(['http://localhost:8080', 'https://app.example.com']));
    it('the JWKS tuning settings', () =>
      expect(config.jwks).toEqual({ timeoutMs: 250, cooldownMs: 2000, refreshIntervalMs: 60_000, maxStaleMs: 120_000 }));
    it('the verified-token cache settings, OKTA_TOKEN_CACHE_MAX_MB in MiB', () =>
      expect(config.tokenCache).toEqual({ maxEntries: 500, maxAgeMs: 60_000, maxBytes: 8 * 1024 * 1024 }));
  });

  describe('client_secrets.json', () => {
    it('passes OKTA_CLIENT_SECRETS to the reader', () => {
      const reader = jest.fn(() => ({ issuer: ISSUER }));
      loadAppConfig({ OKTA_CLIENT_SECRETS: '/etc/okta/secrets.json' }, reader);
      expect(reader).toHaveBeenCalledWith('/etc/okta/secrets.json');
    });

    it('supplies issuer and client id when the environment does not', () => {
      const config = load({}, { issuer: ISSUER, clientId: '0oaFromFile' });
      expect(config.okta).toMatchObject({ issuer: ISSUER, clientId: '0oaFromFile' });
    });

    it('loses to the environment', () => {
      const config = load(
        { OKTA_ISSUER: 'https://env.example.com/oauth2/default', OKTA_CLIENT_ID: '0oaFromEnv' },
        { issuer: ISSUER, clientId: '0oaFromFile' },
      );
      expect(config.okta).toMatchObject({ issuer: 'https://env.example.com/oauth2/default', clientId: '0oaFromEnv' });
    });

    it('an empty environment value does not hide the file', () => {
      expect(load({ OKTA_ISSUER: '  ' }, { issuer: ISSUER }).okta.issuer).toBe(ISSUER);
    });

    it('refuses the issuer placeholder of client_secrets.json.dist, naming the file and the field', () => {
      const err = configError({}, { issuer: 'https://{yourOktaDomain}/oauth2/default', file: 'conf/secrets.json' });
      expect(err.setting).toBe('web.issuer in conf/secrets.json');
      expect(err.message).toMatch(/placeholder/);
    });

    it('refuses the client id placeholder of client_secrets.json.dist, naming the file and the field', () => {
      const err = configError({ OKTA_ISSUER: ISSUER }, { clientId: '{yourClientId}', file: './client_secrets.json' });
      expect(err.setting).toBe('web.client_id in ./client_secrets.json');
      expect(err.message).toMatch(/placeholder/);
    });

    it('names the environment variable when it is the environment that holds the bad value', () => {
      expect(configError({ OKTA_ISSUER: 'http://example.com/x' }, { issuer: ISSUER, file: 'f.json' }).setting).toBe('OKTA_ISSUER');
      expect(configError({ OKTA_ISSUER: ISSUER, OKTA_CLIENT_ID: '{x}' }, { clientId: '0oa', file: 'f.json' }).setting).toBe(
        'OKTA_CLIENT_ID',
      );
    });

    it('remembers where the issuer and client id were set, for later messages', () => {
      expect(load({}, { issuer: ISSUER, clientId: '0oa1', file: 'f.json' }).okta.settings).toEqual({
        issuer: 'web.issuer in f.json',
        clientId: 'web.client_id in f.json',
      });
      expect(load({ OKTA_ISSUER: ISSUER }).okta.settings).toEqual({ issuer: 'OKTA_ISSUER', clientId: 'OKTA_CLIENT_ID' });
    });
  });

  describe('refuses to start', () => {
    it.each<[string, Env, string, RegExp]>([
      ['a missing issuer', {}, 'OKTA_ISSUER', /required/],
      ['a non-URL issuer', { OKTA_ISSUER: 'example.okta.com' }, 'OKTA_ISSUER', /absolute http\(s\) URL/],
      ['a non-http issuer', { OKTA_ISSUER: 'ftp://example.com/x' }, 'OKTA_ISSUER', /absolute http\(s\) URL/],
      ['plain http to another host', { OKTA_ISSUER: 'http://example.okta.com/oauth2/default' }, 'OKTA_ISSUER', /https/],
      ['an issuer with a query', { OKTA_ISSUER: `${ISSUER}?x=1` }, 'OKTA_ISSUER', /query/],
      ['a plain-http JWKS URI', { OKTA_ISSUER: ISSUER, OKTA_JWKS_URI: 'http://keys.example.com/' }, 'OKTA_JWKS_URI', /https/],
      ['HS256', { OKTA_ISSUER: ISSUER, OKTA_ALGORITHMS: 'RS256,HS256' }, 'OKTA_ALGORITHMS', /"HS256" is not allowed/],
      ['none', { OKTA_ISSUER: ISSUER, OKTA_ALGORITHMS: 'none' }, 'OKTA_ALGORITHMS', /"none" is not allowed/],
      ['a tolerance above 120 s', { OKTA_ISSUER: ISSUER, OKTA_CLOCK_TOLERANCE: '121' }, 'OKTA_CLOCK_TOLERANCE', /0 to 120/],
      ['a non-numeric tolerance', { OKTA_ISSUER: ISSUER, OKTA_CLOCK_TOLERANCE: 'soon' }, 'OKTA_CLOCK_TOLERANCE', /integer/],
      ['a bad port', { OKTA_ISSUER: ISSUER, PORT: '70000' }, 'PORT', /integer/],
      ['a key timeout above 5 s', { OKTA_ISSUER: ISSUER, OKTA_JWKS_TIMEOUT_MS: '5001' }, 'OKTA_JWKS_TIMEOUT_MS', /5000/],
      ['a token cache of no bytes', { OKTA_ISSUER: ISSUER, OKTA_TOKEN_CACHE_MAX_MB: '0' }, 'OKTA_TOKEN_CACHE_MAX_MB', /1 to 4096/],
      ['a token cache bound in a unit', { OKTA_ISSUER: ISSUER, OKTA_TOKEN_CACHE_MAX_MB: '64MB' }, 'OKTA_TOKEN_CACHE_MAX_MB', /integer/],
      ['a CORS origin with a path', { OKTA_ISSUER: ISSUER, CORS_ORIGINS: 'https://app.example.com/spa' }, 'CORS_ORIGINS', /origin/],
      ['a CORS wildcard', { OKTA_ISSUER: ISSUER, CORS_ORIGINS: '*' }, 'CORS_ORIGINS', /origin/],
    ])('on %s', (_, env, setting, problem) => {
      const err = configError(env);
      expect(err.setting).toBe(setting);
      expect(err.message.startsWith(`${setting}: `)).toBe(true);
      expect(err.message).toMatch(problem);
      expect(err.message).not.toMatch(/\n/);
    });
  });

  it('reports every bad setting at once, one line each, in the order of the settings', () => {
    const found = problems(
      { OKTA_CLIENT_ID: '{yourClientId}', PORT: 'eighty', OKTA_ALGORITHMS: 'HS256', OKTA_TOKEN_CACHE_MAX_MB: 'lots', CORS_ORIGINS: '*,http://ok.example,/x', LOG_LEVEL: 'loud', SHUTDOWN_TIMEOUT: '0' },
      { issuer: 'https://{yourOktaDomain}/oauth2/default', file: './client_secrets.json' },
    );
    expect(found.map((p) => p.setting)).toEqual([
      'web.issuer in ./client_secrets.json',
      'OKTA_CLIENT_ID',
      'OKTA_ALGORITHMS',
      'OKTA_TOKEN_CACHE_MAX_MB',
      'PORT',
      'CORS_ORIGINS',
      'CORS_ORIGINS',
      'LOG_LEVEL',
      'SHUTDOWN_TIMEOUT',
    ]);
    for (const p of found) expect(p.message).not.toMatch(/\n/);
  });

  it('reports every bad setting of the feature settings too, not only the first of each group', () => {
    const found = problems(
      {
        OKTA_ISSUER: 'https://issuer.example.com/oauth2/default',
        OKTA_REQUIRED_ACR: 'a"b',
        OKTA_MAX_AUTH_AGE: 'old',
        HTTPS_PROXY: 'nope',
        HTTP_PROXY: 'nope',
        OKTA_DPOP: 'maybe',
        OKTA_DPOP_PROOF_MAX_AGE: '0',
        REDIS_URL: 'http://redis',
        REDIS_TIMEOUT_MS: '1',
        OKTA_TOKEN_VALIDATION: 'both',
        OKTA_INTROSPECTION_TIMEOUT_MS: '1',
      },
      {},
    );
    expect(found.map((p) => p.setting).sort()).toEqual(
      [
        'HTTPS_PROXY',
        'HTTP_PROXY',
        'OKTA_DPOP',
        'OKTA_DPOP_PROOF_MAX_AGE',
        'OKTA_INTROSPECTION_TIMEOUT_MS',
        'OKTA_MAX_AUTH_AGE',
        'OKTA_REQUIRED_ACR',
        'OKTA_TOKEN_VALIDATION',
        'REDIS_TIMEOUT_MS',
        'REDIS_URL',
      ].sort(),
    );
  });

  it('says that .env files are not read when the issuer is missing', () => {
    expect(configError({}).message).toMatch(/\.env files are not read/);
  });

  it.each([
    ['https://dev-123456-admin.okta.com/oauth2/default', 'https://dev-123456.okta.com/oauth2/default'],
    ['https://acme-admin.oktapreview.com', 'https://acme.oktapreview.com/oauth2/default'],
    ['https://acme-admin.okta-emea.com/oauth2/aus1', 'https://acme.okta-emea.com/oauth2/default'],
  ])('refuses the Okta Admin Console domain %s and names the issuer to use', (issuer, use) => {
    const err = configError({ OKTA_ISSUER: issuer });
    expect(err.setting).toBe('OKTA_ISSUER');
    expect(err.message).toMatch(/Admin Console/);
    expect(err.message).toContain(use);
  });

  it('does not mistake an org whose name merely contains "admin" for the Admin Console', () => {
    expect(load({ OKTA_ISSUER: 'https://admin-tools.okta.com/oauth2/default' }).okta.issuer).toBe(
      'https://admin-tools.okta.com/oauth2/default',
    );
  });

  it('accepts plain http on loopback (local issuers and tests)', () => {
    for (const issuer of ['http://localhost:8081/oauth2/default', 'http://127.0.0.1:9/x', 'http://[::1]:9/x']) {
      expect(load({ OKTA_ISSUER: issuer }).okta.issuer).toBe(issuer);
    }
  });
  it('refuses an audience with control characters, which would break every WWW-Authenticate header', () => {
    const err = configError({ OKTA_ISSUER: ISSUER, OKTA_AUDIENCE: 'api://x\r\nSet-Cookie: a=b' });
    expect(err.setting).toBe('OKTA_AUDIENCE');
  });
});
