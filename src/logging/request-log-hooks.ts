import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { LoggingConfig } from '../config/operations-config';
import { REQUEST_ID_HEADER } from './request-id';
import { ROOT_LOGGER } from './root-logger';

/** Fastify route config (`@RouteConfig(...)`) read by the request log. */
export interface RouteLogConfig {
  /** The route answers 503 to report a state, not a failure: logged at warn, not error. */
  unavailableIsState?: boolean;
}

/** Injection token of the logging settings (LoggingModule.forRoot's). */
export const LOGGING_CONFIG = Symbol('LOGGING_CONFIG');

/** Longest unmatched path written to a log line: a 404 path is whatever a scanner chose to send. */
const MAX_LOGGED_PATH = 200;

/**
 * One log line per request, written when the response has gone out, plus the request id echoed to
 * the caller. Fastify hooks rather than pino-http middleware: Fastify already knows the route
 * template, the request id and a sub-millisecond duration, so nothing is computed twice.
 *
 * With REQUEST_LOG_SAMPLE=N (LoggingConfig.successSample) only every Nth successful request is
 * written (0: none); a refusal or an error is always written, since those are the lines someone
 * will look for.
 */
@Injectable()
export class RequestLogHooks implements OnModuleInit {
  private readonly successSample: number;
  /** Successful requests not written since the last one that was. */
  private successesSkipped = 0;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Inject(LOGGING_CONFIG) config: LoggingConfig,
  ) {
    this.successSample = config.successSample;
  }

  onModuleInit(): void {
    const fastify: FastifyInstance = this.adapterHost.httpAdapter.getInstance();
    fastify.addHook('onRequest', echoRequestId);
    fastify.addHook('onResponse', (request, reply, done) => {
      this.logCompleted(request, reply);
      done();
    });
  }

  private logCompleted(request: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode;
    if (status < 400 && !this.sampled()) return;
    // A route whose 503 reports a state (readiness) marks it so; any other 5xx is the server's fault.
    const stateReport = status === 503 && (request.routeOptions.config as RouteLogConfig | undefined)?.unavailableIsState;
    const level = status >= 500 ? (stateReport ? 'warn' : 'error') : 'info';
    if (!this.logger.isLevelEnabled(level)) return;
    const route = request.is404 ? undefined : request.routeOptions.url;
    this.logger[level](
      {
        reqId: request.id,
        method: request.method,
        route: route ?? null,
        // Only unmatched requests need the path to be understood; never the query string, where a
        // misbehaving client might put a token.
        path: route === undefined ? pathOf(request.url) : undefined,
        status,
        durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
        ip: request.ip,
      },
      'request completed',
    );
  }

  /** Whether this successful request's line is written (REQUEST_LOG_SAMPLE). */
  private sampled(): boolean {
    if (this.successSample === 1) return true;
    if (this.successSample === 0 || ++this.successesSkipped < this.successSample) return false;
    this.successesSkipped = 0;
    return true;
  }
}

function echoRequestId(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  reply.header(REQUEST_ID_HEADER, request.id);
  done();
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}…` : path;
}
