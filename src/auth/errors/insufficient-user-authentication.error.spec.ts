import { InsufficientUserAuthenticationError } from './insufficient-user-authentication.error';

describe('InsufficientUserAuthenticationError (RFC 9470 §3)', () => {
  const requirement = { acr: ['urn:okta:loa:2fa:any', 'phr'], maxAge: 300 };

  it('is a 401 naming only the acr values when acr failed', () => {
    const error = new InsufficientUserAuthenticationError(requirement, ['acr']);
    expect(error.status).toBe(401);
    expect(error.errorParams()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'a stronger user authentication is required',
      acr_values: 'urn:okta:loa:2fa:any phr',
    });
  });

  it('names only max_age when freshness failed, and both when both did', () => {
    expect(new InsufficientUserAuthenticationError(requirement, ['max_age']).errorParams()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'a more recent user authentication is required',
      max_age: '300',
    });
    const both = new InsufficientUserAuthenticationError(requirement, ['acr', 'max_age']);
    expect(both.errorParams()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'a stronger and more recent user authentication is required',
      acr_values: 'urn:okta:loa:2fa:any phr',
      max_age: '300',
    });
    expect(both.message).toBe(both.description);
  });

  it('puts what failed, not the token, into the log context', () => {
    const error = new InsufficientUserAuthenticationError(requirement, ['acr', 'max_age'], { sub: 'u', acr: 'x' });
    expect(error.reason).toBe('insufficient_user_authentication');
    expect(error.context).toEqual({ sub: 'u', acr: 'x', unmet: 'acr,max_age' });
  });

});
