import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AccessTokenClaims, scopesOf } from '../access-token-claims';
import { InsufficientScopeError } from '../errors/bearer-token.error';
import { RoutePolicies } from './route-policies';

/**
 * Runs after JwtAuthGuard. Every protected route needs OKTA_REQUIRED_SCOPES, plus what its own
 * `@Scopes()` (all of) or `@AnyScope()` (one of) asks for; a shortfall is a 403 (RFC 6750 §3.1).
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(private readonly policies: RoutePolicies) {}

  canActivate(context: ExecutionContext): boolean {
    const { isPublic, allScopes, anyScopes } = this.policies.of(context);
    if (isPublic || (allScopes.length === 0 && anyScopes.length === 0)) return true;

    const claims = context.switchToHttp().getRequest<{ user: AccessTokenClaims }>().user;
    const granted = scopesOf(claims);
    if (!allScopes.every((s) => granted.has(s))) throw new InsufficientScopeError(allScopes, { sub: claims.sub });
    if (anyScopes.length > 0 && !anyScopes.some((s) => granted.has(s))) {
      throw new InsufficientScopeError(anyScopes, { sub: claims.sub });
    }
    return true;
  }
}
