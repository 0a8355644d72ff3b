import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { ConfigError } from './config/config.error';
import { InvalidConfigError } from './config/config-problems';
import { configWarnings } from './config/config-warnings';
import { loadAppConfig } from './config/load-app-config';
import { tuneGarbageCollector } from './tune-garbage-collector';

async function bootstrap(): Promise<void> {
  tuneGarbageCollector();
  const config = loadAppConfig(process.env);
  // Nest and the application's modules are loaded only once the settings are valid, so a
  // configuration error is reported in a fraction of the start-up time.
  const [{ NestFactory }, { AppModule }, { configureApp }, { createFastifyAdapter }, { ROOT_LOGGER }, { shutDownGracefully }, { listen }] =
    await Promise.all([
      import('@nestjs/core'),
      import('./app.module'),
      import('./configure-app'),
      import('./create-fastify-adapter'),
      import('./logging/root-logger'),
      import('./shutdown/graceful-shutdown'),
      import('./listen'),
    ]);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createFastifyAdapter(config), {
    // Start-up messages wait for the structured logger instead of going to the console.
    bufferLogs: true,
  });
  configureApp(app);
  const logger = app.get<Logger>(ROOT_LOGGER);
  for (const warning of configWarnings(config)) logger.warn(`configuration warning: ${warning}`);
  shutDownGracefully(app, { timeoutMs: config.shutdownTimeoutMs, logger });
  await listen(app, config.http.port, config.http.host);
  const url = await app.getUrl();
  logger.info({ issuer: config.okta.issuer, url }, `resource server for issuer ${config.okta.issuer} listening on ${url}`);
}

bootstrap().catch((err: unknown) => {
  // A configuration error is the operator's to fix: one line per problem naming the setting, no stack.
  if (err instanceof InvalidConfigError) {
    for (const problem of err.problems) console.error(`configuration error: ${problem.message}`);
  } else if (err instanceof ConfigError) {
    console.error(`configuration error: ${err.message}`);
  } else {
    console.error('failed to start:', err);
  }
  process.exit(1);
});
