import { OpenAPIObject } from '@nestjs/swagger';
import { StepUpRoute } from '../auth/step-up/step-up-routes';

/** The OpenAPI extension naming a route's step-up requirement, with RFC 9470's parameter names. */
export const STEP_UP_EXTENSION = 'x-required-user-authentication';

/**
 * Writes each route's step-up requirement (RFC 9470; settings and decorators combined) into its
 * operation: a sentence in the description, the requirement as an extension, and the 401 it causes.
 * Operations are matched by @nestjs/swagger's default operationId, `<Controller>_<method>`.
 */
export function describeStepUp(document: OpenAPIObject, routes: readonly StepUpRoute[]): void {
  const byOperationId = new Map(routes.map((route) => [`${route.controller.name}_${route.methodName}`, route.requirement]));
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem)) {
      const requirement = typeof operation === 'object' && operation && 'operationId' in operation ? byOperationId.get(operation.operationId) : undefined;
      if (!requirement) continue;
      const needs = [
        requirement.acr && `an acr of ${requirement.acr.join(' or ')}`,
        requirement.maxAge !== undefined && `a sign-in (auth_time) at most ${requirement.maxAge} seconds old`,
      ].filter(Boolean);
      const challenge = [
        requirement.acr && `acr_values="${requirement.acr.join(' ')}"`,
        requirement.maxAge !== undefined && `max_age="${requirement.maxAge}"`,
      ].filter(Boolean);
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
        `A sign-in that is too weak or too old: WWW-Authenticate: Bearer error="insufficient_user_authentication", ` +
        `error_description="...", ${challenge.join(' and/or ')} (only the parameters that failed). ` +
        `Sign in again asking for them, then retry.`;
      const responses = (operation.responses ??= {});
      const unauthorized = responses['401'] as { description?: string } | undefined;
      responses['401'] = { ...unauthorized, description: [unauthorized?.description, refusal].filter(Boolean).join(' Or: ') };
    }
  }
}
