import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Ids a load balancer or caller might send (UUIDs, AWS/GCP trace ids). Anything else is replaced:
 * the value is echoed in a response header and written to logs, so it must not carry line breaks,
 * quotes or unbounded length.
 */
const ACCEPTABLE_ID = /^[\w.:=;+/@-]{1,128}$/;

/** Fastify's `genReqId`: keep the caller's X-Request-Id so one id follows a call across services. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
}
