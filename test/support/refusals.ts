import type { Response } from 'supertest';
import { REFUSAL_DESCRIPTIONS, RefusalReason } from '../../src/auth/errors/refusal-reason';

export const REALM = 'api://default';
/** RFC 9728 §5.1: every challenge names the metadata; the default public base URL is http://localhost:8000. */
export const RESOURCE_METADATA = 'http://localhost:8000/.well-known/oauth-protected-resource';
/** The DPoP challenge's algs= under the default OKTA_DPOP_ALGORITHMS. */
export const DPOP_ALGS = 'ES256 RS256 PS256';

/** Asserts the exact RFC 6750 rendering of an invalid token: status, challenge, small JSON body. */
export function expectInvalidToken(res: Pick<Response, 'status' | 'headers' | 'body'>, reason: RefusalReason): void {
  const description = REFUSAL_DESCRIPTIONS[reason];
  expect({ status: res.status, challenge: res.headers['www-authenticate'], body: res.body }).toEqual({
    status: 401,
    challenge: `Bearer realm="${REALM}", error="invalid_token", error_description="${description}", resource_metadata="${RESOURCE_METADATA}"`,
    body: { statusCode: 401, error: 'Unauthorized', message: description },
  });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
}

/**
 * A request that carried no token: the bare challenges, no error code (RFC 6750 §3.1), one for each
 * scheme while both are allowed (RFC 9449 §7.1).
 */
export function expectMissingToken(res: Pick<Response, 'status' | 'headers' | 'body'>): void {
  expect({ status: res.status, challenge: res.headers['www-authenticate'], body: res.body }).toEqual({
    status: 401,
    challenge: `Bearer realm="${REALM}", resource_metadata="${RESOURCE_METADATA}", DPoP algs="${DPOP_ALGS}", resource_metadata="${RESOURCE_METADATA}"`,
    body: { statusCode: 401, error: 'Unauthorized', message: REFUSAL_DESCRIPTIONS.missing_token },
  });
}

/** A valid token that lacks a scope: 403 naming the scopes needed. */
export function expectInsufficientScope(res: Response, scope: string): void {
  const description = REFUSAL_DESCRIPTIONS.insufficient_scope;
  expect({ status: res.status, challenge: res.headers['www-authenticate'], body: res.body }).toEqual({
    status: 403,
    challenge: `Bearer realm="${REALM}", error="insufficient_scope", error_description="${description}", scope="${scope}", resource_metadata="${RESOURCE_METADATA}"`,
    body: { statusCode: 403, error: 'Forbidden', message: description },
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A malformed Authorization header: 400 invalid_request (RFC 6750 §3.1), in the challenge of the
 * scheme the request was made with (RFC 9449 §7.1), under the default settings.
 */
export function expectInvalidRequest(res: Pick<Response, 'status' | 'headers' | 'body'>, scheme: 'Bearer' | 'DPoP' = 'Bearer'): void {
  const description = REFUSAL_DESCRIPTIONS.malformed_header;
  const params = `error="invalid_request", error_description="${description}", resource_metadata="${RESOURCE_METADATA}"`;
  expect({ status: res.status, challenge: res.headers['www-authenticate'], body: res.body }).toEqual({
    status: 400,
    challenge: scheme === 'DPoP' ? `DPoP algs="${DPOP_ALGS}", ${params}` : `Bearer realm="${REALM}", ${params}`,
    body: { statusCode: 400, error: 'Bad Request', message: description },
  });
}
