import { Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { StepUpConfig } from '../../config/step-up-config';
import { AUTHENTICATION_REQUIREMENT_KEY } from '../decorators/require-authentication.decorator';
import { AuthenticationRequirement, combineRequirements } from './authentication-requirement';

/**
 * A route's step-up requirement: OKTA_REQUIRED_ACR/OKTA_MAX_AUTH_AGE, the controller's
 * `@RequireAuthentication()` and the handler's, all of which must hold. Undefined: none.
 */
export function readAuthenticationRequirement(
  reflector: Reflector,
  handler: object,
  controller: Type<unknown>,
  settings: StepUpConfig,
): AuthenticationRequirement | undefined {
  const read = (target: object) => reflector.get<AuthenticationRequirement | undefined>(AUTHENTICATION_REQUIREMENT_KEY, target as Type<unknown>);
  return combineRequirements([
    {
      acr: settings.requiredAcr.length > 0 ? settings.requiredAcr : undefined,
      maxAge: settings.maxAuthAgeSeconds,
    },
    read(controller),
    read(handler),
  ]);
}
