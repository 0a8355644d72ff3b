import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AccessTokenClaims } from '../access-token-claims';
import { AuthDecisionEvents } from '../auth-decision-events';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { toBearerTokenError } from '../errors/to-bearer-token-error';
import { JWT_STRATEGY } from '../strategies/okta-jwt.strategy';

/** Global: every route needs a valid access token unless it is marked `@Public()`. */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  constructor(
    private readonly reflector: Reflector,
    private readonly decisions: AuthDecisionEvents,
  ) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    return isPublic || super.canActivate(context);
  }

  override handleRequest<T = AccessTokenClaims>(err: unknown, user: T | false, info: unknown): T {
    if (user && !err) {
      this.decisions.emit('allowed', user as unknown as AccessTokenClaims, false);
      return user;
    }
    throw toBearerTokenError(err ?? info);
  }
}
