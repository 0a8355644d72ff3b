import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The API answers JSON only: nothing it sends may load anything or be framed. Helmet's headers that
 * only ever act on an HTML document a browser renders are left off (the docs keep them): every
 * header costs each response its validation and bytes, and these five protect nothing here.
 * - `Origin-Agent-Cluster`: how a document's origin is grouped into processes;
 * - `X-DNS-Prefetch-Control`: prefetching the links of a page;
 * - `X-Download-Options`: Internet Explorer 8 opening a download in the site's context;
 * - `X-Permitted-Cross-Domain-Policies`: Flash and Acrobat reading crossdomain.xml;
 * - `X-XSS-Protection: 0`: turning off a filter browsers have since removed.
 * What stays is what OWASP's REST Security Cheat Sheet asks of an API (CSP `frame-ancestors 'none'`,
 * `Strict-Transport-Security`, `X-Content-Type-Options: nosniff`, `X-Frame-Options`), plus
 * `Referrer-Policy` and the cross-origin isolation headers.
 */
const API_HELMET_OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/** Swagger UI at /api/docs needs its own scripts, inline styles and data: images. */
const DOCS_HELMET_OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      connectSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      styleSrc: ["'self'", "'unsafe-inline'"],
      scriptSrc: ["'self'"],
      objectSrc: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
};

/**
 * Helmet's response headers, computed once. They never vary per request, while @fastify/helmet
 * rebuilds the helmet middleware on every request: measured with bench/run.mjs, that cost
 * ~20 µs of CPU per request, a sixth of this server's whole per-request budget.
 */
export function securityHeaders(options: HelmetOptions = API_HELMET_OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}

/** Adds the security headers to every response, errors and 404s included; the docs get their own CSP. */
export function applySecurityHeaders(fastify: FastifyInstance, docsPrefix: string): void {
  const api = securityHeaders(API_HELMET_OPTIONS);
  const docs = securityHeaders(DOCS_HELMET_OPTIONS);
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    reply.headers(request.url.startsWith(docsPrefix) ? docs : api);
    done();
  });
}
