import { createLocalJWKSet, jwtVerify } from 'jose';

const INACTIVE = Object.freeze({ active: false });

/**
 * Okta's /v1/introspect, on top of oidc-provider's:
 * - JWT access tokens: oidc-provider refuses to introspect structured tokens (400
 *   unsupported_token_type); Okta answers for its own. This verifies the token with the issuer's keys
 *   and answers `active: true` while it is unexpired, unrevoked and its grant still exists (sign-out
 *   revokes it, and revoking the refresh token ends the grant).
 * - Every active answer gets Okta's members: `sub` and `username` are the user's login, `uid` the
 *   user id, `token_type` Bearer; a refresh token's answer has no `iss`, `aud`, `iat` or `jti`, as Okta's.
 * - JWT access tokens revoked at /v1/revoke are remembered (oidc-provider cannot revoke them).
 * Runs inside acceptStructuredTokenRevocation, so it sees the provider's own refusal.
 */
export function introspectLikeOkta({ issuer, audience, publicJwks, account, registry, mayIntrospect }) {
  const keys = createLocalJWKSet(publicJwks);
  const verify = async (token) => {
    try {
      return (await jwtVerify(token, keys, { issuer, audience, algorithms: ['RS256'], typ: 'at+jwt' })).payload;
    } catch {
      return undefined;
    }
  };

  return async (ctx, next) => {
    await next();
    const { route, client, params } = ctx.oidc ?? {};
    if (client === undefined || typeof params?.token !== 'string') return;
    const refusedAsStructured = ctx.status === 400 && ctx.body?.error === 'unsupported_token_type';

    if (route === 'revocation' && refusedAsStructured) {
      const payload = await verify(params.token);
      // RFC 7009 §2.1: a client revokes only its own tokens.
      if (payload && payload.cid === client.clientId) registry.revoke(payload.jti);
      return;
    }
    if (route !== 'introspection') return;
    if (refusedAsStructured) {
      ctx.status = 200;
      ctx.body = await answerForJwt(ctx, await verify(params.token));
    } else if (ctx.status === 200 && ctx.body?.active === true) {
      ctx.body = oktaShaped(ctx.body, ctx.oidc.entities.RefreshToken !== undefined);
    }
  };

  async function answerForJwt(ctx, payload) {
    if (!payload || !mayIntrospect(ctx.oidc.client, payload.cid)) return INACTIVE;
    const grantId = registry.grantOf(payload.jti);
    const grant = grantId && (await ctx.oidc.provider.Grant.find(grantId));
    if (!grant) return INACTIVE;
    return {
      active: true,
      scope: Array.isArray(payload.scp) ? payload.scp.join(' ') : undefined,
      username: payload.sub,
      exp: payload.exp,
      iat: payload.iat,
      sub: payload.sub,
      aud: payload.aud,
      iss: payload.iss,
      jti: payload.jti,
      // RFC 9449 §6.2: a DPoP-bound token says so, with the key it is bound to.
      token_type: payload.cnf?.jkt ? 'DPoP' : 'Bearer',
      client_id: payload.cid,
      uid: payload.uid,
      // RFC 9470 §6.2: how and when the user signed in, for step-up at a resource server that introspects.
      ...(payload.acr !== undefined ? { acr: payload.acr } : {}),
      ...(payload.auth_time !== undefined ? { auth_time: payload.auth_time } : {}),
      ...(payload.cnf ? { cnf: payload.cnf } : {}),
    };
  }

  function oktaShaped(body, isRefreshToken) {
    const { sid: _sid, ...answer } = body;
    if (answer.sub === account.accountId) {
      answer.sub = account.login;
      answer.username = account.login;
      if (!isRefreshToken) answer.uid = account.accountId;
    }
    if (isRefreshToken) {
      for (const member of ['iss', 'aud', 'iat', 'jti']) delete answer[member];
      answer.token_type = 'Bearer';
    }
    return answer;
  }
}
