import { Controller, Get, Module } from '@nestjs/common';
import { Public } from '../../src/auth/decorators/public.decorator';
import { RequireAuthentication } from '../../src/auth/decorators/require-authentication.decorator';
import { Scopes } from '../../src/auth/decorators/scopes.decorator';

/** A controller-level requirement, which its handlers narrow. */
@RequireAuthentication({ acr: ['urn:okta:loa:2fa:any', 'phr'], maxAge: 600 })
@Controller('step-up-probe')
export class StepUpProbeController {
  /** The controller's requirement alone. */
  @Get('class-only')
  classOnly() {
    return { ok: true };
  }

  /** Intersected with the controller's: only `phr` is in both lists, and 60 s is the smaller age. */
  @RequireAuthentication({ acr: ['phrh', 'phr'], maxAge: 60 })
  @Get('narrowed')
  narrowed() {
    return { ok: true };
  }

  /** A freshness requirement on the handler keeps the controller's acr list. */
  @RequireAuthentication({ maxAge: 120 })
  @Get('fresher')
  fresher() {
    return { ok: true };
  }

  @Scopes('payments:approve')
  @Get('scoped')
  scoped() {
    return { ok: true };
  }

  /** Marked public, but its controller asks for a kind of sign-in that only a token can show. */
  @Public()
  @Get('public')
  open() {
    return { public: true };
  }
}

/** A freshness-only route with a requirement small enough to watch a cached token age out. */
@Controller('step-up-probe-age')
export class AgeProbeController {
  @RequireAuthentication({ maxAge: 1 })
  @Get()
  recent() {
    return { ok: true };
  }
}

@Module({ controllers: [StepUpProbeController, AgeProbeController] })
export class StepUpProbeModule {}

/** Its handler's acr list shares nothing with its controller's: such an app must not start. */
@RequireAuthentication({ acr: ['urn:okta:loa:2fa:any'] })
@Controller('conflicting')
export class ConflictingController {
  @RequireAuthentication({ acr: ['phr'] })
  @Get()
  never() {
    return { ok: true };
  }
}

@Module({ controllers: [ConflictingController] })
export class ConflictingProbeModule {}
