import { ClientSecrets, DEFAULT_CLIENT_SECRETS_PATH } from './client-secrets';
import { ConfigError } from './config.error';
import { integerSetting } from './integer-setting';
import { ConfigProblems } from './config-problems';
import {
  INTROSPECTION_AUTH_METHODS,
  IntrospectionAuthMethod,
  IntrospectionClient,
  IntrospectionConfig,
  TOKEN_VALIDATIONS,
  TokenValidation,
} from './introspection-config';
import { Secret } from './secret';
import { isSecureHttpUrl } from './secure-url';

type Env = Readonly<Record<string, string | undefined>>;

/** RFC 7662 gives no deadline; 5 s is the most a request may wait on the issuer here (as for keys). */
const MAX_TIMEOUT_MS = 5000;

/**
 * Resolves the introspection settings (RFC 7662). The environment wins over `client_secrets.json`,
 * whose `web.token_introspection_uri`, `web.client_id` and `web.client_secret` are the fields Okta's
 * Flask resource-server sample reads. Throws ConfigError naming the setting; a secret never appears
 * in a message.
 */
export function loadIntrospectionConfig(env: Env, secrets: ClientSecrets): IntrospectionConfig {
  // Every bad setting is reported, not only the first (InvalidConfigError).
  const p = new ConfigProblems();
  const validation = p.check(() => parseValidation(env.OKTA_TOKEN_VALIDATION), 'jwt');
  const client = p.check(() => parseClient(env, secrets), undefined);
  if (validation === 'introspect' && client === undefined && !p.hasProblems()) {
    throw new ConfigError(
      'OKTA_INTROSPECTION_CLIENT_ID',
      'is required when OKTA_TOKEN_VALIDATION=introspect: the client this server authenticates as at the ' +
        'introspection endpoint (or web.client_id, with web.client_secret, in client_secrets.json)',
    );
  }
  const config: IntrospectionConfig = {
    validation,
    endpoint: p.check(() => parseEndpoint(given(env.OKTA_INTROSPECTION_URI), secrets), undefined),
    client,
    timeoutMs: p.check(() => integerSetting('OKTA_INTROSPECTION_TIMEOUT_MS', env.OKTA_INTROSPECTION_TIMEOUT_MS, 3000, 100, MAX_TIMEOUT_MS), 3000),
    activeTtlMs: 1000 * p.check(() => integerSetting('OKTA_INTROSPECTION_CACHE_TTL', env.OKTA_INTROSPECTION_CACHE_TTL, 30, 0, 300), 30),
    inactiveTtlMs:
      1000 * p.check(() => integerSetting('OKTA_INTROSPECTION_INACTIVE_CACHE_TTL', env.OKTA_INTROSPECTION_INACTIVE_CACHE_TTL, 10, 0, 60), 10),
    cacheMaxEntries: p.check(() => integerSetting('OKTA_INTROSPECTION_CACHE_SIZE', env.OKTA_INTROSPECTION_CACHE_SIZE, 10_000, 0, 1_000_000), 10_000),
    maxConcurrentCalls: p.check(() => integerSetting('OKTA_INTROSPECTION_MAX_CONCURRENCY', env.OKTA_INTROSPECTION_MAX_CONCURRENCY, 16, 1, 256), 16),
  };
  p.throwIfAnyInGroup();
  return config;
}

/**
 * `client_secrets.json` as read for the client tokens must be issued to (OKTA_CLIENT_ID): its
 * `web.client_id`, unless the file also holds a `client_secret`. Then, as in Okta's Flask sample, it
 * names a confidential (web) application, the one that introspects, while tokens come from the SPA,
 * a public client that has no secret.
 */
export function withoutIntrospectionClient(secrets: ClientSecrets): ClientSecrets {
  return secrets.clientSecret === undefined ? secrets : { ...secrets, clientId: undefined };
}

function parseValidation(value: string | undefined): TokenValidation {
  const v = given(value)?.toLowerCase() ?? 'jwt';
  if (!(TOKEN_VALIDATIONS as readonly string[]).includes(v)) {
    throw new ConfigError('OKTA_TOKEN_VALIDATION', `must be jwt or introspect, got "${value}"`);
  }
  return v as TokenValidation;
}

function parseClient(env: Env, secrets: ClientSecrets): IntrospectionClient | undefined {
  const fromEnv = given(env.OKTA_INTROSPECTION_CLIENT_SECRET);
  const secretSetting = fromEnv ? 'OKTA_INTROSPECTION_CLIENT_SECRET' : fileField(secrets, 'client_secret');
  const secretValue = fromEnv ?? given(secrets.clientSecret);
  if (secretValue !== undefined && /[{}]/.test(secretValue)) {
    throw new ConfigError(secretSetting, 'still holds a placeholder such as {yourClientSecret}');
  }
  // A confidential client's id sits beside its secret; a public client is the SPA itself, whose
  // OKTA_CLIENT_ID (or web.client_id) the main loader checks.
  const idSetting = given(env.OKTA_INTROSPECTION_CLIENT_ID)
    ? 'OKTA_INTROSPECTION_CLIENT_ID'
    : secretValue !== undefined && given(secrets.clientId)
      ? fileField(secrets, 'client_id')
      : undefined;
  const clientId =
    given(env.OKTA_INTROSPECTION_CLIENT_ID) ??
    (secretValue !== undefined ? given(secrets.clientId) : (given(env.OKTA_CLIENT_ID) ?? given(secrets.clientId)));
  if (idSetting !== undefined && clientId !== undefined && /[{}]/.test(clientId)) {
    throw new ConfigError(idSetting, 'still holds a placeholder such as {yourClientId}');
  }
  const authMethod = parseAuthMethod(env.OKTA_INTROSPECTION_AUTH_METHOD, secretValue !== undefined);
  if (clientId === undefined) {
    if (secretValue !== undefined) {
      throw new ConfigError('OKTA_INTROSPECTION_CLIENT_ID', `is required with ${secretSetting}`);
    }
    return undefined;
  }
  return { clientId, authMethod, secret: secretValue === undefined ? undefined : new Secret(secretValue) };
}

function parseAuthMethod(value: string | undefined, hasSecret: boolean): IntrospectionAuthMethod {
  const setting = 'OKTA_INTROSPECTION_AUTH_METHOD';
  const v = given(value);
  // client_secret_basic is what Okta registers a web application with by default.
  if (v === undefined) return hasSecret ? 'client_secret_basic' : 'none';
  if (!(INTROSPECTION_AUTH_METHODS as readonly string[]).includes(v)) {
    throw new ConfigError(setting, `must be one of ${INTROSPECTION_AUTH_METHODS.join(', ')}, got "${value}"`);
  }
  if (v === 'none' && hasSecret) {
    throw new ConfigError(setting, 'is none, but a client secret is set: remove the secret or choose client_secret_basic/client_secret_post');
  }
  if (v !== 'none' && !hasSecret) {
    throw new ConfigError(setting, `is ${v}, which needs OKTA_INTROSPECTION_CLIENT_SECRET (or web.client_secret in client_secrets.json)`);
  }
  return v as IntrospectionAuthMethod;
}

function parseEndpoint(fromEnv: string | undefined, secrets: ClientSecrets): string | undefined {
  const value = fromEnv ?? given(secrets.tokenIntrospectionUri);
  if (value === undefined) return undefined;
  const setting = fromEnv ? 'OKTA_INTROSPECTION_URI' : fileField(secrets, 'token_introspection_uri');
  if (/[{}]/.test(value)) throw new ConfigError(setting, 'still holds a placeholder such as {yourOktaDomain}');
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new ConfigError(setting, `must be an absolute http(s) URL, got "${value}"`);
  }
  // Every bearer token goes to this URL: on plain http anyone on the path could collect them.
  if (!isSecureHttpUrl(value)) {
    throw new ConfigError(setting, `must use https (plain http is accepted only for localhost), got "${value}"`);
  }
  return value;
}

/** How newcomer's loader names a field of the file: `web.client_secret in ./client_secrets.json`. */
function fileField(secrets: ClientSecrets, field: string): string {
  return `web.${field} in ${secrets.file ?? DEFAULT_CLIENT_SECRETS_PATH}`;
}

function given(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

