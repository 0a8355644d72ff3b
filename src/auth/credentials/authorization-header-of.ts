import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** A Fastify request (Node's message under `raw`) or Node's message itself (Express). */
export interface RequestWithHeaders {
  raw?: Pick<IncomingMessage, 'headersDistinct'>;
  headersDistinct?: IncomingMessage['headersDistinct'];
  headers?: IncomingHttpHeaders;
}

/**
 * Every Authorization header of a request. Node's `headers` keeps only the first of repeated
 * Authorization headers and drops the rest silently; `headersDistinct` keeps them all, so a
 * request that sends two is seen as such (RFC 6750 §3.1: "repeats the same parameter").
 * @returns the headers in the order received, a lone string where only `headers` is available
 *   (e.g. Fastify's inject), or undefined when there is none.
 */
export function authorizationHeaderOf(request: RequestWithHeaders): string[] | string | undefined {
  const distinct = (request.raw ?? request).headersDistinct;
  return distinct ? distinct.authorization : request.headers?.authorization;
}
