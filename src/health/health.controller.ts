import { Controller, Get } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/decorators/public.decorator';
import { SharedStoreHealthIndicator } from '../store/shared-store.health';
import { RouteLogConfig } from '../logging/request-log-hooks';
import { SigningKeysHealthIndicator } from './signing-keys.health';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly signingKeys: SigningKeysHealthIndicator,
    private readonly sharedStore: SharedStoreHealthIndicator,
  ) {}

  /** Liveness: answers while the process can serve HTTP, whatever the issuer's state. */
  @Get()
  @ApiOkResponse({ description: 'The process is alive', schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: 503 while no usable signing key is held (or a required shared store is down), so a load balancer sends traffic elsewhere. */
  @Get('ready')
  // Not ready is a state the probe reports, not a server failure: its 503 is logged at warn.
  @RouteConfig({ unavailableIsState: true } satisfies RouteLogConfig)
  // Terminus documents the 200 and 503 bodies in the OpenAPI document itself.
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.signingKeys.check('signingKeys'),
      () => this.sharedStore.check('sharedStore'),
    ]);
  }
}
