import { OpenAPIObject } from '@nestjs/swagger';
import { InsufficientUserAuthenticationError } from '../auth/errors/insufficient-user-authentication.error';
import { WwwAuthenticate } from '../auth/errors/www-authenticate';
import { StepUpRoute } from '../auth/step-up/step-up-routes';

/** The OpenAPI extension naming a route's step-up requirement, with RFC 9470's parameter names. */
export const STEP_UP_EXTENSION = 'x-required-user-authentication';

/**
 * Writes each route's step-up requirement (RFC 9470; settings and decorators combined) into its
 * operation: a sentence in the description, the requirement as an extension, and the 401 it causes.
 * Operations are matched by @nestjs/swagger's default operationId, `<Controller>_<method>`.
 */
export function describeStepUp(document: OpenAPIObject, routes: readonly StepUpRoute[], challenges: WwwAuthenticate): void {
  const byOperationId = new Map(routes.map((route) => [`${route.controller.name}_${route.methodName}`, route.requirement]));
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem)) {
      const requirement = typeof operation === 'object' && operation && 'operationId' in operation ? byOperationId.get(operation.operationId) : undefined;
      if (!requirement) continue;
      const needs = [
        requirement.acr && `an acr of ${requirement.acr.join(' or ')}`,
        requirement.maxAge !== undefined && `a sign-in (auth_time) at most ${requirement.maxAge} seconds old`,
      ].filter(Boolean);
      // Rendered as the filter renders it, for a Bearer request with every requirement unmet.
      const unmet = [...(requirement.acr ? (['acr'] as const) : []), ...(requirement.maxAge !== undefined ? (['max_age'] as const) : [])];
      const challenge = challenges.of(new InsufficientUserAuthenticationError(requirement, unmet), 'Bearer');
      operation.description = [
        operation.description,
        `Step-up authentication (RFC 9470): the access token must show ${needs.join(' and ')}.`,
      ]
        .filter(Boolean)
        .join('\n\n');
      operation[STEP_UP_EXTENSION] = {
        ...(requirement.acr && { acr_values: [...requirement.acr] }),
        ...(requirement.maxAge !== undefined && { max_age: requirement.maxAge }),
      };
      const refusal =
        `A sign-in that is too weak or too old: \`WWW-Authenticate: ${challenge}\` (acr_values and max_age only when ` +
        `that part failed). Sign in again asking for them, then retry.`;
      const responses = (operation.responses ??= {});
      const unauthorized = responses['401'] as { description?: string } | undefined;
      responses['401'] = { ...unauthorized, description: [unauthorized?.description, refusal].filter(Boolean).join(' Or: ') };
    }
  }
}
