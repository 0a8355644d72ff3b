import { createServer } from 'node:http';
import Provider from 'oidc-provider';
import { DemoAccount } from './account.mjs';
import { loadOrCreateKeys } from './keys.mjs';
import { providerConfig } from './provider-config.mjs';
import { API_AUDIENCE, ISSUER_PATH, issuerUrl } from './settings.mjs';
import { interactionRoutes } from './interactions/interaction-routes.mjs';
import { colonlessBasicAuth } from './okta-compat/colonless-basic-auth.mjs';
import { acceptStructuredTokenRevocation } from './okta-compat/revoke-structured-tokens.mjs';
import { userinfoForJwtAccessTokens } from './okta-compat/userinfo-for-jwt-access-tokens.mjs';
import { introspectLikeOkta } from './okta-compat/introspect-like-okta.mjs';
import { IssuedAccessTokens } from './okta-compat/issued-access-tokens.mjs';
import { mayIntrospect } from './introspection-clients.mjs';

/** Loopback only: this issuer signs tokens for a hard-coded password and must never be reachable from elsewhere. */
const HOST = '127.0.0.1';

/**
 * Starts the Okta-compatible dev issuer on 127.0.0.1. Port 0 picks a free port; the issuer URL
 * (which embeds the port, as every token's `iss` must match it) is known only once listening.
 */
export async function startDevIssuer(settings) {
  const keys = await loadOrCreateKeys(settings.keysFile);
  const account = new DemoAccount(settings);
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, HOST, resolve);
  });
  const port = server.address().port;
  const issuer = issuerUrl(port);

  const provider = new Provider(issuer, providerConfig({ settings, keys, account }));
  // Plain http on localhost only; behind nothing, so no proxy headers are trusted.
  provider.proxy = false;
  provider.use(colonlessBasicAuth(['/v1/revoke', '/v1/introspect']));
  provider.use(acceptStructuredTokenRevocation);
  provider.use(
    userinfoForJwtAccessTokens({
      path: '/v1/userinfo',
      issuer,
      audience: API_AUDIENCE,
      publicJwks: { keys: keys.jwks.keys.map(publicPart) },
      account,
      isAllowedOrigin: (origin) => origin === settings.spaOrigin,
    }),
  );

  // After acceptStructuredTokenRevocation, so it runs inside it and sees the provider's own refusals.
  provider.use(
    introspectLikeOkta({
      issuer,
      audience: API_AUDIENCE,
      publicJwks: { keys: keys.jwks.keys.map(publicPart) },
      account,
      registry: IssuedAccessTokens.watch(provider),
      mayIntrospect: (client, tokenClientId) => mayIntrospect(settings, client, tokenClientId),
    }),
  );

  const handleProvider = provider.callback();
  const handleInteraction = interactionRoutes(provider, account);
  server.on('request', async (req, res) => {
    if (req.url === ISSUER_PATH || req.url.startsWith(`${ISSUER_PATH}/`)) {
      // Mounted like Express's app.use(path, ...): oidc-provider reads the mount path from originalUrl.
      req.originalUrl = req.url;
      req.url = req.url.slice(ISSUER_PATH.length) || '/';
      return handleProvider(req, res);
    }
    if (await handleInteraction(req, res)) return;
    // Browsers ask every origin for an icon; a 404 would be an error in the console of each sign-in page.
    if (req.url === '/favicon.ico') {
      res.writeHead(204, { 'Cache-Control': 'public, max-age=86400' });
      return res.end();
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`not found; the issuer is ${issuer}`);
  });

  return {
    issuer,
    port,
    provider,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function publicPart({ kty, n, e, kid, alg, use }) {
  return { kty, n, e, kid, alg, use };
}
