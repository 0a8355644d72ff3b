import { ConfigError } from './config.error';
import { loadStepUpConfig } from './step-up-config';

describe('loadStepUpConfig', () => {
  it('requires nothing when unset or blank', () => {
    expect(loadStepUpConfig({})).toEqual({ requiredAcr: [], maxAuthAgeSeconds: undefined });
    expect(loadStepUpConfig({ OKTA_REQUIRED_ACR: ' ', OKTA_MAX_AUTH_AGE: '' })).toEqual({ requiredAcr: [], maxAuthAgeSeconds: undefined });
  });

  it('reads a space- or comma-separated acr list in order, without duplicates', () => {
    expect(loadStepUpConfig({ OKTA_REQUIRED_ACR: 'urn:okta:loa:2fa:any, phr phrh,phr' }).requiredAcr).toEqual([
      'urn:okta:loa:2fa:any',
      'phr',
      'phrh',
    ]);
  });

  it('reads OKTA_MAX_AUTH_AGE in seconds, 0 included', () => {
    expect(loadStepUpConfig({ OKTA_MAX_AUTH_AGE: '300' }).maxAuthAgeSeconds).toBe(300);
    expect(loadStepUpConfig({ OKTA_MAX_AUTH_AGE: '0' }).maxAuthAgeSeconds).toBe(0);
  });

  it.each([
    [{ OKTA_MAX_AUTH_AGE: '5m' }, 'OKTA_MAX_AUTH_AGE'],
    [{ OKTA_MAX_AUTH_AGE: '1e3' }, 'OKTA_MAX_AUTH_AGE'],
    [{ OKTA_MAX_AUTH_AGE: '-1' }, 'OKTA_MAX_AUTH_AGE'],
    [{ OKTA_MAX_AUTH_AGE: '99999999999' }, 'OKTA_MAX_AUTH_AGE'],
    [{ OKTA_REQUIRED_ACR: 'a"b' }, 'OKTA_REQUIRED_ACR'],
    [{ OKTA_REQUIRED_ACR: 'a\\b' }, 'OKTA_REQUIRED_ACR'],
  ])('refuses %j naming %s', (env, setting) => {
    expect(() => loadStepUpConfig(env)).toThrow(ConfigError);
    expect(() => loadStepUpConfig(env)).toThrow(new RegExp(`^${setting}: `));
  });
});
