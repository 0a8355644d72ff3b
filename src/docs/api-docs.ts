import { WwwAuthenticate } from '../auth/errors/www-authenticate';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { StepUpRoutes } from '../auth/step-up/step-up-routes';
import { AppConfig } from '../config/app-config';
import { describeStepUp } from './describe-step-up';
import { readinessResponses } from './readiness-responses';
import { refusalResponses } from './refusal-responses';

export const DOCS_PATH = 'api/docs';
export const BEARER_SCHEME = 'okta-access-token';
const HEALTH_READY_PATH = 'api/health/ready';

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
  // First the answers every protected route gives; step-up then adds its own 401 to the routes that have it.
  const challenges = new WwwAuthenticate(config);
  documentAnswers(document, challenges);
  describeStepUp(document, app.get(StepUpRoutes).list(), challenges);
  SwaggerModule.setup(DOCS_PATH, app, document, { raw: ['json'] });
}

/**
 * Puts this server's real answers into the document: every route that needs a token gets the 400,
 * 401 and 403 it really sends (the challenges rendered by the error classes and the filter's renderer),
 * and readiness gets its own fields instead of Terminus's database/redis examples. Examples are
 * given explicitly, so Swagger UI never invents `statusCode: 0`.
 */
function documentAnswers(document: OpenAPIObject, challenges: WwwAuthenticate): void {
  const refusals = refusalResponses(challenges);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of [item.get, item.head, item.post, item.put, item.patch, item.delete]) {
      if (!operation) continue;
      if (operation.security?.some((requirement) => BEARER_SCHEME in requirement)) Object.assign(operation.responses, refusals);
      if (path === `/${HEALTH_READY_PATH}`) Object.assign(operation.responses, readinessResponses());
    }
  }
}
