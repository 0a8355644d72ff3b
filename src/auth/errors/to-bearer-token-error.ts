import { BearerTokenError, InvalidTokenError, MissingTokenError } from './bearer-token.error';

/**
 * Turns what passport reports (its `err` or `info`) into a BearerTokenError. Passport's `info` is
 * where passport-jwt and jsonwebtoken put the reason a token failed; it must not be dropped.
 */
export function toBearerTokenError(cause: unknown): BearerTokenError {
  if (cause instanceof BearerTokenError) return cause;
  if (!(cause instanceof Error)) return new MissingTokenError();
  // passport-jwt found no "Authorization: Bearer" header.
  if (cause.message === 'No auth token') return new MissingTokenError();
  // jsonwebtoken's errors carry their kind only in the message.
  if (cause.name === 'JsonWebTokenError') {
    if (cause.message === 'invalid signature') return new InvalidTokenError('bad_signature');
    if (cause.message.startsWith('invalid algorithm')) return new InvalidTokenError('alg_not_allowed');
    return new InvalidTokenError('malformed', { cause: cause.message });
  }
  if (cause.name === 'SyntaxError') return new InvalidTokenError('malformed');
  return new InvalidTokenError('internal', { cause: `${cause.name}: ${cause.message}` });
}
