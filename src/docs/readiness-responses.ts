import type { ResponseObject } from '@nestjs/swagger';

const CHECK = 'signingKeys';

const up = {
  status: 'up',
  keys: 2,
  fetchedAt: '2026-01-01T12:00:00.000Z',
  ageSeconds: 42,
  lastAttemptAt: '2026-01-01T12:00:00.000Z',
  lastFetch: 'success',
};
const down = {
  status: 'down',
  keys: 0,
  fetchedAt: null,
  ageSeconds: null,
  lastAttemptAt: '2026-01-01T12:00:00.000Z',
  lastFetch: 'error',
  lastError: 'https://{yourOktaDomain}/oauth2/default/v1/keys: timed out',
};

/**
 * This server's readiness answers (`GET /api/health/ready`), in place of Terminus's generic
 * database/redis examples: one check, `signingKeys`, with the key store's state.
 */
export function readinessResponses(): Record<'200' | '503', ResponseObject> {
  const example = (status: 'ok' | 'error', check: object) => ({
    status,
    info: status === 'ok' ? { [CHECK]: check } : {},
    error: status === 'ok' ? {} : { [CHECK]: check },
    details: { [CHECK]: check },
  });
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
