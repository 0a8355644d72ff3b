import { Inject } from '@nestjs/common';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/** Injects this application's prom-client Registry. */
export const InjectMetricsRegistry = () => Inject(METRICS_REGISTRY);
