import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { AccessTokenClaims, scopesOf } from '../access-token-claims';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { SCOPES_KEY, ScopeRequirement } from '../decorators/scopes.decorator';
import { InsufficientScopeError } from '../errors/bearer-token.error';

/**
 * Runs after JwtAuthGuard. Every protected route needs OKTA_REQUIRED_SCOPES, plus what its own
 * `@Scopes()` (all of) or `@AnyScope()` (one of) asks for; a shortfall is a 403 (RFC 6750 §3.1).
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @InjectAppConfig() private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    const route = this.reflector.getAllAndOverride<ScopeRequirement | undefined>(SCOPES_KEY, targets);
    const all = [...this.config.okta.requiredScopes, ...(route?.all ?? [])];
    const any = route?.any ?? [];
    if (all.length === 0 && any.length === 0) return true;

    const claims = context.switchToHttp().getRequest<{ user: AccessTokenClaims }>().user;
    const granted = scopesOf(claims);
    const missing = all.filter((s) => !granted.has(s));
    if (missing.length > 0) throw new InsufficientScopeError(all, { sub: claims.sub });
    if (any.length > 0 && !any.some((s) => granted.has(s))) throw new InsufficientScopeError(any, { sub: claims.sub });
    return true;
  }
}
