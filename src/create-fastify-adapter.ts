import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppConfig } from './config/app-config';
import { requestIdOf } from './logging/request-id';

/**
 * Longest a client may take to send a whole request, headers and body (Node answers 408 and
 * closes). The API takes at most 16 KB, which even a slow mobile link sends in a few seconds; a
 * client that trickles a byte at a time holds a socket and a file descriptor for no longer than this.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * How often Node looks for connections past those deadlines: a deadline is enforced between
 * REQUEST_TIMEOUT_MS and REQUEST_TIMEOUT_MS + this (Node's default, 30 s, would triple it).
 */
const DEADLINE_CHECK_INTERVAL_MS = 1_000;

/** Request bodies are never needed by this API; a small limit keeps floods cheap. */
export function createFastifyAdapter(config: Pick<AppConfig, 'trustProxy'>): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: 16 * 1024,
    // Fastify turns Node's request deadline off (0) unless told; the headers deadline (slowloris,
    // and connections that never send a request) applies from the moment the connection opens.
    requestTimeout: REQUEST_TIMEOUT_MS,
    http: { headersTimeout: REQUEST_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: DEADLINE_CHECK_INTERVAL_MS },
    trustProxy: config.trustProxy as boolean | number | string[],
    // Fastify's own logger stays off: the logging module writes one line per request.
    genReqId: requestIdOf,
  });
}
