import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'pino';
import { ConnectionTracker } from './connection-tracker';

export interface GracefulShutdownOptions {
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly signals?: readonly NodeJS.Signals[];
}

/**
 * On SIGTERM (an orchestrator rolling the service) or SIGINT (Ctrl-C): stop accepting connections,
 * close the connections that carry no request (idle keep-alive ones, and those that never sent one),
 * let requests in flight finish, run Nest's shutdown hooks, exit 0. If requests are still running
 * after the timeout, exit 1 so the forced stop shows in the exit status.
 *
 * Used instead of `app.enableShutdownHooks()`, which re-raises the signal after closing, so the
 * process would end with 143 rather than 0 and a supervisor would count a crash.
 */
export function shutDownGracefully(app: NestFastifyApplication, options: GracefulShutdownOptions): void {
  const { timeoutMs, logger, signals = ['SIGTERM', 'SIGINT'] } = options;
  let stopping = false;
  const fastify = app.getHttpAdapter().getInstance();
  // Created before listen(), so that it sees every connection from the first.
  const connections = new ConnectionTracker(fastify.server);

  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs }, 'shutting down: refusing new connections, finishing requests in flight');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs }, 'requests still in flight at the shutdown deadline; exiting');
      process.exit(1);
    }, timeoutMs);
    try {
      // Fastify first: it stops listening and resolves once the requests in flight have answered
      // and every connection has closed. Nest's own close would run the modules' destroy hooks
      // while the server still accepted.
      const closed = fastify.close();
      connections.closeIdle();
      await closed;
      await app.close();
      clearTimeout(deadline);
      logger.info('shut down cleanly');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };

  for (const signal of signals) process.on(signal, (s) => void stop(s));
}
