/**
 * The verified claims of an access token (RFC 9068 §2.2), in the shapes real issuers send:
 * Okta's `cid`, `uid` and `scp` array, Entra ID's `scp` string, `azp`/`appid`, RFC 9068's
 * `client_id` and `scope`.
 */
export interface AccessTokenClaims {
  iss: string;
  sub?: string;
  /** RFC 7519 §4.1.3: one StringOrURI, or an array of them. */
  aud: string | string[];
  /** RFC 7519 §2 NumericDate: seconds since the epoch, fractions allowed. */
  exp: number;
  iat?: number;
  nbf?: number;
  jti?: string;
  /** Okta: the client the token was issued to. */
  cid?: string;
  /** RFC 9068 §2.2: the client the token was issued to. */
  client_id?: string;
  /** OpenID Connect (Auth0, Keycloak, Entra ID v2): the authorized party, the client. */
  azp?: string;
  /** Entra ID v1: the client. */
  appid?: string;
  /** Okta: scopes as an array; Entra ID: one space-delimited string. */
  scp?: ScopeClaim;
  /** RFC 9068 §2.2.3 / RFC 8693 §4.2: a space-delimited string; some issuers send an array. */
  scope?: ScopeClaim;
  /** RFC 7800 confirmation: `jkt` binds the token to a DPoP key (RFC 9449 §6.1). */
  cnf?: { jkt?: string; [method: string]: unknown };
  [claim: string]: unknown;
}

/** The two shapes a scope claim comes in: RFC 6749 §3.3's space-delimited string, or a JSON array of strings. */
export type ScopeClaim = string | readonly string[];

/**
 * True for a string or an array whose every element is a string (empty ones included). Anything
 * else (a number, boolean, null, object, or an array holding a non-string) is neither shape.
 */
export function isScopeClaim(value: unknown): value is ScopeClaim {
  return typeof value === 'string' || (Array.isArray(value) && value.every((s) => typeof s === 'string'));
}

/**
 * Every scope granted by `scp` and `scope`, whichever is present and whichever shape each has. A
 * string is split on spaces (RFC 6749 §3.3; runs of spaces tolerated); an array's entries are taken
 * whole, so `["a b"]` grants the scope "a b", never "a" or "b". Other shapes grant nothing; the
 * claim checks refuse them before this is asked.
 */
export function scopesOf(claims: AccessTokenClaims): Set<string> {
  const scopes = new Set<string>();
  for (const claim of [claims.scp, claims.scope]) {
    if (typeof claim === 'string') {
      for (const s of claim.split(' ')) if (s) scopes.add(s);
    } else if (Array.isArray(claim)) {
      for (const s of claim) if (typeof s === 'string' && s) scopes.add(s);
    }
  }
  return scopes;
}
