/**
 * Okta puts how and when the user signed in into every access token (`acr`, `auth_time`), which is
 * what a resource server checks for step-up (RFC 9470 §4). oidc-provider keeps both on the
 * authorization code and the refresh token but not in access tokens; `extraTokenClaims` copies them
 * from whichever of the two the token is being issued for. They then also appear in introspection answers.
 */
export async function signInClaims(ctx) {
  const source = ctx?.oidc?.entities?.AuthorizationCode ?? ctx?.oidc?.entities?.RefreshToken;
  if (!source) return undefined;
  return {
    ...(source.acr !== undefined && { acr: source.acr }),
    ...(source.authTime !== undefined && { auth_time: source.authTime }),
  };
}

/**
 * Okta's ID tokens always say how and when the user signed in; oidc-provider releases `acr`,
 * `amr` and `auth_time` only when requested. Released with `openid` here, so the ID token carries
 * the `acr` achieved, which okta-auth-js compares with the `acrValues` it asked for.
 */
export function withSignInClaims(scopeClaims) {
  return { ...scopeClaims, openid: [...scopeClaims.openid, 'acr', 'amr', 'auth_time'] };
}
