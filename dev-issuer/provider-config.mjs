import { errors } from 'oidc-provider';
import { API_AUDIENCE } from './settings.mjs';
import { SCOPE_CLAIMS } from './account.mjs';
import { oktaAccessTokenCustomizer } from './okta-compat/access-token-claims.mjs';
import { submitLogoutAtOnce } from './okta-compat/logout-without-confirmation.mjs';
import { SUPPORTED_ACR_VALUES } from './step-up/authentication-levels.mjs';
import { stepUpInteractionPolicy } from './step-up/acr-values-check.mjs';
import { signInClaims, withSignInClaims } from './step-up/sign-in-claims.mjs';
import { introspectionClients, mayIntrospect } from './introspection-clients.mjs';
import { DPOP_SIGNING_ALGS, dpopFeature } from './okta-compat/dpop.mjs';

const HOUR = 60 * 60;
const DAY = 24 * HOUR;
const SPA_SCOPES = 'openid profile email offline_access';

/** oidc-provider configuration that makes it look, to okta-auth-js, like Okta's `default` authorization server. */
export function providerConfig({ settings, keys, account }) {
  const isAllowedOrigin = (origin) => origin === settings.spaOrigin;
  return {
    clients: [
      {
        client_id: settings.clientId,
        client_name: 'Demo SPA',
        application_type: 'web',
        // A public client, like an Okta "Single-Page App": no secret, PKCE instead.
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${settings.spaOrigin}/login/callback`],
        // Both spellings of the origin: okta-auth-js signOut() defaults to window.location.origin (no slash; Okta's
        // Vue and Angular samples), React's sample and this demo send `${origin}/`. Okta's own sample setup
        // registers the slash-less form; oidc-provider compares the strings exactly, so each needs registering.
        post_logout_redirect_uris: [settings.spaOrigin, `${settings.spaOrigin}/`],
        scope: SPA_SCOPES,
        ...(settings.dpop ? { dpop_bound_access_tokens: true } : {}),
      },
      ...introspectionClients(settings),
    ],
    jwks: keys.jwks,
    cookies: { keys: keys.cookieKeys },
    scopes: SPA_SCOPES.split(' '),
    claims: withSignInClaims(SCOPE_CLAIMS),
    // Okta puts profile and email claims in the ID token even when an access token is issued.
    conformIdTokenClaims: false,
    findAccount: async (_ctx, id) => (id === account.accountId ? { accountId: id, claims: async () => account.claims() } : undefined),
    pkce: { required: () => true },
    routes: {
      authorization: '/v1/authorize',
      token: '/v1/token',
      jwks: '/v1/keys',
      userinfo: '/v1/userinfo',
      end_session: '/v1/logout',
      revocation: '/v1/revoke',
      introspection: '/v1/introspect',
    },
    // Okta's SDK calls these from the SPA's origin, with Authorization, Content-Type and X-Okta-User-Agent-Extended
    // (preflights echo the requested headers); only the registered SPA origin gets an Access-Control-Allow-Origin.
    clientBasedCORS: (_ctx, origin) => isAllowedOrigin(origin),
    enabledJWA: { dPoPSigningAlgValues: DPOP_SIGNING_ALGS },
    features: {
      devInteractions: { enabled: false },
      dPoP: dpopFeature(settings),
      // A client may revoke only its own tokens; the resource-server clients may introspect the SPA's too.
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => mayIntrospect(settings, client, token.clientId) },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: submitLogoutAtOnce,
        // Shown only for a logout without post_logout_redirect_uri; the stock page loads a web font, and the demo is offline.
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Signed out</title></head><body><h1>You are signed out.</h1></body></html>';
        },
      },
      resourceIndicators: {
        enabled: true,
        // The SDK never sends `resource`; without a default the access token would be opaque and audience-less.
        defaultResource: () => API_AUDIENCE,
        // The SDK's token and refresh requests carry no `resource` either: use the one granted at authorization.
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== API_AUDIENCE) throw new errors.InvalidTarget();
          return {
            scope: SPA_SCOPES,
            audience: API_AUDIENCE,
            accessTokenFormat: settings.accessTokenFormat ?? 'jwt',
            accessTokenTTL: HOUR,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    formats: { customizers: { jwt: oktaAccessTokenCustomizer(account) } },
    // Step-up (RFC 9470): acr and auth_time in access tokens; acr_values honoured at /v1/authorize.
    acrValues: [...SUPPORTED_ACR_VALUES],
    extraTokenClaims: signInClaims,
    // OIDC Core §11 drops offline_access unless prompt=consent, which the SDK never sends, so the request's
    // offline_access is gone by now; Okta issues the refresh token anyway. Issued whenever the app may use
    // the refresh_token grant (the SPA always asks for offline_access).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: HOUR,
      AuthorizationCode: 60,
      IdToken: HOUR,
      RefreshToken: DAY,
      Interaction: HOUR,
      Session: DAY,
      Grant: DAY,
    },
    interactions: { policy: stepUpInteractionPolicy(), url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><h1>Sign-in error</h1><pre>${escapeHtml(JSON.stringify(out, null, 2))}</pre></body></html>`;
    },
  };
}

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
