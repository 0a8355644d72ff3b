import { Injectable, Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { RoutePolicies, RoutePolicy } from './route-policies';

/** One route handler of the application, with what it asks of a request. */
export interface CatalogedRoute {
  readonly controller: Type<unknown>;
  readonly methodName: string;
  readonly policy: RoutePolicy;
}

/**
 * Every route of every controller (the app's and any module's), each with its RoutePolicies policy,
 * for what must be known before the first request: step-up conflicts, the API docs, the metadata's
 * `scopes_supported`. Requests never come here. Call from `onModuleInit` or later, once Nest has
 * registered every controller.
 */
@Injectable()
export class RouteCatalog {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly policies: RoutePolicies,
  ) {}

  /** In discovery order; a method without a route decorator (`@Get()`...) is not a route. */
  list(): CatalogedRoute[] {
    const routes: CatalogedRoute[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Type<unknown> | undefined;
      if (!controller?.prototype) continue;
      for (const methodName of this.scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[methodName] as (...args: never[]) => unknown;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        routes.push({ controller, methodName, policy: this.policies.forRoute(handler, controller) });
      }
    }
    return routes;
  }
}
