/** Settings for running the server in production: logs, metrics, docs, proxies, shutdown. */
export interface OperationsConfig {
  readonly logging: LoggingConfig;
  readonly metrics: { readonly enabled: boolean };
  readonly docs: { readonly enabled: boolean };
  /**
   * Which peers may speak for the client through X-Forwarded-For/-Proto/-Host. Off by default:
   * trusting the header from anyone lets any client choose the address its requests are logged as.
   */
  readonly trustProxy: TrustProxy;
  /** Upper bound on draining in-flight requests after SIGTERM/SIGINT before the process gives up. */
  readonly shutdownTimeoutMs: number;
}

export interface LoggingConfig {
  readonly level: LogLevel;
  /** Human-readable lines (pino-pretty) instead of JSON: for a developer's terminal, never production. */
  readonly pretty: boolean;
  /**
   * REQUEST_LOG_SAMPLE: one "request completed" line is written for every this many successful
   * (status below 400) requests; 1 writes every line, 0 none. Refusals and errors are always written.
   */
  readonly successSample: number;
}

/** `false`, `true` (any peer), a hop count, or the addresses/CIDR ranges of the proxies. */
export type TrustProxy = boolean | number | readonly string[];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
