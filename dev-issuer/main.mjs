// A demo password and a signing key on disk: this must never run as a production authorization server.
// Checked before anything is imported, so the refusal is the only line printed.
if (process.env.NODE_ENV === 'production') {
  console.error('dev issuer refuses to start with NODE_ENV=production: it is for local development only');
  process.exit(1);
}

const { loadDevIssuerSettings } = await import('./settings.mjs');
const { startDevIssuer } = await import('./create-dev-issuer.mjs');

try {
  const settings = loadDevIssuerSettings();
  const { issuer } = await startDevIssuer(settings);
  console.log(
    [
      `LOCAL DEVELOPMENT issuer (oidc-provider, Okta-compatible), bound to 127.0.0.1 only - never use in production`,
      `  issuer     ${issuer}`,
      `  discovery  ${issuer}/.well-known/openid-configuration`,
      `  client id  ${settings.clientId}  (public SPA, PKCE, redirect ${settings.spaOrigin}/login/callback)`,
      `  sign in as ${settings.username} / ${settings.password}`,
      `  introspect ${issuer}/v1/introspect as ${settings.apiClientId} / ${settings.apiClientSecret} (client_secret_basic; ${settings.apiClientId}-post: client_secret_post)`,
      ...(settings.accessTokenFormat === 'opaque' ? ['  access tokens are opaque: validate them by introspection'] : []),
      `  keys       ${settings.keysFile}`,
    ].join('\n'),
  );
} catch (err) {
  console.error(`dev issuer failed to start: ${err.message}`);
  process.exit(1);
}
