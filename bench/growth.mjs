// npm run bench:growth: how our server's cost per request and its memory grow with the work (issue 13):
// JWKS size, token size, scopes with a required-scope check, verified-token cache entries, and
// whether the cache's byte bound holds. A fresh server per point and round, pinned to one core, as
// in npm run bench. See docs/benchmark.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { LocalIssuer } from './lib/issuer.mjs';
import { signTokenPool } from './lib/token-pool.mjs';
import { loadProblems, runLoad } from './lib/load.mjs';
import { freePort } from './lib/net.mjs';
import { canPin, cpuMicros, memoryMiB, pinSelf, unpinSelf } from './lib/proc.mjs';
import { PROD_NODE_FLAGS, startServer } from './lib/server-process.mjs';
import { envInt } from './lib/settings.mjs';
import { dimensions, padFor, REQUIRED_SCOPE, scopeList } from './lib/growth-points.mjs';
import { growthMarkdown, growthOf, summariseGrowth } from './lib/growth-report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = fileURLToPath(new URL('results/', import.meta.url));
const HEAP_PROBE = fileURLToPath(new URL('lib/heap-probe.cjs', import.meta.url));
const MIB = 1024 * 1024;

const settings = {
  durationSeconds: envInt('GROWTH_DURATION', 5),
  warmupSeconds: envInt('GROWTH_WARMUP', 2, 0),
  rounds: envInt('GROWTH_ROUNDS', 3),
  connections: envInt('GROWTH_CONNECTIONS', 32),
  cacheSizes: (process.env.GROWTH_CACHE_SIZES ?? '1000,10000,100000').split(',').map((n) => envIntOf('GROWTH_CACHE_SIZES', n)),
  // A small bound the fill must run into: ~2,000 ordinary tokens by the cache's estimate.
  boundMb: envInt('GROWTH_BOUND_MB', 4, 1, 4096),
  boundTokens: envInt('GROWTH_BOUND_TOKENS', 10_000),
};
// Distinct-token points must never repeat a token: room for warm-up + measured time at 12k req/s
// (ours serves ~10k distinct tokens a second on a quiet core). A run that wraps is flagged.
settings.poolSize = envInt('GROWTH_POOL', 12_000 * (settings.warmupSeconds + settings.durationSeconds));
const only = process.env.GROWTH_DIMENSIONS?.split(',').map((id) => id.trim());
const DIMENSIONS = dimensions(settings).filter((d) => !only || only.includes(d.id));
const checkBound = !only || only.includes('bound');
/** Tokens each cache server sees once before its baseline, so the baseline is taken with warm code. */
const SPARE = 3000;

console.log(`bench:growth on Node ${process.version}; dimensions ${DIMENSIONS.map((d) => d.id).join(', ')}${checkBound ? ', bound' : ''}`);
if (!process.env.GROWTH_SKIP_BUILD && !process.env.BENCH_SKIP_BUILD) {
  console.log('building (nest build) ...');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('nest build failed');
}

const issuer = await LocalIssuer.start({ keepAlive: true });
// 99 more keys, unpublished, the last of them signing: the JWKS lists keys in this order, so however
// many are published (the last n), the token's key comes last: a scan for its kid reads them all.
for (let i = 0; i < 99; i++) issuer.addKey({ publish: false });
const allKids = issuer.kids;
const signingKid = issuer.currentKid;
const publishLast = (n) => allKids.forEach((kid, i) => (i >= allKids.length - n ? issuer.publishKey(kid) : issuer.unpublishKey(kid)));
publishLast(1);

const pinned = canPin && availableParallelism() >= 2;
const workDir = mkdtempSync(join(tmpdir(), 'growth-'));
const runs = [];
const invalid = [];
let bound;
try {
  // Ordinary tokens: the JWKS points, the cache points (a prefix, plus SPARE for warming) and the bound check.
  const maxCache = DIMENSIONS.some((d) => d.id === 'cache') ? Math.max(...settings.cacheSizes) : 0;
  const ordinaryCount = Math.max(settings.poolSize, maxCache + SPARE, checkBound ? settings.boundTokens + SPARE : 0);
  const ordinary = await sign('ordinary', ordinaryCount);

  for (const dimension of DIMENSIONS) {
    const pools = new Map();
    for (const p of dimension.points) pools.set(p.x, await poolFor(dimension, p, ordinary));
    if (pinned) pinSelf(0);
    for (let round = 0; round < settings.rounds; round++) {
      // Rotating the order spreads slow drift of a shared machine over all points.
      const order = dimension.points.map((_, i) => dimension.points[(i + round) % dimension.points.length]);
      for (const point of order) {
        const run =
          dimension.id === 'cache'
            ? await measureCache(point, ordinary, round)
            : await measureDistinct(dimension, point, pools.get(point.x), round);
        runs.push({ dimension: dimension.id, x: point.x, round, ...run });
        if (run.problems.length) invalid.push(`${dimension.id} ${point.label} round ${round + 1}: ${run.problems.join(', ')}`);
        console.log(
          `round ${round + 1}/${settings.rounds} ${dimension.id.padEnd(6)} ${point.label.padEnd(16)} ${run.cpuMicrosPerRequest.toFixed(0).padStart(5)} µs/req ` +
            `p50 ${run.p50} ms p99 ${run.p99} ms ${run.reqPerSec.toFixed(0)} req/s peak ${run.peakRssMiB.toFixed(1)} MiB` +
            (run.heapPerEntry !== undefined ? ` cached ${run.cachedAfterFill} heap/entry ${run.heapPerEntry.toFixed(0)} B estimate/entry ${run.estimatePerEntry.toFixed(0)} B` : '') +
            (run.tokenRepeats ? ` REPEATED ${run.tokenRepeats} tokens` : '') +
            (run.problems.length ? `  INVALID: ${run.problems}` : ''),
        );
      }
    }
    if (pinned) unpinSelf();
  }
  if (checkBound) {
    if (pinned) pinSelf(0);
    bound = await checkByteBound(ordinary);
    console.log(`bound: ${JSON.stringify({ ...bound, probe: undefined })}`);
    if (!bound.held) invalid.push(`byte bound: ${bound.entries} entries, ${bound.estimatedBytes} estimated bytes, heap +${bound.heapGrowthBytes} B against ${bound.maxMb} MiB`);
  }
} finally {
  await issuer.close();
  rmSync(workDir, { recursive: true, force: true });
}

const summary = summariseGrowth(DIMENSIONS, runs);
const date = new Date().toISOString();
for (const d of summary) {
  for (const p of d.points) if (p.tokenRepeats > 0) console.warn(`warning: ${d.id} ${p.label} reused ${p.tokenRepeats} tokens; raise GROWTH_POOL`);
  if (growthOf(d)?.superlinear) console.warn(`warning: ${d.id}: CPU per request grows faster than linearly; look at it (and rerun on a quiet machine)`);
}
const table = growthMarkdown({ date, settings, pinned, summary, bound, invalid });
mkdirSync(RESULTS, { recursive: true });
const stamp = date.replace(/[:.]/g, '-');
writeFileSync(`${RESULTS}growth-${stamp}.json`, JSON.stringify({ date, settings, pinned, summary, bound, runs, invalid }, null, 2));
writeFileSync(`${RESULTS}growth-${stamp}.md`, `${table}\n`);
console.log(`\n${table}\n\nwritten to bench/results/growth-${stamp}.{json,md}`);
if (invalid.length) {
  console.error(`\n*** INVALID GROWTH RUN: ${invalid.length} problem(s); the numbers above mean nothing. ***`);
  process.exit(1);
}

/** Signs on every core: the bench process is unpinned while no server runs. */
async function sign(what, count, claims = {}) {
  if (pinned) unpinSelf();
  const t0 = performance.now();
  const tokens = await signTokenPool(issuer, count, signingKid, claims);
  console.log(`signed ${tokens.length} ${what} tokens (~${tokens[0].length} bytes) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return tokens;
}

async function poolFor(dimension, point, ordinary) {
  if (dimension.id === 'jwks' || dimension.id === 'cache') return ordinary;
  if (dimension.id === 'scopes') return sign(`${point.scopes}-scope`, settings.poolSize, { scp: scopeList(point.scopes) });
  // A sample with an empty pad and a jti as long as the pool's longest says how much pad reaches the size.
  const sample = await issuer.sign({ pad: '', jti: `AT.${signingKid}-${settings.poolSize}` }, signingKid);
  return sign(`${point.tokenBytes / 1024} KB`, settings.poolSize, { pad: 'p'.repeat(padFor(sample.length, point.tokenBytes)) });
}

function serverEnv(port, extra = {}) {
  return { OKTA_ISSUER: issuer.issuer, OKTA_AUDIENCE: 'api://default', PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', ...extra };
}

async function start(port, env, args = [...PROD_NODE_FLAGS, 'dist/main']) {
  return startServer({ name: 'ours', args, env: serverEnv(port, env), core: 1, readyUrl: `http://127.0.0.1:${port}/api/health` });
}

async function expectOk(url, token, server) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`first request got ${res.status} ${await res.text()}\n${server.log()}`);
}

/** A distinct-token point: every request carries a token the server has never seen. */
async function measureDistinct(dimension, point, tokens, round) {
  publishLast(point.keys ?? 1);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/api/messages`;
  const jwksBefore = issuer.counts.jwks;
  const server = await start(port, dimension.id === 'scopes' ? { OKTA_REQUIRED_SCOPES: REQUIRED_SCOPE } : {});
  try {
    await expectOk(url, tokens[0], server);
    const load = { url, connections: settings.connections, tokens };
    const warm = settings.warmupSeconds ? await runLoad({ ...load, offset: 1, durationSeconds: settings.warmupSeconds }) : undefined;
    const offset = 1 + (warm?.tokensUsed ?? 0);
    const measured = await measureWindow(server, { ...load, offset });
    return {
      ...measured,
      tokenBytes: tokens[0].length,
      jwksFetches: issuer.counts.jwks - jwksBefore,
      tokenRepeats: Math.max(0, offset + measured.tokensUsed - tokens.length),
      problems: [warm, measured].filter(Boolean).flatMap(loadProblems),
      round,
    };
  } finally {
    await server.stop();
  }
}

/** The measured window: server CPU per request from /proc, and the peak RSS of the server's life so far. */
async function measureWindow(server, load) {
  const cpuBefore = cpuMicros(server.pid);
  const measured = await runLoad({ ...load, durationSeconds: settings.durationSeconds });
  const cpuAfter = cpuMicros(server.pid);
  return {
    ...measured,
    cpuMicrosPerRequest: (cpuAfter - cpuBefore) / Math.max(1, measured.requests),
    serverCpuShare: (cpuAfter - cpuBefore) / 1e6 / measured.durationSeconds,
    peakRssMiB: memoryMiB(server.pid).hwm,
  };
}

/**
 * A server with the heap probe, warmed (SPARE tokens for the miss path and one repeated for the hit
 * path; with `admitSpare` each spare is sent twice, so the admission path is warm too and the spares
 * stay cached), then filled with `count` tokens, each sent twice in a row: admitted on the second.
 * Returns the probe's records from before and after the fill.
 */
async function filledCacheServer(ordinary, count, env, { admitSpare }) {
  publishLast(1);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/api/messages`;
  const out = join(workDir, `probe-${port}.json`);
  const server = await start(port, { HEAP_PROBE_OUT: out, ...env }, [...PROD_NODE_FLAGS, '--expose-gc', '-r', HEAP_PROBE, 'dist/main']);
  let seq = 0;
  /**
   * Signals the probe and waits for its record, sending a request with a cached token every 100 ms:
   * the first lookup after the signal is how the probe finds the cache (a hit changes no entry).
   */
  const probe = async (cachedToken) => {
    seq++;
    process.kill(server.pid, 'SIGUSR2');
    for (let waited = 0; waited < 10_000; waited += 100) {
      await expectOk(url, cachedToken, server);
      await sleep(100);
      try {
        const record = JSON.parse(readFileSync(out, 'utf8'));
        if (record.seq === seq) return record;
      } catch {
        // not written yet
      }
    }
    throw new Error(`the heap probe did not answer\n${server.log()}`);
  };
  try {
    const spare = ordinary.slice(ordinary.length - SPARE);
    const pairsOf = (tokens) => tokens.flatMap((t) => [t, t]);
    await expectOk(url, spare[0], server);
    const load = { url, connections: settings.connections };
    const warm = admitSpare ? pairsOf(spare.slice(1)) : spare.slice(1);
    const runs = [
      await runLoad({ ...load, tokens: warm, amount: warm.length }),
      await runLoad({ ...load, tokens: [spare[0]], durationSeconds: 1 }),
    ];
    const before = await probe(spare[0]);
    const fill = pairsOf(ordinary.slice(0, count));
    runs.push(await runLoad({ ...load, tokens: fill, amount: fill.length }));
    const after = await probe(ordinary[count - 1]);
    return { server, url, before, after, problems: runs.flatMap(loadProblems) };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** A cache point: N entries filled, then every request a hit, cycling through them. */
async function measureCache(point, ordinary, round) {
  const n = point.entries;
  // The byte bound must not be what limits the entries here: that is checked on its own.
  // Room for the warm-up's spares beside the N: the fill only adds, never evicts.
  const { server, url, before, after, problems } = await filledCacheServer(
    ordinary,
    n,
    { OKTA_TOKEN_CACHE_SIZE: String(n + SPARE), OKTA_TOKEN_CACHE_MAX_MB: '4096' },
    { admitSpare: true },
  );
  try {
    const tokens = ordinary.slice(0, n);
    const load = { url, connections: settings.connections, tokens };
    const warm = settings.warmupSeconds ? await runLoad({ ...load, durationSeconds: settings.warmupSeconds }) : undefined;
    const measured = await measureWindow(server, { ...load, offset: warm?.tokensUsed ?? 0 });
    const gained = after.entries - before.entries;
    if (gained < 0.95 * n) problems.push(`only ${gained} of ${n} tokens cached by the fill`);
    return {
      ...measured,
      tokenBytes: tokens[0].length,
      cachedAfterFill: gained,
      heapPerEntry: (after.heapUsed - before.heapUsed) / gained,
      estimatePerEntry: (after.estimatedBytes - before.estimatedBytes) / gained,
      probe: { before, after },
      problems: [...problems, ...[warm, measured].filter(Boolean).flatMap(loadProblems)],
      round,
    };
  } finally {
    await server.stop();
  }
}

/** More tokens than a small OKTA_TOKEN_CACHE_MAX_MB holds: entries must stop, and the heap with them. */
async function checkByteBound(ordinary) {
  const count = settings.boundTokens;
  // The spares are not admitted: the baseline holds one entry, and the fill alone meets the bound.
  const { server, before, after, problems } = await filledCacheServer(
    ordinary,
    count,
    { OKTA_TOKEN_CACHE_SIZE: String(count), OKTA_TOKEN_CACHE_MAX_MB: String(settings.boundMb) },
    { admitSpare: false },
  );
  await server.stop();
  const maxBytes = settings.boundMb * MIB;
  const heapGrowthBytes = after.heapUsed - before.heapUsed;
  return {
    tokens: count,
    tokenBytes: ordinary[0].length,
    maxMb: settings.boundMb,
    entries: after.entries,
    estimatedBytes: after.estimatedBytes,
    heapGrowthBytes,
    held: problems.length === 0 && after.entries < count && after.estimatedBytes <= maxBytes && heapGrowthBytes <= maxBytes,
    probe: { before, after },
    problems,
  };
}

function envIntOf(name, raw) {
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must list positive integers, got "${raw}"`);
  return n;
}
