import { Controller, Get } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorFunction } from '@nestjs/terminus';
import { Public } from '../auth/decorators/public.decorator';
import { SharedStoreHealthIndicator } from '../store/shared-store.health';
import { RouteLogConfig } from '../logging/request-log-hooks';
import { AppConfig } from '../config/app-config';
import { InjectAppConfig } from '../config/app-config.provider';
import { IntrospectionHealthIndicator } from './introspection.health';
import { SigningKeysHealthIndicator } from './signing-keys.health';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  /** What readiness depends on: signing keys for JWTs, the introspection endpoint when every token goes there. */
  private readonly readinessChecks: HealthIndicatorFunction[];

  constructor(
    private readonly health: HealthCheckService,
    signingKeys: SigningKeysHealthIndicator,
    sharedStore: SharedStoreHealthIndicator,
    introspection: IntrospectionHealthIndicator,
    @InjectAppConfig() config: AppConfig,
  ) {
    this.readinessChecks =
      config.introspection.validation === 'introspect'
        ? [() => introspection.check('introspection', true), () => sharedStore.check('sharedStore')]
        : [
            () => signingKeys.check('signingKeys'),
            () => sharedStore.check('sharedStore'),
            () => introspection.check('introspection', false),
          ];
  }

  /** Liveness: answers while the process can serve HTTP, whatever the issuer's state. */
  @Get()
  @ApiOkResponse({ description: 'The process is alive', schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: 503 while tokens cannot be validated (no usable signing key; introspection failing; a required shared store down), so a load balancer sends traffic elsewhere. */
  @Get('ready')
  // Not ready is a state the probe reports, not a server failure: its 503 is logged at warn.
  @RouteConfig({ unavailableIsState: true } satisfies RouteLogConfig)
  // Terminus documents the 200 and 503 bodies in the OpenAPI document itself.
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check(this.readinessChecks);
  }
}
