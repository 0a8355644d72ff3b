import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AuthMetrics } from './auth-metrics';
import { HttpMetricsHooks } from './http-metrics-hooks';
import { LogMetrics } from './log-metrics';
import { IntrospectionMetrics } from './introspection-metrics';
import { MetricsController } from './metrics.controller';
import { createMetricsRegistry } from './metrics-registry';
import { StepUpMetrics } from './step-up-metrics';
import { METRICS_REGISTRY } from './metrics.tokens';

/** Prometheus metrics at GET /metrics; with METRICS_ENABLED=false nothing is collected or served. */
@Module({})
export class MetricsModule {
  static forRoot(options: { enabled: boolean }): DynamicModule {
    if (!options.enabled) return { module: MetricsModule };
    return {
      module: MetricsModule,
      imports: [AuthModule],
      controllers: [MetricsController],
      providers: [{ provide: METRICS_REGISTRY, useFactory: createMetricsRegistry }, AuthMetrics, StepUpMetrics, IntrospectionMetrics, HttpMetricsHooks, LogMetrics],
    };
  }
}
