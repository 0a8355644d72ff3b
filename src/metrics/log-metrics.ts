import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { DroppedLogLines } from '../logging/dropped-log-lines';
import { InjectMetricsRegistry } from './metrics.tokens';

/** Exports the logging module's count of dropped log lines when Prometheus scrapes. */
@Injectable()
export class LogMetrics {
  constructor(@InjectMetricsRegistry() registry: Registry, dropped: DroppedLogLines) {
    new Counter({
      name: 'log_lines_dropped_total',
      help: 'Log lines dropped because stdout was not read fast enough and the log buffer was full',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(dropped.total);
      },
    });
  }
}
