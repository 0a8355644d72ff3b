import { AppConfig, JwsAlgorithm, SUPPORTED_ALGORITHMS } from './app-config';
import { ConfigError } from './config.error';
import { ClientSecrets, readClientSecrets } from './client-secrets';
import { isSecureHttpUrl } from './secure-url';
import { loadOperationsConfig } from './load-operations-config';
import { loadOutboundProxy } from './load-outbound-proxy';
import { loadStepUpConfig } from './step-up-config';
import { loadIntrospectionConfig, tokenClientIdFromFile } from './load-introspection-config';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * 30 s: hosts synchronised by NTP disagree by far less, and every extra second is a second an
 * expired (possibly leaked) token stays usable. Okta's own verifier allows 120 s; that is the cap.
 */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
const MAX_CLOCK_TOLERANCE_SECONDS = 120;

/**
 * Resolves and validates every setting once. The environment wins over `client_secrets.json`.
 * Throws ConfigError, whose one-line message names the setting to fix.
 */
export function loadAppConfig(env: Env, readSecrets = readClientSecrets): AppConfig {
  const secrets: ClientSecrets = readSecrets(env.OKTA_CLIENT_SECRETS);

  const issuer = parseIssuer(nonEmpty(env.OKTA_ISSUER) ?? secrets.issuer);
  const clientId = nonEmpty(env.OKTA_CLIENT_ID) ?? tokenClientIdFromFile(secrets);
  if (clientId !== undefined && /[{}]/.test(clientId)) {
    throw new ConfigError('OKTA_CLIENT_ID', 'still holds a placeholder such as {yourClientId}');
  }

  const audiences = list(env.OKTA_AUDIENCE, /,/) ?? ['api://default'];
  // The first audience is the realm of every WWW-Authenticate challenge: no control characters.
  if (audiences.some((a) => /[\u0000-\u001f\u007f]/.test(a))) {
    throw new ConfigError('OKTA_AUDIENCE', 'must not contain control characters');
  }
  const jwksUri = env.OKTA_JWKS_URI ? parseHttpUrl('OKTA_JWKS_URI', env.OKTA_JWKS_URI) : undefined;

  return {
    okta: {
      issuer,
      clientId,
      audiences,
      jwksUri,
      requiredScopes: list(env.OKTA_REQUIRED_SCOPES, /[\s,]+/) ?? [],
      clockToleranceSeconds: integer(
        'OKTA_CLOCK_TOLERANCE',
        env.OKTA_CLOCK_TOLERANCE,
        DEFAULT_CLOCK_TOLERANCE_SECONDS,
        0,
        MAX_CLOCK_TOLERANCE_SECONDS,
      ),
      algorithms: parseAlgorithms(env.OKTA_ALGORITHMS),
    },
    jwks: {
      timeoutMs: integer('OKTA_JWKS_TIMEOUT_MS', env.OKTA_JWKS_TIMEOUT_MS, 5000, 100, 5000),
      cooldownMs: 1000 * integer('OKTA_JWKS_COOLDOWN', env.OKTA_JWKS_COOLDOWN, 10, 1, 3600),
      refreshIntervalMs: 1000 * integer('OKTA_JWKS_REFRESH_INTERVAL', env.OKTA_JWKS_REFRESH_INTERVAL, 600, 1, 86400),
      maxStaleMs: 1000 * integer('OKTA_JWKS_MAX_STALE', env.OKTA_JWKS_MAX_STALE, 86400, 1, 7 * 86400),
    },
    tokenCache: {
      maxEntries: integer('OKTA_TOKEN_CACHE_SIZE', env.OKTA_TOKEN_CACHE_SIZE, 10_000, 0, 1_000_000),
      maxAgeMs: 1000 * integer('OKTA_TOKEN_CACHE_MAX_AGE', env.OKTA_TOKEN_CACHE_MAX_AGE, 300, 1, 86400),
    },
    http: {
      host: nonEmpty(env.HOST) ?? '0.0.0.0',
      port: integer('PORT', env.PORT, 8000, 0, 65535),
      corsOrigins: (list(env.CORS_ORIGINS, /,/) ?? ['http://localhost:8080']).map(parseOrigin),
    },
    outboundProxy: loadOutboundProxy(env),
    stepUp: loadStepUpConfig(env),
    introspection: loadIntrospectionConfig(env, secrets),
    ...loadOperationsConfig(env),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function list(value: string | undefined, separator: RegExp): string[] | undefined {
  const items = value
    ?.split(separator)
    .map((item) => item.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
}

function integer(setting: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (nonEmpty(value) === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(setting, `must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

function parseIssuer(value: string | undefined): string {
  const setting = 'OKTA_ISSUER';
  if (value === undefined) {
    throw new ConfigError(
      setting,
      'is required: set it to your authorization server, e.g. https://{yourOktaDomain}/oauth2/default (or web.issuer in client_secrets.json)',
    );
  }
  if (value.includes('{yourOktaDomain}')) {
    throw new ConfigError(setting, 'still holds the placeholder {yourOktaDomain}');
  }
  const url = new URL(parseHttpUrl(setting, value));
  if (url.search || url.hash) {
    throw new ConfigError(setting, 'must not contain a query or fragment');
  }
  return value;
}

function parseHttpUrl(setting: string, value: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new ConfigError(setting, `must be an absolute http(s) URL, got "${value}"`);
  }
  if (!isSecureHttpUrl(value)) {
    throw new ConfigError(setting, `must use https (plain http is accepted only for localhost), got "${value}"`);
  }
  return value;
}

function parseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('CORS_ORIGINS', `"${value}" is not an origin such as http://localhost:8080`);
  }
  if (url.origin === 'null' || url.origin !== value.replace(/\/$/, '')) {
    throw new ConfigError('CORS_ORIGINS', `"${value}" is not an origin such as http://localhost:8080`);
  }
  return url.origin;
}

function parseAlgorithms(value: string | undefined): JwsAlgorithm[] {
  const requested = list(value, /[\s,]+/) ?? ['RS256'];
  for (const alg of requested) {
    if (!(SUPPORTED_ALGORITHMS as readonly string[]).includes(alg)) {
      throw new ConfigError(
        'OKTA_ALGORITHMS',
        `"${alg}" is not allowed; choose from ${SUPPORTED_ALGORITHMS.join(', ')} (HMAC and none are never accepted)`,
      );
    }
  }
  return requested as JwsAlgorithm[];
}
