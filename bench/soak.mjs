// npm run soak: the built server under a full-speed mix of valid and bad tokens while the local
// issuer's JWKS endpoint fails and its keys rotate. Exits non-zero on any violation. See docs/benchmark.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { LocalIssuer } from './lib/issuer.mjs';
import { alwaysBadTokens, expiringTokens, validTokensFor } from './lib/soak-tokens.mjs';
import { SoakLedger } from './lib/soak-ledger.mjs';
import { TokenMix } from './lib/soak-mix.mjs';
import { freePort } from './lib/net.mjs';
import { canPin, memoryMiB, pinSelf } from './lib/proc.mjs';
import { startServer } from './lib/server-process.mjs';
import { envInt } from './lib/settings.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = fileURLToPath(new URL('results/', import.meta.url));

const durationS = envInt('SOAK_DURATION', 120, 30, 3600);
const connections = envInt('SOAK_CONNECTIONS', 32);
const flapS = envInt('SOAK_FLAP_SECONDS', Math.min(10, Math.max(2, Math.round(durationS * 0.06))), 1, 50);
const poolPerKey = envInt('SOAK_POOL', 10_000);
const rssFactor = Number(process.env.SOAK_RSS_FACTOR ?? 1.5);

/**
 * The server's key settings, and why the soak's expectations follow from them.
 */
const COOLDOWN_S = 1;
const SERVER_ENV = {
  // An unknown kid (a rotated-in key, or a forgery) refetches at most once a second: a published
  // key is known within ~1 s, and the random-kid flood costs the issuer at most one fetch a second.
  OKTA_JWKS_COOLDOWN: String(COOLDOWN_S),
  // Even without unknown kids, a removed key is noticed within ~10 s (the removal probe's bound is 15 s).
  OKTA_JWKS_REFRESH_INTERVAL: '10',
  // Far longer than any flap (at most 10 s): cached keys must carry valid tokens through every outage.
  OKTA_JWKS_MAX_STALE: '60',
  // A hanging JWKS endpoint holds a waiting request (unknown kid) at most 1 s.
  OKTA_JWKS_TIMEOUT_MS: '1000',
  // Expiring tokens flip from 200 to 401 at their exp, to the second.
  OKTA_CLOCK_TOLERANCE: '0',
};
/** Longest the server may take to accept a newly published key / refuse a removed one (cooldown + refresh + timeout + slack). */
const ROTATE_IN_BOUND_MS = 10_000;
const ROTATE_OUT_BOUND_MS = 15_000;

if (!process.env.SOAK_SKIP_BUILD) {
  console.log('building (nest build) ...');
  if (spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) throw new Error('nest build failed');
}

const issuer = await LocalIssuer.start();
const oldKid = issuer.currentKid;
const newKid = issuer.addKey({ publish: false });
console.log('signing tokens ...');
const keys = { [oldKid]: await validTokensFor(issuer, oldKid, poolPerKey), [newKid]: await validTokensFor(issuer, newKid, poolPerKey) };
const bad = await alwaysBadTokens(issuer, [oldKid, newKid]);

const pinned = canPin && availableParallelism() >= 2;
if (pinned) pinSelf(0);
const port = await freePort();
const url = `http://127.0.0.1:${port}/api/messages`;
const server = await startServer({
  name: 'ours',
  args: ['dist/main'],
  env: { OKTA_ISSUER: issuer.issuer, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', ...SERVER_ENV },
  core: 1,
  readyUrl: `http://127.0.0.1:${port}/api/health`,
});

const failures = [];
/** Start of the load; set again when it begins. */
let t0 = Date.now();
const log = (line) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}`);

const send = (token) => fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });

// Preflight: one request of each kind, before load, so a wrong expectation shows up with its reason.
const preflight = [
  ['valid', keys[oldKid].distinct[0], 200],
  ['no-token', undefined, 401],
  ...Object.entries(bad).flatMap(([kind, tokens]) => tokens.slice(0, kind === 'garbage' ? tokens.length : 1).map((t) => [kind, t, 401])),
];
for (const [kind, token, expected] of preflight) {
  const res = await send(token);
  if (res.status !== expected) failures.push(`preflight ${kind}: expected ${expected}, got ${res.status} ${(await res.text()).slice(0, 200)}`);
}

const ledger = new SoakLedger();
const probes = new SoakLedger();
const mix = new TokenMix(keys, bad);
mix.admit(oldKid);

/** Asks with `token` until the server answers `wanted`, within `boundMs`; returns how long it took. */
async function probeUntil(label, token, wanted, boundMs) {
  const start = Date.now();
  while (Date.now() - start < boundMs) {
    const status = (await send(token)).status;
    probes.record(label, 'either', status);
    if (status === wanted) return Date.now() - start;
    await sleep(200);
  }
  return undefined;
}

async function flap(mode) {
  log(`JWKS endpoint ${mode === 'down' ? 'fails (503)' : 'hangs'} for ${flapS} s`);
  issuer.mode = mode;
  await sleep(flapS * 1000);
  issuer.mode = 'up';
  log('JWKS endpoint back');
}

async function rotateIn() {
  issuer.publishKey(newKid);
  log(`published ${newKid}; probing until the server accepts it`);
  const ms = await probeUntil('probe: new key accepted', keys[newKid].repeated[0], 200, ROTATE_IN_BOUND_MS);
  if (ms === undefined) return void failures.push(`the server did not accept newly published ${newKid} within ${ROTATE_IN_BOUND_MS} ms`);
  mix.admit(newKid);
  log(`server accepts ${newKid} after ${ms} ms; valid tokens now use both keys`);
}

async function rotateOut() {
  issuer.unpublishKey(oldKid);
  mix.retire(oldKid, 'removing');
  log(`removed ${oldKid} from the JWKS; probing (with a token the server has seen many times) until it is refused`);
  const ms = await probeUntil('probe: removed key refused', keys[oldKid].repeated[0], 401, ROTATE_OUT_BOUND_MS);
  if (ms === undefined) return void failures.push(`the server still accepted tokens of removed ${oldKid} after ${ROTATE_OUT_BOUND_MS} ms`);
  mix.retire(oldKid, 'gone');
  log(`server refuses ${oldKid} after ${ms} ms; its tokens must get 401 from now on`);
}

// The schedule, as fractions of the run; flaps never overlap a rotation, so rotation bounds hold.
const SCHEDULE = [
  [0.2, () => flap('down')],
  [0.35, rotateIn],
  [0.5, () => flap('hang')],
  [0.65, rotateOut],
  [0.8, () => flap('down')],
];
// The RSS baseline: late enough for the JIT, the heap and the caches to have grown into the load.
const warmupEndsMs = Math.max(10_000, durationS * 100);

const rss = [];
let baselineRss;
const sampler = setInterval(() => {
  if (!server.alive()) return; // judged at the end
  const sample = memoryMiB(server.pid).rss;
  rss.push(sample);
  if (baselineRss === undefined && Date.now() - t0 >= warmupEndsMs) {
    baselineRss = sample;
    log(`warm-up over: RSS ${sample.toFixed(1)} MiB is the baseline`);
  }
}, 1000);

const jwksBefore = issuer.counts.jwks;
t0 = Date.now();
// Signed now, so that they expire at 0.45 of the run: between the first rotation and the hang.
mix.expiresAtS = Math.floor((t0 + durationS * 450) / 1000);
mix.expiring = await expiringTokens(issuer, oldKid, mix.expiresAtS);
log(`soak: ${durationS} s, ${connections} connections, flaps of ${flapS} s, expiring tokens expire at +${Math.round((mix.expiresAtS * 1000 - t0) / 1000)} s`);
const pending = SCHEDULE.map(([at, step]) => sleep(at * durationS * 1000).then(step));
const reqErrors = [];
const result = await new Promise((resolve, reject) => {
  const instance = autocannon(
    {
      url,
      connections,
      duration: durationS,
      timeout: 10,
      requests: [
        {
          setupRequest: (req, context) => {
            const pick = mix.next(Date.now());
            Object.assign(context, { kind: pick.kind, expected: pick.expected });
            if (pick.token) req.headers.authorization = `Bearer ${pick.token}`;
            else delete req.headers.authorization;
            return req;
          },
          onResponse: (status, body, context) => ledger.record(context.kind, context.expected, status),
        },
      ],
    },
    (err, res) => (err ? reject(err) : resolve(res)),
  );
  instance.on('reqError', (err) => reqErrors.length < 10 && reqErrors.push(err.message));
});
await Promise.all(pending);
clearInterval(sampler);
const serverAlive = server.alive();
const endRss = serverAlive ? memoryMiB(server.pid) : { rss: NaN, hwm: NaN };
const jwksFetches = issuer.counts.jwks - jwksBefore;
await server.stop();
await issuer.close();

// Verdicts.
if (ledger.violations) failures.push(`${ledger.violations} responses were not what the token called for (e.g. ${ledger.examples.slice(0, 3).join('; ')})`);
if (ledger.serverErrors) failures.push(`${ledger.serverErrors} responses were 5xx`);
if (probes.violations) failures.push(`${probes.violations} probe responses were 5xx`);
if (result.errors || result.timeouts) failures.push(`${result.errors} connection errors, ${result.timeouts} timeouts (${reqErrors.join('; ')})`);
if (!serverAlive) failures.push('the server process died');
if (baselineRss === undefined) failures.push('no RSS baseline was taken');
else if (endRss.rss > rssFactor * baselineRss) failures.push(`RSS grew from ${baselineRss.toFixed(1)} to ${endRss.rss.toFixed(1)} MiB, beyond ${rssFactor}x`);
const maxFetches = Math.ceil((1.2 * durationS) / COOLDOWN_S) + 10;
if (jwksFetches > maxFetches) failures.push(`${jwksFetches} JWKS fetches, more than the cooldown allows (${maxFetches})`);

const report = [
  `Soak ${new Date(t0).toISOString()}: ${durationS} s, ${connections} connections, ${result.requests.total} requests (${(result.requests.total / result.duration).toFixed(0)} req/s), ` +
    `server ${pinned ? 'pinned to core 1' : 'unpinned'}, settings ${Object.entries(SERVER_ENV).map(([k, v]) => `${k}=${v}`).join(' ')}.`,
  '',
  ledger.table(),
  '',
  probes.table(),
  '',
  `RSS: ${baselineRss?.toFixed(1)} MiB after warm-up, ${endRss.rss.toFixed(1)} MiB at the end (bound ${rssFactor}x), peak ${endRss.hwm.toFixed(1)} MiB. ` +
    `JWKS: ${jwksFetches} fetches during the soak (bound ${maxFetches}), ${issuer.counts.jwksServed} served successfully in all. ` +
    `Connection errors ${result.errors}, timeouts ${result.timeouts}.`,
  '',
  failures.length ? `**FAILED**:\n${failures.map((f) => `- ${f}`).join('\n')}` : '**PASSED**: every valid request got 200, every bad one 401, no 5xx, no connection errors, RSS within bound.',
].join('\n');
mkdirSync(RESULTS, { recursive: true });
const stamp = new Date(t0).toISOString().replace(/[:.]/g, '-');
writeFileSync(`${RESULTS}soak-${stamp}.md`, `${report}\n`);
writeFileSync(`${RESULTS}soak-${stamp}.json`, JSON.stringify({ durationS, connections, flapS, SERVER_ENV, rows: [...ledger.rows.values()], probes: [...probes.rows.values()], rss, baselineRss, endRss, jwksFetches, failures }, null, 2));
console.log(`\n${report}\n\nwritten to bench/results/soak-${stamp}.{json,md}`);
if (failures.length) {
  console.error('\n*** SOAK FAILED ***\n' + server.log().split('\n').slice(-20).join('\n'));
  process.exit(1);
}
