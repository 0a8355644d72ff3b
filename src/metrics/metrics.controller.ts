import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';
import { Public } from '../auth/decorators/public.decorator';
import { InjectMetricsRegistry } from './metrics.tokens';

/** Served outside the `api` prefix, where Prometheus looks by default (see configureApp). */
export const METRICS_PATH = 'metrics';

/**
 * Prometheus scrape endpoint. Public to the guard because Prometheus carries no Okta token; keep it
 * off the internet at the load balancer or network level (docs/operations.md).
 */
@ApiExcludeController()
@Public()
@Controller(METRICS_PATH)
export class MetricsController {
  constructor(@InjectMetricsRegistry() private readonly registry: Registry) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.header('Content-Type', this.registry.contentType);
    return this.registry.metrics();
  }
}
