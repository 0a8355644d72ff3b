import { DEFAULTS, issuerUrl } from '../dev-issuer/settings.mjs';

/** The demo's ports: the settings that move them, what listens there, and the defaults Okta's samples expect. */
export const DEMO_PORTS = Object.freeze([
  { setting: 'DEMO_ISSUER_PORT', what: 'the local issuer', option: 'issuerPort', fallback: 9000 },
  { setting: 'DEMO_API_PORT', what: 'the resource server', option: 'apiPort', fallback: 8000 },
  { setting: 'DEMO_SPA_PORT', what: 'the demo SPA', option: 'spaPort', fallback: 8080 },
]);

/**
 * The demo's ports from DEMO_ISSUER_PORT, DEMO_API_PORT and DEMO_SPA_PORT (defaults 9000, 8000, 8080).
 * Throws an Error whose one-line message names the setting when a value is not a port.
 */
export function demoPorts(env = process.env) {
  const ports = {};
  for (const { setting, option, fallback } of DEMO_PORTS) {
    const raw = env[setting]?.trim();
    const port = raw ? Number(raw) : fallback;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`${setting} must be a port number from 1 to 65535, got "${env[setting]}"`);
    }
    ports[option] = port;
  }
  return ports;
}

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
        port: issuerPort,
        setting: 'DEMO_ISSUER_PORT',
      },
      {
        name: 'api',
        args: ['dist/main'],
        // HOST: the demo stays on loopback like the other two.
        env: { ...shared, PORT: String(apiPort), HOST: '127.0.0.1', CORS_ORIGINS: spaUrl, ...dpopSettings(env) },
        // Ready once it holds the issuer's keys, so its key-fetch log line comes before the banner.
        readyUrl: `${apiUrl}/api/health/ready`,
        port: apiPort,
        setting: 'DEMO_API_PORT',
      },
      {
        name: 'spa',
        args: ['demo-spa/main.mjs'],
        env: { ...shared, SPA_PORT: String(spaPort), RESOURCE_SERVER_URL: apiUrl },
        readyUrl: `${spaUrl}/`,
        port: spaPort,
        setting: 'DEMO_SPA_PORT',
      },
    ],
  };
}

/** DEV_DPOP_NONCE=true: the resource server asks for DPoP nonces too (the issuer reads the same setting). */
function dpopSettings(env) {
  return env.DEV_DPOP_NONCE?.trim() === 'true' ? { OKTA_DPOP_NONCE: 'true' } : {};
}
