import { Controller, ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { loadAppConfig } from '../../config/load-app-config';
import { Public } from '../decorators/public.decorator';
import { AnyScope, Scopes } from '../decorators/scopes.decorator';
import { RoutePolicies } from './route-policies';

class BaseController {
  @Get('inherited')
  inherited(): void {}
}

@Public()
@Controller('open')
class OpenController extends BaseController {
  @Get()
  open(): void {}
}

@Controller('closed')
class ClosedController extends BaseController {
  @Scopes('messages:read')
  @Get('read')
  read(): void {}

  @AnyScope('a', 'b')
  @Get('either')
  either(): void {}

  @Public()
  @Get('ping')
  ping(): void {}
}

/** The two things RoutePolicies asks of a request's context. */
const contextOf = (controller: new () => unknown, handler: (...args: never[]) => unknown): ExecutionContext =>
  ({ getClass: () => controller, getHandler: () => handler }) as unknown as ExecutionContext;

describe('RoutePolicies', () => {
  const config = loadAppConfig(
    { OKTA_ISSUER: 'https://example.okta.com/oauth2/default', OKTA_REQUIRED_SCOPES: 'openid' },
    () => ({}),
  );
  const policies = new RoutePolicies(new Reflector(), config);

  it('reads @Public from the handler or its controller', () => {
    expect(policies.of(contextOf(OpenController, OpenController.prototype.open)).isPublic).toBe(true);
    expect(policies.of(contextOf(ClosedController, ClosedController.prototype.ping)).isPublic).toBe(true);
    expect(policies.of(contextOf(ClosedController, ClosedController.prototype.read)).isPublic).toBe(false);
  });

  it('adds the route scopes to OKTA_REQUIRED_SCOPES', () => {
    expect(policies.of(contextOf(ClosedController, ClosedController.prototype.read))).toMatchObject({
      allScopes: ['openid', 'messages:read'],
      anyScopes: [],
    });
    expect(policies.of(contextOf(ClosedController, ClosedController.prototype.either))).toMatchObject({
      allScopes: ['openid'],
      anyScopes: ['a', 'b'],
    });
  });

  it('keeps one policy per handler and controller, so an inherited method follows each controller', () => {
    const inherited = BaseController.prototype.inherited;
    const open = policies.of(contextOf(OpenController, inherited));
    const closed = policies.of(contextOf(ClosedController, inherited));
    expect(open.isPublic).toBe(true);
    expect(closed.isPublic).toBe(false);
    expect(policies.of(contextOf(OpenController, inherited))).toBe(open);
    expect(Object.isFrozen(closed.allScopes)).toBe(true);
  });
});
