import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { DestinationStream } from 'pino';
import { LoggingConfig } from '../config/operations-config';
import { RequestLogHooks } from './request-log-hooks';
import { createRootLogger, ROOT_LOGGER } from './root-logger';

/**
 * Structured logs: nestjs-pino's Logger replaces Nest's console logger (see configureApp), and
 * RequestLogHooks writes the per-request line. Both go through the same pino instance.
 */
@Module({})
export class LoggingModule {
  static forRoot(config: LoggingConfig, destination?: DestinationStream): DynamicModule {
    const logger = createRootLogger(config, destination);
    return {
      module: LoggingModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: { logger },
          // No pino-http middleware: RequestLogHooks writes the request line from Fastify's own
          // hooks, which costs less per request than a middleware layer and a child logger.
          forRoutes: [],
        }),
      ],
      providers: [{ provide: ROOT_LOGGER, useValue: logger }, RequestLogHooks],
      exports: [ROOT_LOGGER],
    };
  }
}
