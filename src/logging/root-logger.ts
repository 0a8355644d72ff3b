import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import { LoggingConfig } from '../config/operations-config';
import { DroppedLogLines } from './dropped-log-lines';

const BUFFER_BYTES = 4096;
const FLUSH_INTERVAL_MS = 1000;
/**
 * Most bytes of log lines held while stdout is not read fast enough (a stalled log collector, a
 * full pipe). Every request writes a line, so without a bound a slow reader turns client traffic
 * into memory growth; past it, lines are dropped and counted instead (`log_lines_dropped_total`).
 * 1 MiB is a few thousand lines: a burst while the collector catches up, not a backlog.
 */
export const MAX_BUFFERED_LOG_BYTES = 1024 * 1024;

/** Injection token of the application's pino instance (one per application, not per process). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * Builds the one pino instance every log of the application goes through. `destination` is for
 * tests that read the lines back; without it, production writes JSON asynchronously to stdout and
 * a developer's terminal gets pino-pretty. Lines dropped at the stdout buffer's bound are counted
 * in `dropped`.
 */
export function createRootLogger(config: LoggingConfig, dropped: DroppedLogLines, destination?: DestinationStream): Logger {
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
  // per-request cost of a log line to a few microseconds. The periodic flush bounds how long a line
  // can wait on a quiet server; pino flushes synchronously on process exit, so no line is lost at
  // shutdown. sonic-boom drops a line that would take its buffer past maxLength (one write per line).
  const stdout = pino.destination({
    dest: 1,
    sync: false,
    minLength: BUFFER_BYTES,
    maxLength: MAX_BUFFERED_LOG_BYTES,
    periodicFlush: FLUSH_INTERVAL_MS,
  });
  stdout.on('drop', () => dropped.add());
  return pino(options, stdout);
}
