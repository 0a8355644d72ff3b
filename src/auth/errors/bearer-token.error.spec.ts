import { InsufficientScopeError, InvalidTokenError, MissingTokenError } from './bearer-token.error';
import { REFUSAL_DESCRIPTIONS } from './refusal-reason';

describe('BearerTokenError (RFC 6750 §3)', () => {
  it('challenges a request without credentials with the realm only', () => {
    const error = new MissingTokenError();
    expect(error.status).toBe(401);
    expect(error.wwwAuthenticate('api://default')).toBe('Bearer realm="api://default"');
  });

  it('names invalid_token and why', () => {
    const error = new InvalidTokenError('expired');
    expect(error.status).toBe(401);
    expect(error.description).toBe(REFUSAL_DESCRIPTIONS.expired);
    expect(error.wwwAuthenticate('api://default')).toBe(
      'Bearer realm="api://default", error="invalid_token", error_description="the access token has expired"',
    );
  });

  it('names insufficient_scope and the scopes needed, with status 403', () => {
    const error = new InsufficientScopeError(['messages:read', 'profile']);
    expect(error.status).toBe(403);
    expect(error.wwwAuthenticate('api://default')).toBe(
      'Bearer realm="api://default", error="insufficient_scope", error_description="the access token lacks a required scope", scope="messages:read profile"',
    );
  });

  it('escapes quotes and backslashes so a value cannot end its quoted-string', () => {
    expect(new MissingTokenError().wwwAuthenticate('a"b\\c')).toBe('Bearer realm="a\\"b\\\\c"');
    expect(new InsufficientScopeError(['x"y']).wwwAuthenticate('r')).toContain('scope="x\\"y"');
  });

  it('never puts anything from the token into the challenge or the message', () => {
    const error = new InvalidTokenError('wrong_issuer', { iss: 'https://evil"\r\nSet-Cookie: x', kid: 'k"' });
    expect(error.wwwAuthenticate('r')).not.toMatch(/evil|Set-Cookie|k"/);
    expect(error.message).toBe(REFUSAL_DESCRIPTIONS.wrong_issuer);
  });

  it('every description is a safe quoted-string value', () => {
    for (const text of Object.values(REFUSAL_DESCRIPTIONS)) expect(text).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/);
  });

  it('every description survives okta-auth-js WWWAuthError.parseHeader, which SPAs use to read challenges', () => {
    // Its quoted-value pattern admits only these characters; a ';' or '(' would cut the description short.
    const { WWWAuthError } = require('@okta/okta-auth-js') as { WWWAuthError: { parseHeader(h: string): { parameters: Record<string, string> } | null } };
    for (const reason of Object.keys(REFUSAL_DESCRIPTIONS) as (keyof typeof REFUSAL_DESCRIPTIONS)[]) {
      if (reason === 'missing_token' || reason === 'insufficient_scope') continue;
      const header = new InvalidTokenError(reason).wwwAuthenticate('api://default');
      expect(WWWAuthError.parseHeader(header)?.parameters.error_description).toBe(REFUSAL_DESCRIPTIONS[reason]);
    }
  });
});
