import { createLocalJWKSet, jwtVerify } from 'jose';
import { SCOPE_CLAIMS } from '../account.mjs';
import { dpopProofChecker } from './dpop.mjs';

/**
 * okta-auth-js `getUser()` calls /v1/userinfo with the access token, whose `aud` is `api://default`.
 * oidc-provider refuses that at userinfo (an audience other than itself) and, since JWT access tokens
 * are not stored, cannot even find it. Okta's own authorization server answers; so does this: the
 * token is verified with the issuer's own keys and the demo user's claims are filtered by its `scp`.
 * With `dpop: true` okta-auth-js calls it with `Authorization: DPoP` and a proof: a DPoP-bound token
 * (`cnf.jkt`) is accepted only so, with a valid proof for this URL (RFC 9449 §7).
 */
export function userinfoForJwtAccessTokens({ path, issuer, audience, publicJwks, account, isAllowedOrigin }) {
  const keys = createLocalJWKSet(publicJwks);
  const checkDpopProof = dpopProofChecker();
  return async (ctx, next) => {
    const [, scheme, token] = /^(Bearer|DPoP) ([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(ctx.get('authorization')) ?? [];
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
    const dpop = scheme.toLowerCase() === 'dpop';
    if (payload.cnf?.jkt !== undefined || dpop) {
      if (!dpop) return refuse(ctx, 401, 'invalid_token', 'DPoP-bound access token sent as a bearer token');
      if (payload.cnf?.jkt === undefined) return refuse(ctx, 401, 'invalid_token', 'access token is not DPoP-bound', 'DPoP');
      const problem = await checkDpopProof({ proof: ctx.get('dpop'), method: ctx.method, url: `${issuer}${path}`, accessToken: token, jkt: payload.cnf.jkt });
      if (problem) return refuse(ctx, 401, 'invalid_dpop_proof', problem, 'DPoP');
    }

    const all = account.claims();
    const released = scopes.flatMap((scope) => SCOPE_CLAIMS[scope] ?? []);
    ctx.body = Object.fromEntries(released.map((claim) => [claim, all[claim]]));
  };
}

function refuse(ctx, status, error, description, scheme = 'Bearer') {
  ctx.status = status;
  ctx.set('WWW-Authenticate', `${scheme} error="${error}", error_description="${description}"`);
  ctx.body = { error, error_description: description };
}
