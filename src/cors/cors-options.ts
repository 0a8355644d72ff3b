import type { FastifyCorsOptions } from '@fastify/cors';
import { RefusedOriginLog } from './refused-origin-log';

/**
 * Request headers an SPA may send: its token, the DPoP proof (RFC 9449 §4.1), and its own request
 * id to find the call in our logs.
 */
export const CORS_ALLOWED_HEADERS: readonly string[] = ['Authorization', 'Content-Type', 'DPoP', 'X-Request-Id'];

/**
 * Lets the SPA read why a call was refused (and okta-auth-js's parseUseDPoPNonceError the nonce),
 * and quote the id of a failed call. @fastify/cors adds these to every answer, refusals included.
 */
export const CORS_EXPOSED_HEADERS: readonly string[] = ['WWW-Authenticate', 'DPoP-Nonce', 'X-Request-Id'];

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
