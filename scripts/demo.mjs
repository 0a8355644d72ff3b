import concurrently from 'concurrently';
import { existsSync } from 'node:fs';
import { demoPorts, demoStack } from './demo-stack.mjs';
import { portInUse } from './port-in-use.mjs';
import { waitForHttp } from './wait-for-http.mjs';

/** Ends the demo with one line a person can act on: no stack, no unhandled-rejection dump. */
function stop(line) {
  console.error(`demo: ${line}`);
  process.exit(1);
}

// `npm run demo` builds first; running this file directly on a fresh clone would otherwise die on a missing dist/.
if (!existsSync('dist/main.js')) {
  stop('dist/main.js is missing: run `npm run build` first (or use `npm run demo`, which does)');
}

let stack;
try {
  stack = demoStack(demoPorts());
} catch (err) {
  stop(err.message);
}

// A port already taken (often a demo or an Okta sample still running) is the usual reason a process dies at start.
const taken = [];
for (const { name, port, setting } of stack.processes) {
  if (await portInUse(port)) taken.push(`port ${port} (${name}) is already in use; stop what holds it or set ${setting} to a free port`);
}
if (taken.length > 0) stop(taken.join('\ndemo: '));

const { result, commands } = concurrently(
  stack.processes.map(({ name, args, env }) => ({ name, command: `node ${args.join(' ')}`, env })),
  {
    prefix: '[{name}]',
    prefixColors: ['magenta', 'cyan', 'green'],
    // One process dying leaves a demo that cannot work: stop the others too.
    killOthersOn: ['failure', 'success'],
    killSignal: 'SIGTERM',
  },
);
// Handled from the start: a process that dies before the demo is ready must not become an unhandled rejection.
const ended = result.then(
  () => 0,
  () => 1,
);
let ready = false;
void ended.then((code) => {
  if (!ready) console.error('demo: a process stopped before the demo was ready; its output above says why');
  process.exit(code);
});

/** Resolves once a process has printed its start-up line, so the banner comes after every one of them. */
const printed = (command, text) =>
  new Promise((resolve) => {
    let seen = '';
    const subscription = command.stdout.subscribe((chunk) => {
      seen = (seen + chunk.toString()).slice(-4096);
      if (seen.includes(text)) {
        subscription.unsubscribe();
        resolve();
      }
    });
  });
const startupLines = ['LOCAL DEVELOPMENT issuer', 'signing key', 'demo SPA on'];

/**
 * Resolves once no process has printed anything for `quietMs` (at most `maxMs`): the last readiness
 * poll's request line reaches the terminal a moment after its answer, and must not follow the banner.
 */
const settled = (quietMs = 300, maxMs = 3000) =>
  new Promise((resolve) => {
    let timer = setTimeout(done, quietMs);
    const cap = setTimeout(done, maxMs);
    const subscriptions = commands.flatMap((c) => [c.stdout, c.stderr]).map((stream) =>
      stream.subscribe(() => {
        clearTimeout(timer);
        timer = setTimeout(done, quietMs);
      }),
    );
    function done() {
      clearTimeout(timer);
      clearTimeout(cap);
      for (const subscription of subscriptions) subscription.unsubscribe();
      resolve();
    }
  });

try {
  await Promise.all([
    ...stack.processes.map(({ readyUrl }) => waitForHttp(readyUrl, { timeoutMs: 30000, isAlive: () => !commands.some((c) => c.exited) })),
    ...commands.map((command, i) => printed(command, startupLines[i])),
  ]);
  await settled();
  ready = true;
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
  // The process that failed has said why; concurrently stops the others and `ended` exits.
  if (!commands.some((c) => c.exited)) console.error(`demo: did not come up: ${err.message}`);
}
