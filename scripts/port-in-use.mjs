import { createServer } from 'node:net';

/** True when `port` on 127.0.0.1 cannot be listened on right now (EADDRINUSE); other errors are thrown. */
export function portInUse(port, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err) => (err.code === 'EADDRINUSE' ? resolve(true) : reject(err)));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(false)));
  });
}
