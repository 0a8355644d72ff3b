import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring for this process.
 *
 * Under load with distinct tokens, V8 decided that per-request allocation sites (Node's response
 * headers, IncomingMessage, Fastify's reply, jsonwebtoken's decoded token) produce long-lived
 * objects and began allocating them straight into the old generation. Every request then left
 * several KB of garbage there that only a full mark-compact reclaims (V8's sampling heap profiler,
 * set to keep objects collected by major GC, traced about half of it to `_storeHeader`). Without
 * pretenuring, scratch A/B runs of that load used ~15-20% less CPU per request and ~30% less peak
 * memory; nothing this server keeps is long-lived enough to gain from pretenuring.
 *
 * Set first thing in main.ts, long before the load that triggers pretenuring decisions. Node warns
 * that V8 flags changed at run time may behave unpredictably; this one is read by the garbage
 * collector when it decides, and measured to take effect. To be strict, run
 * `node --no-allocation-site-pretenuring dist/main`, which `npm run start:prod` does.
 *
 * `npm run start:prod` also passes `--max-semi-space-size=16`, which cannot be set here: V8 sizes
 * the young generation when the heap is created. 16 MB is Node 20's own limit. Node 24 (V8 13) scales
 * it with the machine's memory (64 MB semi-spaces on a 24 GiB host). Under token-verifying load
 * during the first seconds, a fifth of each young generation then survived into the next scavenge:
 * ~10 MB promoted per scavenge, 30-50 ms pauses, and the young generation held at 128 MB for good.
 * With Node 20's limit on Node 24, paired runs peaked ~70 MiB lower every time; their CPU per
 * request moved within the host's noise (docs/benchmark.md, "Issue 13, third round").
 */
export function tuneGarbageCollector(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
