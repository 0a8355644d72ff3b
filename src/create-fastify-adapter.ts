import { FastifyAdapter } from '@nestjs/platform-fastify';

/** Request bodies are never needed by this API; a small limit keeps floods cheap. */
export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({ bodyLimit: 16 * 1024 });
}
