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
}

/** A controller opted out as a whole. */
@Public()
@Controller('probe-public')
export class PublicProbeController {
  @Get()
  open() {
    return { public: true };
  }
}

@Module({ controllers: [ProbeController, PublicProbeController] })
export class ProbeModule {}
