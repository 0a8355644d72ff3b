import { InsufficientScopeError, InvalidRequestError, InvalidTokenError, MissingTokenError } from './bearer-token.error';
import { REFUSAL_DESCRIPTIONS } from './refusal-reason';

/** What each error contributes to its challenge; WwwAuthenticate renders it (www-authenticate.spec.ts). */
describe('BearerTokenError (RFC 6750 §3)', () => {
  it('a request without credentials is a 401 with no error parameters', () => {
    const error = new MissingTokenError();
    expect(error.status).toBe(401);
    expect(error.errorParams()).toEqual({});
  });

  it('names invalid_token and why', () => {
    const error = new InvalidTokenError('expired');
    expect(error.status).toBe(401);
    expect(error.description).toBe(REFUSAL_DESCRIPTIONS.expired);
    expect(error.errorParams()).toEqual({ error: 'invalid_token', error_description: 'the access token has expired' });
  });

  it('names insufficient_scope and the scopes needed, with status 403', () => {
    const error = new InsufficientScopeError(['messages:read', 'profile']);
    expect(error.status).toBe(403);
    expect(error.errorParams()).toEqual({
      error: 'insufficient_scope',
      error_description: 'the access token lacks a required scope',
      scope: 'messages:read profile',
    });
  });

  it('a malformed header is a 400 invalid_request', () => {
    const error = new InvalidRequestError('malformed_header', { cause: 'no token' }, 'DPoP');
    expect([error.status, error.scheme, error.errorParams().error]).toEqual([400, 'DPoP', 'invalid_request']);
  });

  it('never puts anything from the token into the message', () => {
    const error = new InvalidTokenError('wrong_issuer', { iss: 'https://evil"\r\nSet-Cookie: x', kid: 'k"' });
    expect(error.message).toBe(REFUSAL_DESCRIPTIONS.wrong_issuer);
    expect(JSON.stringify(error.errorParams())).not.toMatch(/evil|Set-Cookie|k\\"/);
  });

  it('every description is a safe quoted-string value', () => {
    for (const text of Object.values(REFUSAL_DESCRIPTIONS)) expect(text).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/);
  });
});
