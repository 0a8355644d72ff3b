import { Controller, Get, Module } from '@nestjs/common';
import { AccessTokenClaims } from '../../src/auth/access-token-claims';
import { Claims } from '../../src/auth/decorators/claims.decorator';
import { Public } from '../../src/auth/decorators/public.decorator';
import { AnyScope, Scopes } from '../../src/auth/decorators/scopes.decorator';

/** Test-only routes that exercise the auth decorators through the real guards. */
@Controller('probe')
export class ProbeController {
  @Get('claims')
  claims(@Claims() claims: AccessTokenClaims) {
    return { claims };
  }

  @Get('sub')
  sub(@Claims('sub') sub: string) {
    return { sub };
  }

  @Public()
  @Get('public')
  open(@Claims() claims: AccessTokenClaims | undefined) {
    return { public: true, claims: claims ?? null };
  }

  @Scopes('messages:read', 'messages:write')
  @Get('all-of')
  allOf() {
    return { ok: true };
  }

  @AnyScope('admin', 'messages:admin')
  @Get('any-of')
  anyOf() {
    return { ok: true };
  }

  @Scopes('messages:read')
  @AnyScope('admin', 'messages:admin')
  @Get('all-and-any')
  allAndAny() {
    return { ok: true };
  }

  @Scopes('messages:read')
  @Scopes('messages:write')
  @Get('stacked')
  stacked() {
    return { ok: true };
  }

  @AnyScope('admin', 'messages:admin')
  @AnyScope('reports:read', 'reports:write')
  @Get('two-groups')
  twoGroups() {
    return { ok: true };
  }

  @Public()
  @Scopes('messages:read')
  @Get('public-scoped')
  publicScoped() {
    return { ok: true };
  }
}

/** A controller opted out as a whole. */
@Public()
@Controller('probe-public')
export class PublicProbeController {
  @Get()
  open() {
    return { public: true };
  }

  /** A route that asks for scopes is never public. */
  @Scopes('reports:read')
  @Get('scoped')
  scoped() {
    return { ok: true };
  }

  @AnyScope('reports:read', 'reports:write')
  @Get('any-scoped')
  anyScoped() {
    return { ok: true };
  }
}

/** Requirements on the controller hold for every handler, alongside the handler's own. */
@Scopes('admin')
@AnyScope('reports:read', 'reports:write')
@Controller('probe-scoped')
export class ScopedProbeController {
  @Get()
  plain() {
    return { ok: true };
  }

  @Scopes('reports:export')
  @AnyScope('eu', 'us')
  @Get('export')
  export() {
    return { ok: true };
  }

  @Public()
  @Get('ping')
  ping() {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController, PublicProbeController, ScopedProbeController] })
export class ProbeModule {}
