import { LoggerService, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/configure-app';
import { createFastifyAdapter } from '../../src/create-fastify-adapter';
import { Env, loadAppConfig } from '../../src/config/load-app-config';

export interface BootOptions {
  /** Test-only modules mounted beside the real ones (e.g. ProbeModule). */
  imports?: Type[];
  /** Receives what the app logs; silent when absent. */
  logger?: LoggerService;
}

/**
 * Boots the real AppModule through @nestjs/testing with the given settings as its environment,
 * parsed by the same loader main.ts uses. Returns the app, ready for supertest.
 */
export async function bootApp(env: Env, options: BootOptions = {}): Promise<NestFastifyApplication> {
  // Never pick up a developer's own client_secrets.json.
  const config = loadAppConfig({ OKTA_CLIENT_SECRETS: 'test/fixtures/client_secrets.empty.json', ...env });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config), ...(options.imports ?? [])],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), {
    logger: options.logger ?? false,
  });
  configureApp(app);
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
