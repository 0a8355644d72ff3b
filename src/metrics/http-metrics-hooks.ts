import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Histogram, Registry } from 'prom-client';
import { InjectMetricsRegistry } from './metrics.tokens';

/** Unmatched paths share one label value: a scanner's random URLs must not create series. */
const UNMATCHED_ROUTE = 'unmatched';

/**
 * Sub-millisecond buckets: a cached token is answered in well under a millisecond, while a request
 * that waits on the issuer's keys can take up to the 5 s fetch deadline.
 */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

type Observe = (seconds: number) => void;

/** Observes every response's duration by route template, method and status. */
@Injectable()
export class HttpMetricsHooks implements OnModuleInit {
  private readonly histogram: Histogram<'method' | 'route' | 'status_code'>;
  /** route -> method -> status -> bound observer, so no label object is built per request. */
  private readonly observers = new Map<string, Map<string, Map<number, Observe>>>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectMetricsRegistry() registry: Registry,
  ) {
    this.histogram = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request received to response sent, by route template, method and status',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: BUCKETS,
      registers: [registry],
    });
  }

  onModuleInit(): void {
    const fastify: FastifyInstance = this.adapterHost.httpAdapter.getInstance();
    fastify.addHook('onResponse', (request, reply, done) => {
      this.observe(request, reply);
      done();
    });
  }

  private observe(request: FastifyRequest, reply: FastifyReply): void {
    const route = request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE);
    this.observerFor(route, request.method, reply.statusCode)(reply.elapsedTime / 1000);
  }

  private observerFor(route: string, method: string, status: number): Observe {
    let byMethod = this.observers.get(route);
    if (!byMethod) this.observers.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let observe = byStatus.get(status);
    if (!observe) {
      observe = this.histogram.labels(method, route, String(status)).observe;
      byStatus.set(status, observe);
    }
    return observe;
  }
}
