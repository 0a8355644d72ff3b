import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AccessTokenClaims } from '../access-token-claims';
import { AuthDecisionEvents } from '../auth-decision-events';
import { VerifiedTokenCache } from '../cache/verified-token-cache';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { toBearerTokenError } from '../errors/to-bearer-token-error';
// The extraction passport-jwt is configured with, so the cache sees the very token passport would.
import { extractBearerToken, JWT_STRATEGY, VERIFIED_WITH, VerifyingRequest } from '../strategies/okta-jwt.strategy';

interface AuthenticatedRequest extends VerifyingRequest {
  user?: Readonly<AccessTokenClaims>;
}

/**
 * Global: every route needs a valid access token unless it is marked `@Public()`. A token verified
 * before is served from the VerifiedTokenCache; any other goes through passport-jwt.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  constructor(
    private readonly reflector: Reflector,
    private readonly cache: VerifiedTokenCache,
    private readonly decisions: AuthDecisionEvents,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = extractBearerToken(request as never);
    const cacheId = token && this.cache.enabled ? this.cache.idOf(token) : undefined;
    const cached = cacheId ? this.cache.get(cacheId) : undefined;
    if (cached) {
      request.user = cached;
      this.decisions.emit('allowed', cached, true);
      return true;
    }

    await super.canActivate(context);
    const claims = request.user!;
    const verifiedWith = request[VERIFIED_WITH];
    if (cacheId && verifiedWith) this.cache.set(cacheId, claims, verifiedWith);
    this.decisions.emit('allowed', claims, false);
    return true;
  }

  override handleRequest<T>(err: unknown, user: T | false, info: unknown): T {
    if (user && !err) return user;
    throw toBearerTokenError(err ?? info);
  }
}
