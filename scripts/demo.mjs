import concurrently from 'concurrently';
import { existsSync } from 'node:fs';
import { demoStack } from './demo-stack.mjs';
import { waitForHttp } from './wait-for-http.mjs';

// `npm run demo` builds first; running this file directly on a fresh clone would otherwise die on a missing dist/.
if (!existsSync('dist/main.js')) {
  console.error('dist/main.js is missing: run `npm run build` first (or use `npm run demo`, which does)');
  process.exit(1);
}

const stack = demoStack();
const { result } = concurrently(
  stack.processes.map(({ name, args, env }) => ({ name, command: `node ${args.join(' ')}`, env })),
  {
    prefix: '[{name}]',
    prefixColors: ['magenta', 'cyan', 'green'],
    // One process dying leaves a demo that cannot work: stop the others too.
    killOthersOn: ['failure', 'success'],
    killSignal: 'SIGTERM',
  },
);

try {
  await Promise.all(stack.processes.map(({ readyUrl }) => waitForHttp(readyUrl, { timeoutMs: 30000 })));
  console.log(
    [
      '',
      '  Demo ready (local development only, bound to 127.0.0.1):',
      `    open      ${stack.spaUrl}`,
      `    sign in   ${stack.username} / ${stack.password}`,
      `    issuer    ${stack.issuer}   client id ${stack.clientId}`,
      `    API       ${stack.apiUrl}/api/messages`,
      '  Ctrl-C stops all three.',
      '',
    ].join('\n'),
  );
} catch (err) {
  console.error(`demo did not come up: ${err.message}`);
}

result.then(
  () => process.exit(0),
  () => process.exit(1),
);
