/** The verified claims of an access token (RFC 9068 §2.2, plus Okta's `cid`, `uid` and `scp`). */
export interface AccessTokenClaims {
  iss: string;
  sub?: string;
  aud: string | string[];
  exp: number;
  iat?: number;
  nbf?: number;
  jti?: string;
  /** Okta: the client the token was issued to. */
  cid?: string;
  /** RFC 9068: the client the token was issued to. */
  client_id?: string;
  /** Okta: scopes as an array. */
  scp?: string[];
  /** RFC 8693 / RFC 9068: scopes as a space-separated string. */
  scope?: string;
  /** RFC 7800 confirmation: `jkt` binds the token to a DPoP key (RFC 9449 §6.1). */
  cnf?: { jkt?: string; [method: string]: unknown };
  [claim: string]: unknown;
}

/** Okta puts scopes in `scp` (array); other issuers in `scope` (space-separated). Read both. */
export function scopesOf(claims: AccessTokenClaims): Set<string> {
  const scopes = new Set<string>();
  if (Array.isArray(claims.scp)) {
    for (const s of claims.scp) if (typeof s === 'string') scopes.add(s);
  }
  if (typeof claims.scope === 'string') {
    for (const s of claims.scope.split(' ')) if (s) scopes.add(s);
  }
  return scopes;
}
