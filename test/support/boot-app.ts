import { Test } from '@nestjs/testing';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { DestinationStream } from 'pino';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/configure-app';
import { createFastifyAdapter } from '../../src/create-fastify-adapter';
import { Env, loadAppConfig } from '../../src/config/load-app-config';

export interface BootOptions {
  /** Receives the application's log lines; by default they are dropped. */
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
    imports: [AppModule.forRoot(config, { logDestination: options.logDestination ?? discard })],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config), { logger: false });
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
