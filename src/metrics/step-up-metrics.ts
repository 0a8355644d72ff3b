import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { AuthDecisionEvents } from '../auth/auth-decision-events';
import { BearerTokenError } from '../auth/errors/bearer-token.error';
import { InsufficientUserAuthenticationError } from '../auth/errors/insufficient-user-authentication.error';
import { InjectMetricsRegistry } from './metrics.tokens';

/** The `unmet` label: which step-up requirements a refused token missed, as in the log line. */
const UNMET = ['acr', 'max_age', 'acr,max_age'] as const;

/**
 * Counts step-up refusals (RFC 9470) by the requirement that failed. `auth_decisions_total` counts
 * them too, under reason `insufficient_user_authentication`; this says whether users were asked to
 * sign in more strongly, more recently, or both.
 */
@Injectable()
export class StepUpMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly byUnmet = new Map<string, Counter.Internal>();

  private readonly onRefused = (error: BearerTokenError) => {
    if (error instanceof InsufficientUserAuthenticationError) this.byUnmet.get(error.unmet.join(','))?.inc();
  };

  constructor(
    @InjectMetricsRegistry() registry: Registry,
    private readonly decisions: AuthDecisionEvents,
  ) {
    const refusals = new Counter({
      name: 'auth_step_up_refusals_total',
      help: 'Tokens refused with insufficient_user_authentication (RFC 9470), by the requirement they missed',
      labelNames: ['unmet'] as const,
      registers: [registry],
    });
    for (const unmet of UNMET) {
      const series = refusals.labels(unmet);
      // Exported at 0 from the start, like auth_decisions_total.
      series.inc(0);
      this.byUnmet.set(unmet, series);
    }
  }

  onModuleInit(): void {
    this.decisions.on('refused', this.onRefused);
  }

  onModuleDestroy(): void {
    this.decisions.off('refused', this.onRefused);
  }
}
