import { ExecutionContext, Injectable, Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { REQUIRE_ACTIVE_TOKEN_KEY } from '../decorators/require-active-token.decorator';
import { SCOPES_KEY, ScopeRequirement } from '../decorators/scopes.decorator';

/** A route's method, as Nest hands it to guards. */
type Handler = ReturnType<ExecutionContext['getHandler']>;

/** What a route asks of a request, from its decorators and OKTA_REQUIRED_SCOPES. */
export interface RoutePolicy {
  /** `@Public()` on the handler or its controller: no token needed. */
  readonly isPublic: boolean;
  /** Every one of these must be granted: OKTA_REQUIRED_SCOPES plus the route's `@Scopes()`. */
  readonly allScopes: readonly string[];
  /** At least one of these must be granted (none needed when empty): the route's `@AnyScope()`. */
  readonly anyScopes: readonly string[];
  /** OKTA_TOKEN_VALIDATION=introspect, or `@RequireActiveToken()`: the issuer validates the token (RFC 7662). */
  readonly introspect: boolean;
}

/**
 * Each route's policy, read from its metadata once and then kept: decorators are fixed when the
 * class is defined, so reading reflect-metadata on every request would only repeat the same answer.
 * Keyed by handler, then controller class, since one method can be inherited by several controllers.
 */
@Injectable()
export class RoutePolicies {
  private readonly policies = new WeakMap<Handler, WeakMap<Type<unknown>, RoutePolicy>>();

  constructor(
    private readonly reflector: Reflector,
    @InjectAppConfig() private readonly config: AppConfig,
  ) {}

  of(context: ExecutionContext): RoutePolicy {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byController = this.policies.get(handler);
    if (!byController) this.policies.set(handler, (byController = new WeakMap()));
    let policy = byController.get(controller);
    if (!policy) byController.set(controller, (policy = this.read(handler, controller)));
    return policy;
  }

  private read(handler: Handler, controller: Type<unknown>): RoutePolicy {
    const targets = [handler, controller];
    const route = this.reflector.getAllAndOverride<ScopeRequirement | undefined>(SCOPES_KEY, targets);
    return Object.freeze({
      isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true,
      allScopes: Object.freeze([...this.config.okta.requiredScopes, ...(route?.all ?? [])]),
      anyScopes: Object.freeze([...(route?.any ?? [])]),
      // Only ever set to true, so the nearest (override) and any-of (combine) read the same.
      introspect:
        this.config.introspection.validation === 'introspect' ||
        this.reflector.getAllAndOverride<boolean>(REQUIRE_ACTIVE_TOKEN_KEY, targets) === true,
    });
  }
}
