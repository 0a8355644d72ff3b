import { createLocalJWKSet, jwtVerify } from 'jose';
import { SCOPE_CLAIMS } from '../account.mjs';

/**
 * okta-auth-js `getUser()` calls /v1/userinfo with the access token, whose `aud` is `api://default`.
 * oidc-provider refuses that at userinfo (an audience other than itself) and, since JWT access tokens
 * are not stored, cannot even find it. Okta's own authorization server answers; so does this: the
 * token is verified with the issuer's own keys and the demo user's claims are filtered by its `scp`.
 */
export function userinfoForJwtAccessTokens({ path, issuer, audience, publicJwks, account, isAllowedOrigin }) {
  const keys = createLocalJWKSet(publicJwks);
  return async (ctx, next) => {
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(ctx.get('authorization'))?.[1];
    if (ctx.path !== path || !['GET', 'POST'].includes(ctx.method) || token === undefined) return next();

    const origin = ctx.get('origin');
    ctx.vary('Origin');
    if (origin && isAllowedOrigin(origin)) ctx.set('Access-Control-Allow-Origin', origin);
    ctx.set('Cache-Control', 'no-store');

    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer, audience, algorithms: ['RS256'], typ: 'at+jwt' }));
    } catch (err) {
      return refuse(ctx, 401, 'invalid_token', `invalid access token (${err.code ?? 'unverifiable'})`);
    }
    const scopes = Array.isArray(payload.scp) ? payload.scp : [];
    if (!scopes.includes('openid')) return refuse(ctx, 403, 'insufficient_scope', 'access token missing openid scope');
    if (payload.uid !== account.accountId) return refuse(ctx, 401, 'invalid_token', 'associated account not found');

    const all = account.claims();
    const released = scopes.flatMap((scope) => SCOPE_CLAIMS[scope] ?? []);
    ctx.body = Object.fromEntries(released.map((claim) => [claim, all[claim]]));
  };
}

function refuse(ctx, status, error, description) {
  ctx.status = status;
  ctx.set('WWW-Authenticate', `Bearer error="${error}", error_description="${description}"`);
  ctx.body = { error, error_description: description };
}
