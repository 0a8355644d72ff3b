import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import { LoggingConfig } from '../config/operations-config';

/** Injection token of the application's pino instance (one per application, not per process). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * Builds the one pino instance every log of the application goes through. `destination` is for
 * tests that read the lines back; without it, production writes JSON asynchronously to stdout and
 * a developer's terminal gets pino-pretty.
 */
export function createRootLogger(config: LoggingConfig, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: config.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Defence in depth: nothing logs headers or tokens on purpose, but a future `log.info({ req })`
    // must not turn a bearer token into a log line.
    redact: {
      paths: ['authorization', 'token', 'headers.authorization', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  };
  if (destination) return pino(options, destination);
  if (config.pretty) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
    });
  }
  // Asynchronous writes keep the request path free of blocking stdout writes; pino flushes the
  // buffer synchronously on process exit, so the graceful-shutdown lines are not lost.
  return pino(options, pino.destination({ dest: 1, sync: false }));
}
