import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { StepUpRoutes } from '../auth/step-up/step-up-routes';
import { AppConfig } from '../config/app-config';
import { describeStepUp } from './describe-step-up';

export const DOCS_PATH = 'api/docs';
export const BEARER_SCHEME = 'okta-access-token';

/**
 * OpenAPI document and Swagger UI at /api/docs (JSON at /api/docs-json). They are plain Fastify
 * routes, outside Nest's guards, so they are public; DOCS_ENABLED=false removes them.
 */
export function setupApiDocs(app: NestFastifyApplication, config: AppConfig): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Okta resource server')
      .setDescription(
        `Serves the messages of Okta's single-page-app samples to callers with a valid access token ` +
          `issued by ${config.okta.issuer} for ${config.okta.audiences.join(', ')}.`,
      )
      .setVersion('1')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An Okta access token (not the ID token)' },
        BEARER_SCHEME,
      )
      .build(),
  );
  describeStepUp(document, app.get(StepUpRoutes).list());
  SwaggerModule.setup(DOCS_PATH, app, document, { raw: ['json'] });
}
