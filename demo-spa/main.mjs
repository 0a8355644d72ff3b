import { startSpaServer } from './server.mjs';

try {
  const { url } = await startSpaServer();
  console.log(`demo SPA on ${url} (127.0.0.1 only)`);
} catch (err) {
  console.error(`demo SPA failed to start: ${err.message}`);
  process.exit(1);
}
