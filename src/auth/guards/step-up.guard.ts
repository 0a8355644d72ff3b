import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { AccessTokenClaims } from '../access-token-claims';
import { InvalidTokenError } from '../errors/bearer-token.error';
import { InsufficientUserAuthenticationError } from '../errors/insufficient-user-authentication.error';
import { unmetRequirements } from '../step-up/unmet-requirements';
import { authTimeViolation } from '../validation/auth-time';
import { RoutePolicies } from './route-policies';

/**
 * Runs after ScopesGuard (step-up is asked last: a token refused for its scopes would be refused
 * after any new sign-in too, so the user is never sent through a second factor for nothing).
 * A route whose requirement (OKTA_REQUIRED_ACR, OKTA_MAX_AUTH_AGE, `@RequireAuthentication()`) the
 * token's `acr`/`auth_time` do not meet is refused with 401 insufficient_user_authentication
 * (RFC 9470 §3). Checked on every request, cached token or not: `auth_time` ages.
 */
@Injectable()
export class StepUpGuard implements CanActivate {
  private readonly toleranceSeconds: number;

  constructor(
    private readonly policies: RoutePolicies,
    @InjectAppConfig() config: AppConfig,
  ) {
    this.toleranceSeconds = config.okta.clockToleranceSeconds;
  }

  canActivate(context: ExecutionContext): boolean {
    const { isPublic, stepUp } = this.policies.of(context);
    if (isPublic || stepUp === undefined) return true;

    // The claims the token was accepted with, whichever way it was validated.
    const claims = context.switchToHttp().getRequest<{ user: Readonly<AccessTokenClaims> }>().user;
    const now = Math.floor(Date.now() / 1000);
    // Validity first: claims from a source that did not check auth_time get the same answer a JWT does.
    const invalid = authTimeViolation(claims.auth_time, now, this.toleranceSeconds);
    if (invalid) throw new InvalidTokenError(invalid, { iss: claims.iss, aud: claims.aud, sub: claims.sub });

    const unmet = unmetRequirements(claims, stepUp, now, this.toleranceSeconds);
    if (unmet.length > 0) {
      throw new InsufficientUserAuthenticationError(stepUp, unmet, {
        sub: claims.sub,
        acr: claims.acr,
        auth_time: claims.auth_time,
      });
    }
    return true;
  }
}
