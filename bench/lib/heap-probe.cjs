// Preloaded into our server by `npm run bench:growth` (node --expose-gc -r bench/lib/heap-probe.cjs dist/main),
// never in production. On SIGUSR2 it collects garbage and writes, to the file HEAP_PROBE_OUT names, the
// heap in use and the verified-token cache's entries and estimated bytes, so the bench can measure
// memory per cached entry and check the cache's byte bound from outside the app.
//
// The cache is found without touching the app: lru-cache publishes every operation on the
// diagnostics channel 'lru-cache:metrics' while someone listens, with the cache instance. The probe
// listens only from a signal until the next lookup keyed like the verified-token cache's (SHA-256,
// base64 with padding: 44 characters ending in '='), so the measured load runs with no listener.
'use strict';
const { subscribe, unsubscribe } = require('node:diagnostics_channel');
const { writeFileSync } = require('node:fs');

const CHANNEL = 'lru-cache:metrics';
const VERIFIED_TOKEN_CACHE_KEY = /^[A-Za-z0-9+/]{43}=$/;
const out = process.env.HEAP_PROBE_OUT;
let cache;
let seq = 0;
let waiting = false;

function onOperation(status) {
  if (status.op !== 'get' || typeof status.key !== 'string' || !VERIFIED_TOKEN_CACHE_KEY.test(status.key)) return;
  cache = status.cache;
  unsubscribe(CHANNEL, onOperation);
  waiting = false;
  // After the request that made the lookup is done with its objects.
  setImmediate(snapshot);
}

function snapshot() {
  global.gc();
  global.gc();
  const memory = process.memoryUsage();
  const record = {
    seq,
    heapUsed: memory.heapUsed,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
    rss: memory.rss,
    entries: cache?.size,
    estimatedBytes: cache?.calculatedSize,
    max: cache?.max,
    maxSize: cache?.maxSize,
  };
  writeFileSync(out, JSON.stringify(record));
}

if (out && typeof global.gc === 'function') {
  process.on('SIGUSR2', () => {
    seq++;
    if (cache) return void setImmediate(snapshot);
    if (!waiting) subscribe(CHANNEL, onOperation);
    waiting = true;
  });
}
