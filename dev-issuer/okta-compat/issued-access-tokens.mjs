/** Most JWT access tokens remembered; the oldest are forgotten first (a forgotten token introspects inactive). */
const MAX_TOKENS = 10_000;

/**
 * What oidc-provider does not keep for JWT ("structured") access tokens: which grant each was issued
 * under, and whether it was revoked. Introspection needs both to answer `active: false` after a
 * sign-out, as Okta does. In memory, like the provider's grants: after a restart every earlier JWT
 * access token introspects inactive (its grant is gone too), while it still verifies locally.
 */
export class IssuedAccessTokens {
  #tokens = new Map();

  /** Listens to the provider's `access_token.issued`, which it emits for structured tokens only. */
  static watch(provider) {
    const registry = new IssuedAccessTokens();
    provider.on('access_token.issued', (token) => registry.issued(token.jti, token.grantId, token.exp));
    return registry;
  }

  issued(jti, grantId, exp) {
    if (this.#tokens.size >= MAX_TOKENS) this.#forgetExpired();
    while (this.#tokens.size >= MAX_TOKENS) this.#tokens.delete(this.#tokens.keys().next().value);
    this.#tokens.set(jti, { grantId, exp, revoked: false });
  }

  revoke(jti) {
    const token = this.#tokens.get(jti);
    if (token) token.revoked = true;
  }

  /** The grant a live, unrevoked token was issued under; undefined for a revoked or unknown one. */
  grantOf(jti) {
    const token = this.#tokens.get(jti);
    return token && !token.revoked ? token.grantId : undefined;
  }

  #forgetExpired() {
    const now = Date.now() / 1000;
    for (const [jti, token] of this.#tokens) if (token.exp <= now) this.#tokens.delete(jti);
  }
}
