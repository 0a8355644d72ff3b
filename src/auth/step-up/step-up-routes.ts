import { Injectable, OnModuleInit, Type } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { ConfigError } from '../../config/config.error';
import { RouteCatalog } from '../guards/route-catalog';
import { AuthenticationRequirement } from './authentication-requirement';

/** A protected route with a step-up requirement. */
export interface StepUpRoute {
  readonly controller: Type<unknown>;
  readonly methodName: string;
  readonly requirement: AuthenticationRequirement;
}

/**
 * Every route's step-up requirement, known at start: for the API docs, and to refuse to start when a
 * route's `acr` lists (settings, controller, handler) have no value in common, since no token could
 * ever meet it. Requests do not come here; the policies are RoutePolicies' own, so a route counts as
 * public here exactly when the guards let it through without a token.
 */
@Injectable()
export class StepUpRoutes implements OnModuleInit {
  constructor(
    private readonly routes: RouteCatalog,
    @InjectAppConfig() private readonly config: AppConfig,
  ) {}

  /** Throws ConfigError naming the setting or the route to fix. */
  onModuleInit(): void {
    for (const { controller, methodName, requirement } of this.list()) {
      if (requirement.acr?.length === 0) {
        const blame = this.config.stepUp.requiredAcr.length > 0 ? 'OKTA_REQUIRED_ACR' : '@RequireAuthentication';
        throw new ConfigError(
          blame,
          `${controller.name}.${methodName} combines acr lists with no value in common (every list must be met, so no token could be accepted)`,
        );
      }
    }
  }

  /** Protected routes that have a requirement, in discovery order. */
  list(): StepUpRoute[] {
    const routes: StepUpRoute[] = [];
    for (const { controller, methodName, policy } of this.routes.list()) {
      if (!policy.isPublic && policy.stepUp) routes.push({ controller, methodName, requirement: policy.stepUp });
    }
    return routes;
  }
}
