/**
 * okta-auth-js `signOut()` revokes the JWT access token too; oidc-provider refuses with
 * `unsupported_token_type` ("structured tokens cannot be revoked"), which makes signOut() throw
 * before it reaches /v1/logout. RFC 7009 §2.2 lets the server answer 200 for a token it cannot
 * revoke; the JWT simply runs out (1 h), as an Okta JWT does at a resource server that validates locally.
 */
export async function acceptStructuredTokenRevocation(ctx, next) {
  await next();
  if (
    ctx.oidc?.route === 'revocation' &&
    ctx.oidc.client !== undefined &&
    ctx.status === 400 &&
    ctx.body?.error === 'unsupported_token_type'
  ) {
    ctx.status = 200;
    // The error's application/json type would stay; the SDK then fails to parse the empty body as JSON.
    ctx.remove('Content-Type');
    ctx.body = '';
  }
}
