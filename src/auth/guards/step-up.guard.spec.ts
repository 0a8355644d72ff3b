import { ExecutionContext } from '@nestjs/common';
import { loadAppConfig } from '../../config/load-app-config';
import { InvalidTokenError } from '../errors/bearer-token.error';
import { InsufficientUserAuthenticationError } from '../errors/insufficient-user-authentication.error';
import { RoutePolicies, RoutePolicy } from './route-policies';
import { StepUpGuard } from './step-up.guard';

/**
 * The guard reads whatever claims object the request carries, so claims taken from an introspection
 * answer (RFC 7662, with acr/auth_time per RFC 9470 §6.2) are judged exactly like a JWT's.
 */
describe('StepUpGuard on claims from any source', () => {
  const config = loadAppConfig({ OKTA_ISSUER: 'https://example.okta.com/oauth2/default' }, () => ({}));
  const policy: RoutePolicy = { isPublic: false, allScopes: [], anyScopeGroups: [], introspect: false, stepUp: { acr: ['urn:okta:loa:2fa:any'], maxAge: 300 } };
  const guard = new StepUpGuard({ of: () => policy } as unknown as RoutePolicies, config);
  const now = () => Math.floor(Date.now() / 1000);
  const run = (user: Record<string, unknown>) =>
    guard.canActivate({ switchToHttp: () => ({ getRequest: () => ({ user }) }) } as unknown as ExecutionContext);
  const introspected = (extra: Record<string, unknown>) => ({ active: true, sub: 'u', client_id: 'c', ...extra });

  it('lets a strong, recent sign-in through', () => {
    expect(run(introspected({ acr: 'urn:okta:loa:2fa:any', auth_time: now() - 10 }))).toBe(true);
  });

  it('refuses a weak or old one with the challenge', () => {
    const error = (() => {
      try {
        run(introspected({ acr: 'urn:okta:loa:1fa:pwd', auth_time: now() - 3600 }));
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(InsufficientUserAuthenticationError);
    expect((error as InsufficientUserAuthenticationError).unmet).toEqual(['acr', 'max_age']);
  });

  it('refuses an auth_time in the future, or not a number, as an invalid token', () => {
    expect(() => run(introspected({ acr: 'urn:okta:loa:2fa:any', auth_time: now() + 3600 }))).toThrow(
      new InvalidTokenError('authenticated_in_future'),
    );
    expect(() => run(introspected({ acr: 'urn:okta:loa:2fa:any', auth_time: '1700000000' }))).toThrow(InvalidTokenError);
  });

  it('asks nothing of a public route or one without a requirement', () => {
    const open = new StepUpGuard({ of: () => ({ ...policy, stepUp: undefined }) } as unknown as RoutePolicies, config);
    expect(open.canActivate({} as ExecutionContext)).toBe(true);
  });
});
