import helmet from '@fastify/helmet';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG_TOKEN } from './config/app.config';
import { AppConfig } from './config/app-config';
import { setupApiDocs } from './docs/api-docs';
import { METRICS_PATH } from './metrics/metrics.controller';

export const API_PREFIX = 'api';

/** What main.ts and the e2e tests both apply to the application, so tests boot the real thing. */
export async function configureApp(app: NestFastifyApplication): Promise<AppConfig> {
  const config = app.get<AppConfig>(APP_CONFIG_TOKEN);
  app.useLogger(app.get(Logger));
  await app.register(helmet, {
    // Strict for a JSON API; Swagger UI needs its own scripts, inline styles and data: images.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        objectSrc: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  // Prometheus scrapes /metrics by default; everything else lives under /api.
  app.setGlobalPrefix(API_PREFIX, { exclude: [METRICS_PATH] });
  app.enableCors({
    // Only listed origins get Access-Control-Allow-Origin; others get no CORS header at all.
    origin: [...config.http.corsOrigins],
    methods: ['GET', 'HEAD'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    // Lets the SPA read why a call was refused, and quote the id of a failed call.
    exposedHeaders: ['WWW-Authenticate', 'X-Request-Id'],
    maxAge: 600,
  });
  if (config.docs.enabled) setupApiDocs(app, config);
  return config;
}
