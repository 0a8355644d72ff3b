import type { RoutePolicy } from '../guards/route-policies';

/**
 * RFC 9728 §2 `scopes_supported`: every scope a request to this server can be asked for, so a client
 * can request them from the authorization server up front. OKTA_REQUIRED_SCOPES, then each route's
 * `@Scopes()` and every scope of its `@AnyScope()` groups; sorted, each once.
 */
export function scopesSupported(requiredScopes: readonly string[], policies: Iterable<RoutePolicy>): string[] {
  const scopes = new Set(requiredScopes);
  for (const { allScopes, anyScopeGroups } of policies) {
    for (const scope of allScopes) scopes.add(scope);
    for (const group of anyScopeGroups) for (const scope of group) scopes.add(scope);
  }
  return [...scopes].sort();
}
