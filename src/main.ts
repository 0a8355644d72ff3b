import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { ConfigError } from './config/config.error';
import { loadAppConfig } from './config/load-app-config';
import { configureApp } from './configure-app';
import { createFastifyAdapter } from './create-fastify-adapter';

async function bootstrap(): Promise<void> {
  const config = loadAppConfig(process.env);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createFastifyAdapter());
  configureApp(app);
  await app.listen(config.http.port, config.http.host);
  console.log(`resource server for issuer ${config.okta.issuer} listening on ${await app.getUrl()}`);
}

bootstrap().catch((err: unknown) => {
  // A configuration error is the operator's to fix: one line naming the setting, no stack.
  if (err instanceof ConfigError) {
    console.error(`configuration error: ${err.message}`);
  } else {
    console.error('failed to start:', err);
  }
  process.exit(1);
});
