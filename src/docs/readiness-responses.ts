import type { ResponseObject } from '@nestjs/swagger';

const up = {
  keys: 2,
  fetchedAt: '2026-01-01T12:00:00.000Z',
  ageSeconds: 42,
  lastAttemptAt: '2026-01-01T12:00:00.000Z',
  lastFetch: 'success',
};
const down = {
  keys: 0,
  fetchedAt: null,
  ageSeconds: null,
  lastAttemptAt: '2026-01-01T12:00:00.000Z',
  lastFetch: 'error',
  lastFetchError: 'timeout',
  reason: 'fetch_failed',
};
/** The default in-memory store; with REDIS_URL the check shows the connection's state instead. */
const sharedStore = {
  kind: 'memory',
  available: true,
  requiredForReadiness: false,
  entries: 0,
  maxEntries: 200000,
  estimatedBytes: 0,
  maxBytes: 33554432,
  full: false,
};

/**
 * This server's readiness answers (`GET /api/health/ready`), in place of Terminus's generic
 * database/redis examples: `signingKeys`, the key store's state, and `sharedStore`, the replay and cache store's.
 */
export function readinessResponses(): Record<'200' | '503', ResponseObject> {
  const example = (status: 'ok' | 'error', signingKeys: object) => {
    const keys = { signingKeys: { status: status === 'ok' ? 'up' : 'down', ...signingKeys } };
    const store = { sharedStore: { status: 'up', ...sharedStore } };
    return {
      status,
      info: status === 'ok' ? { ...keys, ...store } : store,
      error: status === 'ok' ? {} : keys,
      details: { ...keys, ...store },
    };
  };
  return {
    '200': {
      description: 'Ready: at least one usable signing key is held (stale keys within OKTA_JWKS_MAX_STALE count).',
      content: { 'application/json': { schema: { type: 'object' }, example: example('ok', up) } },
    },
    '503': {
      description: 'Not ready: no usable signing key (never fetched, or older than OKTA_JWKS_MAX_STALE while the issuer is down).',
      content: { 'application/json': { schema: { type: 'object' }, example: example('error', down) } },
    },
  };
}
