import { LoggerService, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { DestinationStream } from 'pino';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/configure-app';
import { createFastifyAdapter } from '../../src/create-fastify-adapter';
import { Env, loadAppConfig } from '../../src/config/load-app-config';

export interface BootOptions {
  /** Test-only modules mounted beside the real ones (e.g. ProbeModule). */
  imports?: Type[];
  /** Receives what the app logs through Nest's Logger, instead of the app's pino logger. */
  logger?: LoggerService;
  /** Receives the pino log lines (request lines, and Nest's logs unless `logger` is given); dropped when absent. */
  logDestination?: DestinationStream;
}

const discard: DestinationStream = { write: () => undefined };

/**
 * Boots the real AppModule through @nestjs/testing with the given settings as its environment,
 * parsed by the same loader main.ts uses. Returns the app, ready for supertest.
 */
export async function bootApp(env: Env, options: BootOptions = {}): Promise<NestFastifyApplication> {
  // nestjs-pino keeps the first application's logger for the whole process (one app per process in
  // production); without this reset, a later test app's log lines would go to an earlier app's destination.
  __resetOutOfContextForTests();
  // Never pick up a developer's own client_secrets.json.
  const config = loadAppConfig({ OKTA_CLIENT_SECRETS: 'test/fixtures/client_secrets.empty.json', ...env });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config, { logDestination: options.logDestination ?? discard }), ...(options.imports ?? [])],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config), { logger: false });
  configureApp(app);
  // configureApp installs the pino logger; a test's own logger takes its place.
  if (options.logger) app.useLogger(options.logger);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
/** Collects log lines as strings, for asserting what reached the log (and what did not). */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private push(level: string, message: unknown, rest: unknown[]) {
    this.lines.push(`${level} ${JSON.stringify([message, ...rest])}`);
  }
  log(message: unknown, ...rest: unknown[]) {
    this.push('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.push('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.push('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.push('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.push('verbose', message, rest);
  }
}
