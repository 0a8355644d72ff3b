import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { AuthDecisionEvents } from '../auth/auth-decision-events';
import { BearerTokenError } from '../auth/errors/bearer-token.error';
import { REFUSAL_DESCRIPTIONS, RefusalReason } from '../auth/errors/refusal-reason';
import { VerifiedTokenCache } from '../auth/cache/verified-token-cache';
import { KeyStoreEvents, SigningKeyStore } from '../auth/keys/signing-key-store';
import { InjectMetricsRegistry } from './metrics.tokens';

/** `reason` label of an allowed request; refusals carry their RefusalReason code. */
const ALLOWED_REASON = 'none';

/**
 * Counts authentication decisions and key fetches from the auth module's events, and reads the
 * key store's and the verified-token cache's state when Prometheus scrapes.
 */
@Injectable()
export class AuthMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly allowed: Counter.Internal;
  private readonly refusedByReason = new Map<RefusalReason, Counter.Internal>();
  private readonly fetchOk: Counter.Internal;
  private readonly fetchError: Counter.Internal;

  private readonly onAllowed = () => this.allowed.inc();
  private readonly onRefused = (error: BearerTokenError) => this.refusedByReason.get(error.reason)?.inc();
  private readonly onFetch = (result: KeyStoreEvents['fetch'][0]) => (result.ok ? this.fetchOk : this.fetchError).inc();

  constructor(
    @InjectMetricsRegistry() registry: Registry,
    private readonly decisions: AuthDecisionEvents,
    private readonly keyStore: SigningKeyStore,
    tokenCache: VerifiedTokenCache,
  ) {
    const decisionsTotal = new Counter({
      name: 'auth_decisions_total',
      help: 'Authentication decisions on protected routes, by outcome and refusal reason',
      labelNames: ['outcome', 'reason'] as const,
      registers: [registry],
    });
    // Every series exists from the start at 0, so rate() and alerts work before the first refusal,
    // and no label object is built per request.
    this.allowed = initialised(decisionsTotal.labels('allowed', ALLOWED_REASON));
    for (const reason of Object.keys(REFUSAL_DESCRIPTIONS) as RefusalReason[]) {
      this.refusedByReason.set(reason, initialised(decisionsTotal.labels('refused', reason)));
    }

    const fetches = new Counter({
      name: 'jwks_fetches_total',
      help: 'Attempts to fetch the issuer signing keys (discovery plus JWKS), by result',
      labelNames: ['result'] as const,
      registers: [registry],
    });
    this.fetchOk = initialised(fetches.labels('success'));
    this.fetchError = initialised(fetches.labels('error'));

    const store = this.keyStore;
    new Gauge({
      name: 'jwks_keys',
      help: 'Signing keys held and usable (0 when none were ever fetched or the cached ones are older than the max-stale age)',
      registers: [registry],
      collect() {
        this.set(store.status().keyCount);
      },
    });
    new Gauge({
      name: 'verified_token_cache_entries',
      help: 'Verified tokens held by this instance (at most OKTA_TOKEN_CACHE_SIZE)',
      registers: [registry],
      collect() {
        this.set(tokenCache.size);
      },
    });
    new Gauge({
      name: 'verified_token_cache_bytes',
      help: 'Estimated bytes of the verified tokens held (at most OKTA_TOKEN_CACHE_MAX_MB MiB)',
      registers: [registry],
      collect() {
        this.set(tokenCache.estimatedBytes);
      },
    });
    new Gauge({
      name: 'jwks_last_success_seconds',
      help: 'Unix time of the last successful signing-key fetch (0 if none yet)',
      registers: [registry],
      collect() {
        const fetchedAt = store.status().fetchedAt;
        this.set(fetchedAt ? fetchedAt.getTime() / 1000 : 0);
      },
    });
  }

  onModuleInit(): void {
    this.decisions.on('allowed', this.onAllowed);
    this.decisions.on('refused', this.onRefused);
    this.keyStore.events.on('fetch', this.onFetch);
  }

  onModuleDestroy(): void {
    this.decisions.off('allowed', this.onAllowed);
    this.decisions.off('refused', this.onRefused);
    this.keyStore.events.off('fetch', this.onFetch);
  }
}

/** prom-client creates a labelled series on its first increment; an increment by 0 exports it at 0. */
function initialised(counter: Counter.Internal): Counter.Internal {
  counter.inc(0);
  return counter;
}
