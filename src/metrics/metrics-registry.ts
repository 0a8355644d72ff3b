import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A registry per application instead of prom-client's global one: tests boot several applications
 * in one process, and a second global registration of the same metric name would throw.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
