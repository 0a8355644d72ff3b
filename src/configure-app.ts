import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { APP_CONFIG_TOKEN } from './config/app.config';
import { AppConfig } from './config/app-config';

export const API_PREFIX = 'api';

/** What main.ts and the e2e tests both apply to the application, so tests boot the real thing. */
export function configureApp(app: NestFastifyApplication): AppConfig {
  const config = app.get<AppConfig>(APP_CONFIG_TOKEN);
  app.setGlobalPrefix(API_PREFIX);
  app.enableCors({
    // Only listed origins get Access-Control-Allow-Origin; others get no CORS header at all.
    origin: [...config.http.corsOrigins],
    methods: ['GET', 'HEAD'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    // Lets the SPA read why a call was refused.
    exposedHeaders: ['WWW-Authenticate'],
    maxAge: 600,
  });
  app.enableShutdownHooks();
  return config;
}
