import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { IntrospectionEvents, IntrospectionSource, TokenIntrospector } from '../auth/introspection/token-introspector';
import { InjectMetricsRegistry } from './metrics.tokens';

type CallResult = IntrospectionEvents['call'][0]['outcome'];

/** Calls wait up to the 5 s deadline; a healthy Okta answers in tens of milliseconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Token introspection (RFC 7662), from the introspector's events and state: the calls it makes to
 * the issuer and where each introspected request's answer came from.
 */
@Injectable()
export class IntrospectionMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly calls = new Map<CallResult, Counter.Internal>();
  private readonly lookups = new Map<IntrospectionSource, Counter.Internal>();
  private readonly duration: Histogram;

  private readonly onCall = ({ outcome, durationMs }: IntrospectionEvents['call'][0]) => {
    this.calls.get(outcome)?.inc();
    this.duration.observe(durationMs / 1000);
  };
  private readonly onLookup = (source: IntrospectionSource) => this.lookups.get(source)?.inc();

  constructor(
    @InjectMetricsRegistry() registry: Registry,
    private readonly introspector: TokenIntrospector,
  ) {
    const calls = new Counter({
      name: 'introspection_calls_total',
      help: 'Calls to the introspection endpoint, by result (active, inactive, error)',
      labelNames: ['result'] as const,
      registers: [registry],
    });
    for (const result of ['active', 'inactive', 'error'] as const) this.calls.set(result, initialised(calls.labels(result)));

    const lookups = new Counter({
      name: 'introspection_lookups_total',
      help: 'Introspected requests by where the answer came from: local cache, shared cache, or the issuer (a call, or joining one in flight)',
      labelNames: ['source'] as const,
      registers: [registry],
    });
    for (const source of ['local', 'shared', 'issuer'] as const) this.lookups.set(source, initialised(lookups.labels(source)));

    this.duration = new Histogram({
      name: 'introspection_call_duration_seconds',
      help: 'Duration of calls to the introspection endpoint, waiting for a free slot included',
      buckets: BUCKETS,
      registers: [registry],
    });

    const state = () => introspector.status();
    new Gauge({
      name: 'introspection_cached_answers',
      help: 'Introspection answers held in this instance',
      registers: [registry],
      collect() {
        this.set(state().cachedAnswers);
      },
    });
    new Gauge({
      name: 'introspection_in_flight',
      help: 'Calls to the introspection endpoint under way',
      registers: [registry],
      collect() {
        this.set(state().inFlight);
      },
    });
    new Gauge({
      name: 'introspection_last_success_seconds',
      help: 'Unix time of the last call the introspection endpoint answered (0 if none yet)',
      registers: [registry],
      collect() {
        this.set((state().lastSuccessAt?.getTime() ?? 0) / 1000);
      },
    });
  }

  onModuleInit(): void {
    this.introspector.events.on('call', this.onCall);
    this.introspector.events.on('lookup', this.onLookup);
  }

  onModuleDestroy(): void {
    this.introspector.events.off('call', this.onCall);
    this.introspector.events.off('lookup', this.onLookup);
  }
}

/** prom-client creates a labelled series on its first increment; an increment by 0 exports it at 0. */
function initialised(counter: Counter.Internal): Counter.Internal {
  counter.inc(0);
  return counter;
}
