import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig } from '../config/app-config';
import { InjectAppConfig } from '../config/app-config.provider';
import { SHARED_STORE, SharedStoreBackend } from './shared-store';

/**
 * Readiness of the shared store (Redis or memory). Its state is always in the details; it makes the
 * probe fail (503) only when every request needs the store (StoreConfig.requiredForReadiness):
 * otherwise a Redis outage shared by every instance would pull them all out of the load balancer
 * while the requests that do not need the store still work.
 */
@Injectable()
export class SharedStoreHealthIndicator {
  private readonly required: boolean;

  constructor(
    @Inject(SHARED_STORE) private readonly store: SharedStoreBackend,
    private readonly indicators: HealthIndicatorService,
    @InjectAppConfig() config: AppConfig,
  ) {
    this.required = config.store.requiredForReadiness;
  }

  async check(key: string): Promise<HealthIndicatorResult> {
    const status = await this.store.probe();
    const details = { kind: status.kind, available: status.available, requiredForReadiness: this.required, ...status.details };
    const session = this.indicators.check(key);
    return status.available || !this.required ? session.up(details) : session.down(details);
  }
}
