import { Reflector } from '@nestjs/core';
import { AUTHENTICATION_REQUIREMENT_KEY, RequireAuthentication } from './require-authentication.decorator';

describe('@RequireAuthentication', () => {
  it('stores a frozen requirement without duplicate acr values', () => {
    class Target {
      @RequireAuthentication({ acr: ['phr', 'phr', 'urn:okta:loa:2fa:any'], maxAge: 300 })
      handler(): void {}
    }
    const stored = new Reflector().get(AUTHENTICATION_REQUIREMENT_KEY, Target.prototype.handler);
    expect(stored).toEqual({ acr: ['phr', 'urn:okta:loa:2fa:any'], maxAge: 300 });
    expect(Object.isFrozen(stored)).toBe(true);
  });

  it.each([
    [{}, /give acr, maxAge or both/],
    [{ acr: [] }, /non-empty array/],
    [{ acr: ['two words'] }, /is not an acr value/],
    [{ acr: ['a"b'] }, /is not an acr value/],
    [{ acr: [''] }, /is not an acr value/],
    [{ maxAge: -1 }, /maxAge must be an integer/],
    [{ maxAge: 1.5 }, /maxAge must be an integer/],
    [{ maxAge: 10 * 365 * 24 * 3600 }, /maxAge must be an integer/],
  ])('refuses %j when the class is defined', (options, message) => {
    expect(() => RequireAuthentication(options)).toThrow(message);
  });
});
