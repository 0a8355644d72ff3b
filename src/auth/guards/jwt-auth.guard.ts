import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AccessTokenClaims } from '../access-token-claims';
import { AuthDecisionEvents } from '../auth-decision-events';
import { VerifiedTokenCache } from '../cache/verified-token-cache';
import { toBearerTokenError } from '../errors/to-bearer-token-error';
// The extraction passport-jwt is configured with, so the cache sees the very token passport would.
import { extractBearerToken, JWT_STRATEGY, VERIFIED_WITH, VerifyingRequest } from '../strategies/okta-jwt.strategy';
import { RoutePolicies } from './route-policies';

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
    private readonly policies: RoutePolicies,
    private readonly cache: VerifiedTokenCache,
    private readonly decisions: AuthDecisionEvents,
  ) {
    super();
  }

  /** Public routes and cached tokens are answered synchronously: Nest awaits only a promise. */
  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.policies.of(context).isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = extractBearerToken(request as never);
    const cacheId = token && this.cache.enabled ? this.cache.idOf(token) : undefined;
    const cached = cacheId ? this.cache.get(cacheId) : undefined;
    if (cached) {
      request.user = cached;
      this.decisions.emit('allowed', cached, true);
      return true;
    }
    return this.verify(context, request, cacheId);
  }

  override handleRequest<T>(err: unknown, user: T | false, info: unknown): T {
    if (user && !err) return user;
    throw toBearerTokenError(err ?? info);
  }

  private async verify(context: ExecutionContext, request: AuthenticatedRequest, cacheId?: string): Promise<boolean> {
    await super.canActivate(context);
    const claims = request.user!;
    const verifiedWith = request[VERIFIED_WITH];
    if (cacheId && verifiedWith) this.cache.set(cacheId, claims, verifiedWith);
    this.decisions.emit('allowed', claims, false);
    return true;
  }
}
