import { Injectable, OnModuleInit, Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { ConfigError } from '../../config/config.error';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { AuthenticationRequirement } from './authentication-requirement';
import { readAuthenticationRequirement } from './read-authentication-requirement';

/** A protected route with a step-up requirement. */
export interface StepUpRoute {
  readonly controller: Type<unknown>;
  readonly methodName: string;
  readonly requirement: AuthenticationRequirement;
}

/**
 * Every route's step-up requirement, known at start: for the API docs, and to refuse to start when a
 * route's `acr` lists (settings, controller, handler) have no value in common, since no token could
 * ever meet it. Requests do not come here; RoutePolicies reads the same requirement per route.
 */
@Injectable()
export class StepUpRoutes implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
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
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Type<unknown> | undefined;
      if (!controller?.prototype) continue;
      for (const methodName of this.scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[methodName] as (...args: never[]) => unknown;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [handler, controller]) === true) continue;
        const requirement = readAuthenticationRequirement(this.reflector, handler, controller, this.config.stepUp);
        if (requirement) routes.push({ controller, methodName, requirement });
      }
    }
    return routes;
  }
}
