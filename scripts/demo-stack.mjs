import { DEFAULTS, issuerUrl } from '../dev-issuer/settings.mjs';

/**
 * The three processes of the offline demo and the settings that make them agree: one issuer URL and
 * one client id for the resource server and the SPA, one SPA origin for the issuer's redirect URIs
 * and the resource server's CORS. Ports default to the ones Okta's samples expect (8080, 8000).
 */
export function demoStack({ issuerPort = 9000, apiPort = 8000, spaPort = 8080, env = process.env } = {}) {
  const clientId = env.DEV_CLIENT_ID?.trim() || DEFAULTS.DEV_CLIENT_ID;
  const issuer = issuerUrl(issuerPort);
  const spaUrl = `http://localhost:${spaPort}`;
  const apiUrl = `http://localhost:${apiPort}`;
  const shared = { ...env, OKTA_ISSUER: issuer, OKTA_CLIENT_ID: clientId };
  return {
    issuer,
    clientId,
    spaUrl,
    apiUrl,
    username: env.DEV_USERNAME?.trim() || DEFAULTS.DEV_USERNAME,
    password: env.DEV_PASSWORD?.trim() || DEFAULTS.DEV_PASSWORD,
    processes: [
      {
        name: 'issuer',
        args: ['dev-issuer/main.mjs'],
        env: { ...env, DEV_ISSUER_PORT: String(issuerPort), DEV_CLIENT_ID: clientId, DEV_SPA_ORIGIN: spaUrl },
        readyUrl: `${issuer}/.well-known/openid-configuration`,
      },
      {
        name: 'api',
        args: ['dist/main'],
        // HOST: the demo stays on loopback like the other two.
        env: { ...shared, PORT: String(apiPort), HOST: '127.0.0.1', CORS_ORIGINS: spaUrl, ...dpopSettings(env) },
        readyUrl: `${apiUrl}/api/health`,
      },
      {
        name: 'spa',
        args: ['demo-spa/main.mjs'],
        env: { ...shared, SPA_PORT: String(spaPort), RESOURCE_SERVER_URL: apiUrl },
        readyUrl: `${spaUrl}/`,
      },
    ],
  };
}

/** DEV_DPOP_NONCE=true: the resource server asks for DPoP nonces too (the issuer reads the same setting). */
function dpopSettings(env) {
  return env.DEV_DPOP_NONCE?.trim() === 'true' ? { OKTA_DPOP_NONCE: 'true' } : {};
}
