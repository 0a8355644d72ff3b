import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** A Fastify request (Node's message under `raw`) or Node's message itself (Express). */
export interface RequestWithHeaders {
  raw?: Pick<IncomingMessage, 'rawHeaders'>;
  rawHeaders?: IncomingMessage['rawHeaders'];
  headers?: IncomingHttpHeaders;
}

const AUTHORIZATION = 'authorization';

/**
 * Every Authorization header of a request. Node's `headers` keeps only the first of repeated
 * Authorization headers and drops the rest silently; the raw header list keeps them all, so a
 * request that sends two is seen as such (RFC 6750 §3.1: "repeats the same parameter"). Read from
 * `rawHeaders` rather than `headersDistinct`, which would build an array for every header of every
 * request to answer a question about one.
 * @returns the header's value, every value in the order received when it was sent more than once,
 *   the value from `headers` where there is no raw list (e.g. Fastify's inject), or undefined when
 *   there is none.
 */
export function authorizationHeaderOf(request: RequestWithHeaders): string[] | string | undefined {
  const raw = (request.raw ?? request).rawHeaders;
  if (!raw) return request.headers?.authorization;
  let found: string | string[] | undefined;
  // Names and values alternate; names keep the case the client sent (RFC 9110 §5.1: case-insensitive).
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name.length !== AUTHORIZATION.length || name.toLowerCase() !== AUTHORIZATION) continue;
    const value = raw[i + 1];
    found = found === undefined ? value : typeof found === 'string' ? [found, value] : [...found, value];
  }
  return found;
}
