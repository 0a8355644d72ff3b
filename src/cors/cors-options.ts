import type { FastifyCorsOptions } from '@fastify/cors';
import { RefusedOriginLog } from './refused-origin-log';

/** Request headers an SPA may send: its token, and its own request id to find the call in our logs. */
export const CORS_ALLOWED_HEADERS: readonly string[] = ['Authorization', 'Content-Type', 'X-Request-Id'];

/** Lets the SPA read why a call was refused, and quote the id of a failed call. */
export const CORS_EXPOSED_HEADERS: readonly string[] = ['WWW-Authenticate', 'X-Request-Id'];

/**
 * The one CORS policy: only listed origins get Access-Control-Allow-Origin (others get no CORS
 * header at all, and are logged once each); GET and HEAD only; preflights cached 10 minutes.
 */
export function corsOptions(origins: readonly string[]): FastifyCorsOptions {
  const allowed = new Set(origins);
  const list = [...origins];
  const refused = new RefusedOriginLog(list);
  return {
    origin: (origin, decide) => {
      if (origin !== undefined && !allowed.has(origin)) refused.note(origin);
      // The list, not a boolean: the library then answers exactly as for a static list of origins.
      decide(null, list);
    },
    methods: ['GET', 'HEAD'],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: 600,
  };
}
