import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { SigningKeyStore } from '../auth/keys/signing-key-store';

/**
 * Ready means tokens can be validated: at least one usable signing key is held. Stale-but-usable
 * keys still count, so an identity provider outage does not pull every instance out of the load
 * balancer at once while they can all still serve.
 *
 * The probe is public, so it shows state and codes only (`reason`, `lastFetchError`); the full
 * cause, with the URL that failed, is in the key store's log lines, and logged here once per change.
 */
@Injectable()
export class SigningKeysHealthIndicator {
  private readonly logger = new Logger(SigningKeysHealthIndicator.name);
  private lastReported?: string;

  constructor(
    private readonly keyStore: SigningKeyStore,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    // Without keys an instance gets no traffic from a load balancer that trusts this probe, so no
    // request would make it fetch them: the probe asks, within the store's retry schedule and deadline.
    if (this.keyStore.status().keyCount === 0) await this.keyStore.loadKeys();
    const status = this.keyStore.status();
    const now = Date.now();
    const details = {
      keys: status.keyCount,
      fetchedAt: status.fetchedAt?.toISOString() ?? null,
      ageSeconds: status.fetchedAt ? Math.round((now - status.fetchedAt.getTime()) / 1000) : null,
      lastAttemptAt: status.lastAttemptAt?.toISOString() ?? null,
      lastFetch: status.lastAttemptAt === undefined ? 'none' : status.lastErrorCode ? 'error' : 'success',
      ...(status.lastErrorCode ? { lastFetchError: status.lastErrorCode } : {}),
      ...(status.keylessReason ? { reason: status.keylessReason } : {}),
    };
    this.reportChange(status.keylessReason);
    const session = this.indicators.check(key);
    return status.keyCount > 0 ? session.up(details) : session.down(details);
  }

  private reportChange(reason: string | undefined): void {
    if (reason === this.lastReported) return;
    this.lastReported = reason;
    if (reason) this.logger.warn(`not ready: ${reason} (the SigningKeyStore log lines say why)`);
    else this.logger.log('ready: signing keys are held');
  }
}
