import { AppConfig, JwsAlgorithm, SUPPORTED_ALGORITHMS } from './app-config';
import { ConfigError } from './config.error';
import { integerSetting } from './integer-setting';
import { ClientSecrets, DEFAULT_CLIENT_SECRETS_PATH, readClientSecrets } from './client-secrets';
import { ConfigProblems } from './config-problems';
import { oktaAdminConsoleHost } from './okta-domains';
import { OperationsConfig } from './operations-config';
import { isSecureHttpUrl } from './secure-url';
import { loadOperationsConfig } from './load-operations-config';
import { loadDpopConfig } from './load-dpop-config';
import { loadStoreConfig } from './load-store-config';
import { loadOutboundProxy } from './load-outbound-proxy';
import { loadStepUpConfig } from './step-up-config';
import { loadIntrospectionConfig, withoutIntrospectionClient } from './load-introspection-config';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * 30 s: hosts synchronised by NTP disagree by far less, and every extra second is a second an
 * expired (possibly leaked) token stays usable. Okta's own verifier allows 120 s; that is the cap.
 */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
const MAX_CLOCK_TOLERANCE_SECONDS = 120;
const MIB = 1024 * 1024;

/**
 * Resolves and validates every setting once. The environment wins over `client_secrets.json`.
 * Throws InvalidConfigError listing every problem found, each a one-line ConfigError naming the
 * setting to fix (for a value from `client_secrets.json`, the file and the field).
 */
export function loadAppConfig(env: Env, readSecrets = readClientSecrets): AppConfig {
  const problems = new ConfigProblems();
  const int = (setting: string, value: string | undefined, fallback: number, min: number, max: number) =>
    problems.check(() => integerSetting(setting, value, fallback, min, max), fallback);

  const secrets: ClientSecrets = problems.check(() => readSecrets(env.OKTA_CLIENT_SECRETS), {});
  const issuerSource = sourceOf('OKTA_ISSUER', 'issuer', env.OKTA_ISSUER, secrets);
  const issuer = problems.check(() => parseIssuer(issuerSource.setting, issuerSource.value), '');
  // Beside a client_secret, web.client_id names the client that introspects, not the one tokens are issued to.
  const clientIdSource = sourceOf('OKTA_CLIENT_ID', 'client_id', env.OKTA_CLIENT_ID, withoutIntrospectionClient(secrets));
  const clientId = clientIdSource.value;
  if (clientId !== undefined && /[{}]/.test(clientId)) {
    problems.check(() => {
      throw new ConfigError(clientIdSource.setting, 'still holds a placeholder such as {yourClientId}');
    }, undefined);
  }
  const audiences = list(env.OKTA_AUDIENCE, /,/) ?? ['api://default'];
  // The first audience is the realm of every WWW-Authenticate challenge: no control characters.
  if (audiences.some((a) => /[\u0000-\u001f\u007f]/.test(a))) {
    problems.check(() => {
      throw new ConfigError('OKTA_AUDIENCE', 'must not contain control characters');
    }, undefined);
  }
  const jwksUri = env.OKTA_JWKS_URI ? problems.check(() => parseHttpUrl('OKTA_JWKS_URI', env.OKTA_JWKS_URI!), undefined) : undefined;
  // Parsed in the order of the settings table, so the error lines come in that order too.
  const config: Omit<AppConfig, keyof OperationsConfig | 'dpop' | 'store'> = {
    okta: {
      issuer,
      clientId,
      audiences,
      jwksUri,
      requiredScopes: list(env.OKTA_REQUIRED_SCOPES, /[\s,]+/) ?? [],
      clockToleranceSeconds: int(
        'OKTA_CLOCK_TOLERANCE',
        env.OKTA_CLOCK_TOLERANCE,
        DEFAULT_CLOCK_TOLERANCE_SECONDS,
        0,
        MAX_CLOCK_TOLERANCE_SECONDS,
      ),
      algorithms: problems.check(() => parseAlgorithms(env.OKTA_ALGORITHMS), []),
      settings: { issuer: issuerSource.setting, clientId: clientIdSource.setting },
    },
    jwks: {
      timeoutMs: int('OKTA_JWKS_TIMEOUT_MS', env.OKTA_JWKS_TIMEOUT_MS, 5000, 100, 5000),
      cooldownMs: 1000 * int('OKTA_JWKS_COOLDOWN', env.OKTA_JWKS_COOLDOWN, 10, 1, 3600),
      refreshIntervalMs: 1000 * int('OKTA_JWKS_REFRESH_INTERVAL', env.OKTA_JWKS_REFRESH_INTERVAL, 600, 1, 86400),
      maxStaleMs: 1000 * int('OKTA_JWKS_MAX_STALE', env.OKTA_JWKS_MAX_STALE, 86400, 1, 7 * 86400),
    },
    tokenCache: {
      maxEntries: int('OKTA_TOKEN_CACHE_SIZE', env.OKTA_TOKEN_CACHE_SIZE, 10_000, 0, 1_000_000),
      maxAgeMs: 1000 * int('OKTA_TOKEN_CACHE_MAX_AGE', env.OKTA_TOKEN_CACHE_MAX_AGE, 300, 1, 86400),
      maxBytes: MIB * int('OKTA_TOKEN_CACHE_MAX_MB', env.OKTA_TOKEN_CACHE_MAX_MB, 32, 1, 4096),
    },
    http: {
      host: nonEmpty(env.HOST) ?? '0.0.0.0',
      port: int('PORT', env.PORT, 8000, 0, 65535),
      corsOrigins: (list(env.CORS_ORIGINS, /,/) ?? ['http://localhost:8080']).flatMap((origin) =>
        problems.check(() => [parseOrigin(origin)], []),
      ),
    },
    // Read whole: each reports its first bad value, beside every other setting's.
    outboundProxy: problems.check(() => loadOutboundProxy(env), undefined)!,
    stepUp: problems.check(() => loadStepUpConfig(env), undefined)!,
    introspection: problems.check(() => loadIntrospectionConfig(env, secrets), undefined)!,
  };
  const dpop = problems.check(() => loadDpopConfig(env, config.http.port), undefined)!;
  // With OKTA_DPOP=required every request needs the replay store: without it the instance serves nothing.
  const store = problems.check(() => loadStoreConfig(env, dpop?.mode === 'required'), undefined)!;
  const operations = problems.check(() => loadOperationsConfig(env), undefined);
  problems.throwIfAny();
  return { ...config, dpop, store, ...operations! };
}

/**
 * Where a value comes from: the environment variable when set, else the field of client_secrets.json.
 * Errors and warnings name that source, so the fix lands where the value was written.
 */
function sourceOf(
  variable: string,
  field: 'issuer' | 'client_id',
  fromEnv: string | undefined,
  secrets: ClientSecrets,
): { setting: string; value: string | undefined } {
  const envValue = nonEmpty(fromEnv);
  if (envValue !== undefined) return { setting: variable, value: envValue };
  const fileValue = nonEmpty(field === 'issuer' ? secrets.issuer : secrets.clientId);
  if (fileValue !== undefined) return { setting: `web.${field} in ${secrets.file ?? DEFAULT_CLIENT_SECRETS_PATH}`, value: fileValue };
  return { setting: variable, value: undefined };
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


function parseIssuer(setting: string, value: string | undefined): string {
  if (value === undefined) {
    throw new ConfigError(
      setting,
      'is required: set it in the environment to your authorization server, e.g. ' +
        'https://{yourOktaDomain}/oauth2/default, or set web.issuer in client_secrets.json (.env files are not read)',
    );
  }
  if (value.includes('{yourOktaDomain}')) {
    throw new ConfigError(setting, 'still holds the placeholder {yourOktaDomain}');
  }
  const url = new URL(parseHttpUrl(setting, value));
  if (url.search || url.hash) {
    throw new ConfigError(setting, 'must not contain a query or fragment');
  }
  const console = oktaAdminConsoleHost(url.hostname);
  if (console !== undefined) {
    // okta-auth-js refuses such an issuer too; no token is ever issued by the Admin Console.
    throw new ConfigError(
      setting,
      `${url.origin} is the Okta Admin Console, not an issuer; use your Okta domain without "-admin", ` +
        `e.g. https://${console}/oauth2/default`,
    );
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
