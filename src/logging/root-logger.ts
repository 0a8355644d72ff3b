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
  // Buffered, synchronous writes: one write(2) per 4 KB of lines instead of one per line. Synchronous
  // as Node itself writes to pipes on Linux: a log reader that falls behind makes the server wait
  // rather than grow an unbounded buffer, and no thread-pool round trip is paid per batch (an
  // asynchronous destination cost ~2 µs more CPU per request with bench/run.mjs's health route).
  // `periodicFlush` bounds how long a line can wait on a quiet server. pino flushes only asynchronous
  // destinations at exit, so this one is flushed here: the last lines (shutdown, a fatal error) are
  // the ones most needed.
  const stdout = pino.destination({ dest: 1, sync: true, minLength: BUFFER_BYTES, periodicFlush: FLUSH_INTERVAL_MS });
  process.once('exit', () => stdout.flushSync());
  return pino(options, stdout);
}
