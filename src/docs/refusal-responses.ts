import type { ResponseObject } from '@nestjs/swagger';
import {
  BearerTokenError,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  MissingTokenError,
} from '../auth/errors/bearer-token.error';
import { DpopProofError } from '../auth/dpop/dpop-proof.error';
import type { AuthScheme } from '../auth/credentials/credentials';
import { WwwAuthenticate } from '../auth/errors/www-authenticate';

const ERROR_NAMES = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden' } as const;

const REFUSAL_BODY = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer', enum: [400, 401, 403] },
    error: { type: 'string', enum: ['Bad Request', 'Unauthorized', 'Forbidden'] },
    message: { type: 'string', description: 'the error_description of the WWW-Authenticate challenge' },
  },
};

/**
 * The answer this server really sends for `error` to a request made with `scheme` (none: no
 * credentials): its challenge and its JSON body (RFC 6750 §3, RFC 9449 §7.1).
 */
function refusal(summary: string, error: BearerTokenError, challenges: WwwAuthenticate, scheme: AuthScheme | 'none' = 'Bearer') {
  return {
    summary,
    challenge: challenges.of(error, scheme === 'none' ? undefined : scheme),
    body: { statusCode: error.status, error: ERROR_NAMES[error.status], message: error.description },
  };
}

function response(description: string, cases: ReturnType<typeof refusal>[]): ResponseObject {
  return {
    description,
    headers: {
      'WWW-Authenticate': {
        description: `RFC 6750 §3 (RFC 9449 §7.1 for DPoP) challenge; one of:\n\n${cases.map((c) => `- ${c.summary}: \`${c.challenge}\``).join('\n')}`,
        schema: { type: 'string', example: cases[0].challenge },
      },
    },
    content: {
      'application/json': {
        schema: REFUSAL_BODY,
        examples: Object.fromEntries(cases.map((c, i) => [`case${i + 1}`, { summary: c.summary, value: c.body }])),
      },
    },
  };
}

/**
 * The 400, 401 and 403 answers of a protected route, with the challenges and bodies this server
 * sends, rendered by the same error classes and challenge renderer the guard's filter uses.
 */
export function refusalResponses(challenges: WwwAuthenticate): Record<'400' | '401' | '403', ResponseObject> {
  return {
    '400': response('`invalid_request`: the Authorization header is not one well-formed `Bearer <token>` (or `DPoP <token>`, answered in a `DPoP` challenge).', [
      refusal('malformed Authorization header', new InvalidRequestError('malformed_header'), challenges),
    ]),
    '401': response('No access token (a bare challenge), or `invalid_token`: one this server does not accept (the README lists every reason).', [
      refusal('no Authorization header', new MissingTokenError(), challenges, 'none'),
      refusal('expired token', new InvalidTokenError('expired'), challenges),
      refusal('token from another issuer', new InvalidTokenError('wrong_issuer'), challenges),
      refusal('token for another audience (e.g. an ID token)', new InvalidTokenError('wrong_audience'), challenges),
      refusal('forged or altered token', new InvalidTokenError('bad_signature'), challenges),
      refusal('issuer keys unreachable', new InvalidTokenError('keys_unavailable'), challenges),
      refusal('DPoP proof replayed', new DpopProofError('dpop_replay'), challenges, 'DPoP'),
    ]),
    '403': response('`insufficient_scope`: a valid token that lacks a required scope; `scope` names the scopes needed.', [
      refusal('missing scope', new InsufficientScopeError(['messages:read']), challenges),
    ]),
  };
}
