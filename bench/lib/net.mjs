import { createServer } from 'node:net';

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it, so parallel runs do not clash). */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}
