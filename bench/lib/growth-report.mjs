import { machineLine } from './report.mjs';
import { median, spread } from './stats.mjs';

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const MIB = 1024 * 1024;

/** Medians over the rounds, per point, dimension by dimension. */
export function summariseGrowth(dimensions, runs) {
  return dimensions.map((d) => ({
    ...d,
    points: d.points.map((p) => {
      const mine = runs.filter((r) => r.dimension === d.id && r.x === p.x);
      const pick = (key) => mine.map((r) => r[key]).filter((v) => v !== undefined);
      return {
        ...p,
        rounds: mine.length,
        cpuMicrosPerRequest: median(pick('cpuMicrosPerRequest')),
        cpuSpread: spread(pick('cpuMicrosPerRequest')),
        p50: median(pick('p50')),
        p99: median(pick('p99')),
        reqPerSec: median(pick('reqPerSec')),
        peakRssMiB: median(pick('peakRssMiB')),
        serverCpuShare: median(pick('serverCpuShare')),
        loadGenCpuShare: median(pick('loadGenCpuShare')),
        tokenBytes: median(pick('tokenBytes')),
        tokenRepeats: Math.max(0, ...pick('tokenRepeats')),
        jwksFetchesMax: Math.max(0, ...pick('jwksFetches')),
        // Cache points only.
        cachedAfterFill: median(pick('cachedAfterFill')),
        heapPerEntry: median(pick('heapPerEntry')),
        estimatePerEntry: median(pick('estimatePerEntry')),
      };
    }),
  }));
}

/**
 * How the CPU per request moves from point to point: µs per unit on each step, and a flag when the
 * second step's slope is more than twice the first's while the whole range grows by more than 25%.
 * On a busy machine a flag is a reason to look (and to rerun quietly), not a verdict.
 */
export function growthOf(dimension, key = 'cpuMicrosPerRequest') {
  const pts = dimension.points.filter((p) => Number.isFinite(p[key]));
  if (pts.length < 2) return undefined;
  const steps = pts.slice(1).map((p, i) => (p[key] - pts[i][key]) / (p.x - pts[i].x));
  const first = pts[0][key];
  const last = pts.at(-1)[key];
  const superlinear = steps.length >= 2 && steps.at(-1) > 2 * Math.max(steps[0], 0) && last > 1.25 * first;
  return { steps, ratio: last / first, superlinear };
}

export function growthMarkdown({ date, settings, pinned, summary, bound, invalid }) {
  const lines = [
    `Run ${date} on ${machineLine()}; ${pinned ? 'server pinned to core 1, load generator and issuer to core 0' : 'no pinning (taskset unavailable)'}; ` +
      `autocannon ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s measured, ` +
      `${settings.rounds} round(s), medians; a fresh server process per point and round; distinct-token pools of ${settings.poolSize}.`,
  ];
  if (summary.length) {
    lines.push(
      '',
      '| dimension | point | token bytes | server CPU µs/req (spread) | p50 ms | p99 ms | req/s | peak RSS MiB | CPU busy: server / load-gen |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    );
  }
  for (const d of summary) {
    for (const p of d.points) {
      const warn = p.tokenRepeats > 0 ? ` (pool wrapped: ${p.tokenRepeats} repeats)` : '';
      lines.push(
        `| ${d.id} | ${p.label}${warn} | ${fmt(p.tokenBytes)} | ${fmt(p.cpuMicrosPerRequest)} (${fmt(100 * p.cpuSpread)}%) | ${fmt(p.p50)} | ${fmt(p.p99)} | ` +
          `${fmt(p.reqPerSec)} | ${fmt(p.peakRssMiB, 1)} | ${fmt(100 * p.serverCpuShare)}% / ${fmt(100 * p.loadGenCpuShare)}% |`,
      );
    }
  }
  if (summary.length) lines.push('', '| dimension | µs/req per unit, each step | last / first | faster than linear? |', '|---|---|---:|---|');
  for (const d of summary) {
    const g = growthOf(d);
    if (!g) continue;
    const steps = g.steps.map((s, i) => `${d.points[i].x} → ${d.points[i + 1].x}: ${fmt(s, s !== 0 && Math.abs(s) < 0.1 ? 4 : 2)} per ${d.unit}`);
    lines.push(`| ${d.title} | ${steps.join('; ')} | ${fmt(g.ratio, 2)}x | ${g.superlinear ? '**look**' : 'no'} |`);
  }
  const cache = summary.find((d) => d.id === 'cache');
  if (cache) {
    lines.push(
      '',
      '| cache entries | cached after fill | heap per entry, bytes (measured) | cache\'s estimate per entry, bytes | estimate / measured |',
      '|---:|---:|---:|---:|---:|',
      ...cache.points.map(
        (p) =>
          `| ${p.x.toLocaleString('en')} | ${fmt(p.cachedAfterFill)} | ${fmt(p.heapPerEntry)} | ${fmt(p.estimatePerEntry)} | ${fmt(p.estimatePerEntry / p.heapPerEntry, 1)}x |`,
      ),
    );
  }
  if (bound) {
    lines.push(
      '',
      '| byte bound check | tokens sent twice | OKTA_TOKEN_CACHE_MAX_MB | entries held | cache\'s estimated bytes | heap growth | held |',
      '|---|---:|---:|---:|---:|---:|---|',
      `| ${bound.tokenBytes}-byte tokens, OKTA_TOKEN_CACHE_SIZE=${bound.tokens} | ${bound.tokens.toLocaleString('en')} | ${bound.maxMb} | ${fmt(bound.entries)} | ` +
        `${fmt(bound.estimatedBytes / MIB, 2)} MiB | ${fmt(bound.heapGrowthBytes / MIB, 2)} MiB | ${bound.held ? 'yes' : '**no**'} |`,
    );
  }
  lines.push(
    '',
    'spread = (max - min) / median over the rounds. CPU busy = share of its core the server / the load generator used while measured: ' +
      'a server well below 100% was held back (on a shared machine, by its neighbours), and its CPU per request then includes more fixed costs (timers, compilation). ' +
      'Distinct-token points (jwks, size, scopes) send every token once; ' +
      'cache points fill the cache (each token twice in a row: admitted on its second verification) and then cycle through it, so every measured request is a hit. ' +
      'Heap per entry = growth of the heap in use (after forced collections, in the server, by bench/lib/heap-probe.cjs) while the cache filled, ' +
      'divided by the entries it gained. Not in it: what every slot of OKTA_TOKEN_CACHE_SIZE costs from the start, whether used or not ' +
      '(lru-cache\'s arrays, ~50 bytes a slot, and the doorkeeper\'s 16).',
  );
  if (invalid.length) lines.push('', `**INVALID RUN**: ${invalid.join('; ')}`);
  return lines.join('\n');
}
