import { DynamicModule, Module } from '@nestjs/common';
import { Logger, PARAMS_PROVIDER_TOKEN, Params, PinoLogger } from 'nestjs-pino';
import { DestinationStream } from 'pino';
import { LoggingConfig } from '../config/operations-config';
import { DroppedLogLines } from './dropped-log-lines';
import { LOGGING_CONFIG, RequestLogHooks } from './request-log-hooks';
import { createRootLogger, ROOT_LOGGER } from './root-logger';

/**
 * Structured logs: nestjs-pino's Logger replaces Nest's console logger (see configureApp), and
 * RequestLogHooks writes the per-request line. Both go through the same pino instance.
 *
 * nestjs-pino's providers are registered here without its LoggerModule: that module binds
 * pino-http plus an AsyncLocalStorage scope to every request (even with `forRoutes: []`), and
 * in one A/B run with bench/run.mjs that cost up to ~20 µs of CPU per request, mostly in GC.
 * Request-scoped loggers are not needed: RequestLogHooks logs from Fastify's own hooks.
 */
@Module({})
export class LoggingModule {
  static forRoot(config: LoggingConfig, destination?: DestinationStream): DynamicModule {
    const dropped = new DroppedLogLines();
    const logger = createRootLogger(config, dropped, destination);
    return {
      module: LoggingModule,
      global: true,
      providers: [
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: LOGGING_CONFIG, useValue: config },
        { provide: DroppedLogLines, useValue: dropped },
        { provide: PARAMS_PROVIDER_TOKEN, useValue: { pinoHttp: { logger } } satisfies Params },
        PinoLogger,
        Logger,
        RequestLogHooks,
      ],
      exports: [ROOT_LOGGER, Logger, DroppedLogLines],
    };
  }
}
