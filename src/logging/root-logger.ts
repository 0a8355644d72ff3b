import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import { LoggingConfig } from '../config/operations-config';

const BUFFER_BYTES = 4096;
const FLUSH_INTERVAL_MS = 1000;

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
    // pino's default `time` (epoch milliseconds): an ISO string costs a Date and a string per line.
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
  // Asynchronous, buffered writes: one write(2) per 4 KB of lines instead of one per line keeps the
  // per-request cost of a log line to a few microseconds. The timer bounds how long a line can wait
  // on a quiet server; pino flushes synchronously on process exit, so no line is lost at shutdown.
  const stdout = pino.destination({ dest: 1, sync: false, minLength: BUFFER_BYTES });
  setInterval(() => stdout.flush(), FLUSH_INTERVAL_MS).unref();
  return pino(options, stdout);
}
