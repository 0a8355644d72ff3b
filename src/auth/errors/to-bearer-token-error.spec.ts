import { InvalidTokenError, MissingTokenError } from './bearer-token.error';
import { toBearerTokenError } from './to-bearer-token-error';

const jwtError = (message: string) => Object.assign(new Error(message), { name: 'JsonWebTokenError' });

describe('toBearerTokenError (passport info is never swallowed)', () => {
  it('passes our own refusals through', () => {
    const error = new InvalidTokenError('unknown_kid');
    expect(toBearerTokenError(error)).toBe(error);
  });
  it('maps passport-jwt "No auth token" to a missing token', () =>
    expect(toBearerTokenError(new Error('No auth token'))).toBeInstanceOf(MissingTokenError));
  it('maps jsonwebtoken "invalid signature"', () =>
    expect(toBearerTokenError(jwtError('invalid signature')).reason).toBe('bad_signature'));
  it('maps jsonwebtoken "invalid algorithm"', () =>
    expect(toBearerTokenError(jwtError('invalid algorithm')).reason).toBe('alg_not_allowed'));
  it('maps other jsonwebtoken errors to malformed, keeping the cause for the log', () => {
    const error = toBearerTokenError(jwtError('jwt malformed'));
    expect(error.reason).toBe('malformed');
    expect(error.context.cause).toBe('jwt malformed');
  });
  it('maps a JSON SyntaxError to malformed', () => expect(toBearerTokenError(new SyntaxError('x')).reason).toBe('malformed'));
  it('keeps an unexpected error as a 401 with its cause, never a 500', () => {
    const error = toBearerTokenError(new TypeError('boom'));
    expect(error.status).toBe(401);
    expect(error.reason).toBe('internal');
    expect(error.context.cause).toBe('TypeError: boom');
  });
});
