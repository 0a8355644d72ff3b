import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { PROTECTED_RESOURCE_METADATA_PATH } from './auth/resource-metadata/metadata-locations';
import { APP_CONFIG_TOKEN } from './config/app-config.provider';
import { AppConfig } from './config/app-config';
import { corsOptions } from './cors/cors-options';
import { DOCS_PATH, setupApiDocs } from './docs/api-docs';
import { applySecurityHeaders } from './hardening/security-headers';
import { METRICS_PATH } from './metrics/metrics.controller';

export const API_PREFIX = 'api';

/** What main.ts and the e2e tests both apply to the application, so tests boot the real thing. */
export function configureApp(app: NestFastifyApplication): AppConfig {
  const config = app.get<AppConfig>(APP_CONFIG_TOKEN);
  app.useLogger(app.get(Logger));
  applySecurityHeaders(app.getHttpAdapter().getInstance(), `/${DOCS_PATH}`);
  // Prometheus scrapes /metrics by default, RFC 9728 fixes /.well-known/... (with any resource path
  // after it); everything else lives under /api.
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [METRICS_PATH, PROTECTED_RESOURCE_METADATA_PATH, `${PROTECTED_RESOURCE_METADATA_PATH}/*resourcePath`],
  });
  app.enableCors(corsOptions(config.http.corsOrigins));
  if (config.docs.enabled) setupApiDocs(app, config);
  return config;
}
