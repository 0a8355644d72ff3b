import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer } from 'node:net';
import { ConfigError } from './config/config.error';

const UNUSABLE_PORT: Record<string, string> = {
  EADDRINUSE: 'is already in use',
  EACCES: 'may not be opened by this user',
  EADDRNOTAVAIL: 'is on an address this machine does not have (HOST)',
};

/**
 * Starts listening, or throws a ConfigError naming PORT when the port cannot be had. The port is
 * tried on a bare socket first: a failed `app.listen` would also make Nest log the raw socket error,
 * a second line about the same problem.
 */
export async function listen(app: NestFastifyApplication, port: number, host: string): Promise<void> {
  try {
    await tryPort(port, host);
    await app.listen(port, host);
  } catch (err) {
    const why = UNUSABLE_PORT[(err as NodeJS.ErrnoException).code ?? ''];
    if (why === undefined) throw err;
    // No request was served yet; closing ends the first key fetch and its timers, so the exit is clean.
    await app.close().catch(() => undefined);
    throw new ConfigError('PORT', `port ${port} on ${host} ${why}; stop the other process or set PORT to a free port`);
  }
}

function tryPort(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
