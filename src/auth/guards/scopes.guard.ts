import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AccessTokenClaims, scopesOf } from '../access-token-claims';
import { InsufficientScopeError } from '../errors/bearer-token.error';
import { RoutePolicies } from './route-policies';

/**
 * Runs after JwtAuthGuard. Every protected route needs OKTA_REQUIRED_SCOPES, plus every scope its
 * `@Scopes()` list (controller and handler), plus one of each `@AnyScope()` group; a shortfall is a
 * 403 naming the scopes of the first requirement not met (RFC 6750 §3.1).
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(private readonly policies: RoutePolicies) {}

  canActivate(context: ExecutionContext): boolean {
    const { isPublic, allScopes, anyScopeGroups } = this.policies.of(context);
    if (isPublic || (allScopes.length === 0 && anyScopeGroups.length === 0)) return true;

    const claims = context.switchToHttp().getRequest<{ user: AccessTokenClaims }>().user;
    const granted = scopesOf(claims);
    if (!allScopes.every((s) => granted.has(s))) throw new InsufficientScopeError(allScopes, { sub: claims.sub });
    for (const group of anyScopeGroups) {
      if (!group.some((s) => granted.has(s))) throw new InsufficientScopeError(group, { sub: claims.sub });
    }
    return true;
  }
}
