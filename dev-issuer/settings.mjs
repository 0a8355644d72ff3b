/**
 * The dev issuer's settings, each overridable by the environment. Defaults make `npm run issuer`
 * agree with the resource server's and the demo SPA's defaults without any configuration.
 */
export const DEFAULTS = Object.freeze({
  DEV_ISSUER_PORT: '9000',
  DEV_CLIENT_ID: '0oa-local-spa',
  DEV_USERNAME: 'demo@example.com',
  DEV_PASSWORD: 'Passw0rd!demo',
  DEV_SPA_ORIGIN: 'http://localhost:8080',
  DEV_ISSUER_KEYS_FILE: '.dev-issuer/keys.json',
  DEV_DPOP: 'false',
  DEV_DPOP_NONCE: 'false',
  // The resource server's own (confidential) client, for token introspection. A demo secret, like the password.
  DEV_API_CLIENT_ID: '0oa-local-api',
  DEV_API_CLIENT_SECRET: 'dev-api-secret',
  // `opaque` mints opaque access tokens (as Okta's org authorization server does): only introspection validates them.
  DEV_ACCESS_TOKEN_FORMAT: 'jwt',
});

export function loadDevIssuerSettings(env = process.env) {
  const get = (name) => env[name]?.trim() || DEFAULTS[name];
  const port = Number(get('DEV_ISSUER_PORT'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`DEV_ISSUER_PORT must be an integer from 0 to 65535, got "${env.DEV_ISSUER_PORT}"`);
  }
  const spaOrigin = new URL(get('DEV_SPA_ORIGIN')).origin;
  return {
    port,
    clientId: get('DEV_CLIENT_ID'),
    username: get('DEV_USERNAME'),
    password: get('DEV_PASSWORD'),
    spaOrigin,
    keysFile: get('DEV_ISSUER_KEYS_FILE'),
    // The SPA client must use DPoP (Okta's "Require DPoP"); proofs at the token endpoint need a server nonce.
    dpop: get('DEV_DPOP') === 'true',
    dpopNonce: get('DEV_DPOP_NONCE') === 'true',
    apiClientId: get('DEV_API_CLIENT_ID'),
    apiClientSecret: get('DEV_API_CLIENT_SECRET'),
    accessTokenFormat: parseAccessTokenFormat(get('DEV_ACCESS_TOKEN_FORMAT')),
  };
}

function parseAccessTokenFormat(value) {
  if (value !== 'jwt' && value !== 'opaque') throw new Error(`DEV_ACCESS_TOKEN_FORMAT must be jwt or opaque, got "${value}"`);
  return value;
}

/** Okta's custom authorization server `default` lives under this path; the SDK derives every URL from it. */
export const ISSUER_PATH = '/oauth2/default';

/** The audience Okta's `default` authorization server puts in every access token. */
export const API_AUDIENCE = 'api://default';

export function issuerUrl(port) {
  return `http://localhost:${port}${ISSUER_PATH}`;
}
