import type { Response } from 'supertest';
import { REFUSAL_DESCRIPTIONS, RefusalReason } from '../../src/auth/errors/refusal-reason';

export const REALM = 'api://default';

/** Asserts the exact RFC 6750 rendering of an invalid token: status, challenge, small JSON body. */
export function expectInvalidToken(res: Pick<Response, 'status' | 'headers' | 'body'>, reason: RefusalReason): void {
  const description = REFUSAL_DESCRIPTIONS[reason];
  expect({ status: res.status, challenge: res.headers['www-authenticate'], body: res.body }).toEqual({
    status: 401,
    challenge: `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`,
    body: { statusCode: 401, error: 'Unauthorized', message: description },
  });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
}

/** A request that carried no bearer token: the bare challenge, no error code (RFC 6750 §3.1). */
export function expectMissingToken(res: Pick<Response, 'status' | 'headers' | 'body'>): void {
  expect({ status: res.status, challenge: res.headers['www-authenticate'], body: res.body }).toEqual({
    status: 401,
    challenge: `Bearer realm="${REALM}"`,
    body: { statusCode: 401, error: 'Unauthorized', message: REFUSAL_DESCRIPTIONS.missing_token },
  });
}

/** A valid token that lacks a scope: 403 naming the scopes needed. */
export function expectInsufficientScope(res: Response, scope: string): void {
  const description = REFUSAL_DESCRIPTIONS.insufficient_scope;
  expect({ status: res.status, challenge: res.headers['www-authenticate'], body: res.body }).toEqual({
    status: 403,
    challenge: `Bearer realm="${REALM}", error="insufficient_scope", error_description="${description}", scope="${scope}"`,
    body: { statusCode: 403, error: 'Forbidden', message: description },
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A malformed Authorization header: 400 invalid_request (RFC 6750 §3.1). */
export function expectInvalidRequest(res: Pick<Response, 'status' | 'headers' | 'body'>): void {
  const description = REFUSAL_DESCRIPTIONS.malformed_header;
  expect({ status: res.status, challenge: res.headers['www-authenticate'], body: res.body }).toEqual({
    status: 400,
    challenge: `Bearer realm="${REALM}", error="invalid_request", error_description="${description}"`,
    body: { statusCode: 400, error: 'Bad Request', message: description },
  });
}
