import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RequireAuthentication } from '../decorators/require-authentication.decorator';
import { readAuthenticationRequirement } from './read-authentication-requirement';

@RequireAuthentication({ acr: ['urn:okta:loa:2fa:any', 'phr'], maxAge: 600 })
@Controller('a')
class Guarded {
  @Get() plain(): void {}
  @RequireAuthentication({ acr: ['phrh', 'phr'], maxAge: 60 })
  @Get('narrow')
  narrow(): void {}
}

@Controller('b')
class Open {
  @Get() plain(): void {}
}

describe('readAuthenticationRequirement', () => {
  const reflector = new Reflector();
  const none = { requiredAcr: [] };

  it('reads nothing where nothing is asked', () => {
    expect(readAuthenticationRequirement(reflector, Open.prototype.plain, Open, none)).toBeUndefined();
  });

  it('applies the settings to every route', () => {
    expect(readAuthenticationRequirement(reflector, Open.prototype.plain, Open, { requiredAcr: ['phr'], maxAuthAgeSeconds: 30 })).toEqual({
      acr: ['phr'],
      maxAge: 30,
    });
  });

  it('combines settings, controller and handler', () => {
    expect(readAuthenticationRequirement(reflector, Guarded.prototype.plain, Guarded, none)).toEqual({
      acr: ['urn:okta:loa:2fa:any', 'phr'],
      maxAge: 600,
    });
    expect(readAuthenticationRequirement(reflector, Guarded.prototype.narrow, Guarded, none)).toEqual({ acr: ['phr'], maxAge: 60 });
    expect(
      readAuthenticationRequirement(reflector, Guarded.prototype.narrow, Guarded, { requiredAcr: ['urn:okta:loa:2fa:any'], maxAuthAgeSeconds: 10 }),
    ).toEqual({ acr: [], maxAge: 10 });
  });
});
