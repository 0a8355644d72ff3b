import { ExecutionContext, Injectable, Logger, Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '../../config/app-config';
import { InjectAppConfig } from '../../config/app-config.provider';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { AUTHENTICATION_REQUIREMENT_KEY } from '../decorators/require-authentication.decorator';
import { REQUIRE_ACTIVE_TOKEN_KEY } from '../decorators/require-active-token.decorator';
import { ANY_SCOPE_KEY, SCOPES_KEY } from '../decorators/scopes.decorator';
import { AuthenticationRequirement } from '../step-up/authentication-requirement';
import { readAuthenticationRequirement } from '../step-up/read-authentication-requirement';

/** A route's method, as Nest hands it to guards. */
type Handler = ReturnType<ExecutionContext['getHandler']>;

/** What a route asks of a request, from its decorators and OKTA_REQUIRED_SCOPES. */
export interface RoutePolicy {
  /** `@Public()` on the handler or its controller, and no scope asked for by either: no token needed. */
  readonly isPublic: boolean;
  /** Every one of these must be granted: OKTA_REQUIRED_SCOPES plus every `@Scopes()` of controller and handler. */
  readonly allScopes: readonly string[];
  /** From each group at least one must be granted: every `@AnyScope()` of controller and handler. */
  readonly anyScopeGroups: readonly (readonly string[])[];
  /** Step-up (RFC 9470): what the user's sign-in must meet, from OKTA_REQUIRED_ACR/OKTA_MAX_AUTH_AGE and `@RequireAuthentication()`. */
  readonly stepUp?: AuthenticationRequirement;
  /** OKTA_TOKEN_VALIDATION=introspect, or `@RequireActiveToken()`: the issuer validates the token (RFC 7662). */
  readonly introspect: boolean;
}

/**
 * Each route's policy, read from its metadata once and then kept: decorators are fixed when the
 * class is defined, so reading reflect-metadata on every request would only repeat the same answer.
 * Keyed by handler, then controller class, since one method can be inherited by several controllers.
 *
 * Override or combine, per key: `@Public()` is an opt-out, so the nearest wins; scope requirements
 * all hold, so those of the controller and the handler are merged; and a route that asks for any
 * scope is never public, since a scope can only be granted by a token.
 */
@Injectable()
export class RoutePolicies {
  private readonly logger = new Logger('RoutePolicies');
  private readonly policies = new WeakMap<Handler, WeakMap<Type<unknown>, RoutePolicy>>();

  constructor(
    private readonly reflector: Reflector,
    @InjectAppConfig() private readonly config: AppConfig,
  ) {}

  of(context: ExecutionContext): RoutePolicy {
    return this.forRoute(context.getHandler(), context.getClass());
  }

  /** The policy of `handler` as a route of `controller`; for callers without a request (StepUpRoutes). */
  forRoute(handler: Handler, controller: Type<unknown>): RoutePolicy {
    let byController = this.policies.get(handler);
    if (!byController) this.policies.set(handler, (byController = new WeakMap()));
    let policy = byController.get(controller);
    if (!policy) byController.set(controller, (policy = this.read(handler, controller)));
    return policy;
  }

  private read(handler: Handler, controller: Type<unknown>): RoutePolicy {
    const classFirst = [controller, handler];
    const routeScopes = this.reflector.getAllAndMerge<string[]>(SCOPES_KEY, classFirst);
    const anyScopeGroups = this.reflector.getAllAndMerge<string[][]>(ANY_SCOPE_KEY, classFirst);
    const asksForStepUp =
      this.reflector.getAllAndOverride(AUTHENTICATION_REQUIREMENT_KEY, [handler, controller]) !== undefined;
    // A requirement only a token can meet (a scope, a kind of sign-in) makes the route need one.
    const needsToken = routeScopes.length > 0 || anyScopeGroups.length > 0 || asksForStepUp;
    const markedPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [handler, controller]) === true;
    if (markedPublic && needsToken) {
      this.logger.warn(`${controller.name}.${handler.name}: @Public() does not apply, since the route asks for scopes or a kind of sign-in: it needs a token`);
    }
    return Object.freeze({
      isPublic: markedPublic && !needsToken,
      allScopes: Object.freeze([...new Set([...this.config.okta.requiredScopes, ...routeScopes])]),
      anyScopeGroups: Object.freeze(anyScopeGroups.map((group) => Object.freeze([...group]))),
      stepUp: readAuthenticationRequirement(this.reflector, handler, controller, this.config.stepUp),
      // Only ever set to true on the handler or the controller: the nearest (override) and any of
      // them (combine) read the same.
      introspect:
        this.config.introspection.validation === 'introspect' ||
        this.reflector.getAllAndOverride<boolean>(REQUIRE_ACTIVE_TOKEN_KEY, [handler, controller]) === true,
    });
  }
}
