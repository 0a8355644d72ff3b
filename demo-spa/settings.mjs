/**
 * The SPA reads the same OKTA_ISSUER and OKTA_CLIENT_ID as the resource server, so `npm run demo`
 * sets each once and the issuer, the API and the SPA cannot disagree.
 */
export function loadSpaSettings(env = process.env) {
  const port = Number(env.SPA_PORT?.trim() || '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`SPA_PORT must be an integer from 0 to 65535, got "${env.SPA_PORT}"`);
  }
  const apiUrl = env.RESOURCE_SERVER_URL?.trim() || 'http://localhost:8000';
  return {
    port,
    client: {
      issuer: env.OKTA_ISSUER?.trim() || 'http://localhost:9000/oauth2/default',
      clientId: env.OKTA_CLIENT_ID?.trim() || '0oa-local-spa',
      messagesUrl: new URL('/api/messages', apiUrl).href,
      // Needs a recent two-factor sign-in (RFC 9470 step-up); see the sensitive action in app.js.
      sensitiveUrl: new URL('/api/messages/sensitive', apiUrl).href,
      // okta-auth-js `dpop: true`: DPoP-bound tokens, sent with getDPoPAuthorizationHeaders.
      dpop: env.DEV_DPOP?.trim() === 'true',
    },
  };
}
