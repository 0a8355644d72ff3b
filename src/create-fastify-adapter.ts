import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppConfig } from './config/app-config';
import { requestIdOf } from './logging/request-id';

/** Request bodies are never needed by this API; a small limit keeps floods cheap. */
export function createFastifyAdapter(config: Pick<AppConfig, 'trustProxy'>): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: 16 * 1024,
    trustProxy: config.trustProxy as boolean | number | string[],
    // Fastify's own logger stays off: the logging module writes one line per request.
    genReqId: requestIdOf,
  });
}
