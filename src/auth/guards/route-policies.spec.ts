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

  @Scopes('reports:read')
  @Get('scoped')
  scoped(): void {}

  @AnyScope('a', 'b')
  @Get('any')
  any(): void {}
}

@Controller('closed')
class ClosedController extends BaseController {
  @Get('plain')
  plain(): void {}

  @Scopes('messages:read')
  @Get('read')
  read(): void {}

  @AnyScope('a', 'b')
  @Get('either')
  either(): void {}

  @Scopes('messages:read')
  @AnyScope('a', 'b')
  @Get('both')
  both(): void {}

  @Scopes('x')
  @Scopes('y', 'x')
  @Get('stacked')
  stacked(): void {}

  @AnyScope('a', 'b')
  @AnyScope('c', 'd')
  @Get('two-groups')
  twoGroups(): void {}

  @Public()
  @Get('ping')
  ping(): void {}

  @Public()
  @Scopes('messages:read')
  @Get('public-scoped')
  publicScoped(): void {}
}

@Scopes('admin')
@AnyScope('a', 'b')
@Controller('scoped')
class ScopedController {
  @Scopes('reports:read')
  @AnyScope('c', 'd')
  @Get('reports')
  reports(): void {}

  @Get('plain')
  plain(): void {}

  @Public()
  @Get('ping')
  ping(): void {}
}

/** Extends a scoped controller: the parent's requirements stay, its own add to them. */
@Scopes('audit')
@Controller('audited')
class AuditedController extends ScopedController {}

/** The two things RoutePolicies asks of a request's context. */
const contextOf = (controller: new () => unknown, handler: (...args: never[]) => unknown): ExecutionContext =>
  ({ getClass: () => controller, getHandler: () => handler }) as unknown as ExecutionContext;

describe('RoutePolicies', () => {
  const configWith = (requiredScopes?: string) =>
    loadAppConfig({ OKTA_ISSUER: 'https://example.okta.com/oauth2/default', ...(requiredScopes ? { OKTA_REQUIRED_SCOPES: requiredScopes } : {}) }, () => ({}));
  const policies = new RoutePolicies(new Reflector(), configWith());
  const policyOf = (controller: new () => unknown, handler: (...args: never[]) => unknown) => {
    const { isPublic, allScopes, anyScopeGroups } = policies.of(contextOf(controller, handler));
    return { isPublic, allScopes, anyScopeGroups };
  };

  /** The composition table: class decorators, handler decorators -> what the route needs. */
  it.each([
    ['no decorator', ClosedController, ClosedController.prototype.plain, false, [], []],
    ['@Public() class', OpenController, OpenController.prototype.open, true, [], []],
    ['@Public() handler', ClosedController, ClosedController.prototype.ping, true, [], []],
    ['handler @Scopes', ClosedController, ClosedController.prototype.read, false, ['messages:read'], []],
    ['handler @AnyScope', ClosedController, ClosedController.prototype.either, false, [], [['a', 'b']]],
    ['handler @Scopes + @AnyScope: both hold', ClosedController, ClosedController.prototype.both, false, ['messages:read'], [['a', 'b']]],
    ['handler @Scopes twice: all of both, once each', ClosedController, ClosedController.prototype.stacked, false, ['x', 'y'], []],
    ['handler @AnyScope twice: each group holds', ClosedController, ClosedController.prototype.twoGroups, false, [], [['a', 'b'], ['c', 'd']]],
    ['class + handler @Scopes and @AnyScope: all combine', ScopedController, ScopedController.prototype.reports, false, ['admin', 'reports:read'], [['a', 'b'], ['c', 'd']]],
    ['class @Scopes + @AnyScope, plain handler', ScopedController, ScopedController.prototype.plain, false, ['admin'], [['a', 'b']]],
    ['class @Scopes + handler @Public(): the class scopes hold, not public', ScopedController, ScopedController.prototype.ping, false, ['admin'], [['a', 'b']]],
    ['class @Public() + handler @Scopes: not public', OpenController, OpenController.prototype.scoped, false, ['reports:read'], []],
    ['class @Public() + handler @AnyScope: not public', OpenController, OpenController.prototype.any, false, [], [['a', 'b']]],
    ['handler @Public() + @Scopes: not public', ClosedController, ClosedController.prototype.publicScoped, false, ['messages:read'], []],
    ['subclass @Scopes adds to the parent class', AuditedController, ScopedController.prototype.reports, false, ['admin', 'audit', 'reports:read'], [['a', 'b'], ['c', 'd']]],
  ])('%s', (_, controller, handler, isPublic, allScopes, anyScopeGroups) => {
    expect(policyOf(controller, handler as never)).toEqual({ isPublic, allScopes, anyScopeGroups });
  });

  it('adds OKTA_REQUIRED_SCOPES to every protected route, not to public ones', () => {
    const withRequired = new RoutePolicies(new Reflector(), configWith('openid messages:read'));
    const of = (controller: new () => unknown, handler: (...args: never[]) => unknown) => withRequired.of(contextOf(controller, handler));
    expect(of(ScopedController, ScopedController.prototype.reports)).toMatchObject({
      allScopes: ['openid', 'messages:read', 'admin', 'reports:read'],
      anyScopeGroups: [['a', 'b'], ['c', 'd']],
    });
    // Listed once, though both the setting and the route ask for it.
    expect(of(ClosedController, ClosedController.prototype.read).allScopes).toEqual(['openid', 'messages:read']);
    expect(of(OpenController, OpenController.prototype.open).isPublic).toBe(true);
  });

  it('refuses @AnyScope() with no scope when the class is defined', () => {
    expect(() => AnyScope()).toThrow('@AnyScope() needs at least one scope');
  });

  it('keeps one policy per handler and controller, so an inherited method follows each controller', () => {
    const inherited = BaseController.prototype.inherited;
    const open = policies.of(contextOf(OpenController, inherited));
    const closed = policies.of(contextOf(ClosedController, inherited));
    expect(open.isPublic).toBe(true);
    expect(closed.isPublic).toBe(false);
    expect(policies.of(contextOf(OpenController, inherited))).toBe(open);
    expect(Object.isFrozen(closed.allScopes)).toBe(true);
    expect(Object.isFrozen(policies.of(contextOf(ScopedController, ScopedController.prototype.plain)).anyScopeGroups[0])).toBe(true);
  });

  it('does not let a subclass change what its parent class requires', () => {
    expect(policyOf(ScopedController, ScopedController.prototype.plain).allScopes).toEqual(['admin']);
  });
});
