import { Test } from '@nestjs/testing';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/configure-app';
import { createFastifyAdapter } from '../../src/create-fastify-adapter';
import { Env, loadAppConfig } from '../../src/config/load-app-config';

/**
 * Boots the real AppModule through @nestjs/testing with the given settings as its environment,
 * parsed by the same loader main.ts uses. Returns the app, ready for supertest.
 */
export async function bootApp(env: Env): Promise<NestFastifyApplication> {
  // Never pick up a developer's own client_secrets.json.
  const config = loadAppConfig({ OKTA_CLIENT_SECRETS: 'test/fixtures/client_secrets.empty.json', ...env });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), { logger: false });
  configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
