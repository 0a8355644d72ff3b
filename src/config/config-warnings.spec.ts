import { configWarnings } from './config-warnings';
import { loadAppConfig } from './load-app-config';

const warningsFor = (issuer: string, file?: string) =>
  configWarnings(loadAppConfig(file ? {} : { OKTA_ISSUER: issuer }, () => (file ? { issuer, file } : {})));

describe('configWarnings', () => {
  it.each(['https://dev-123456.okta.com', 'https://dev-123456.okta.com/', 'https://acme.oktapreview.com'])(
    'warns that %s is the org authorization server and names the issuer to use',
    (issuer) => {
      const [warning, ...others] = warningsFor(issuer);
      expect(others).toEqual([]);
      expect(warning).toMatch(/^OKTA_ISSUER: .* is the Okta org authorization server/);
      expect(warning).toContain(`${new URL(issuer).origin}/oauth2/default`);
      expect(warning).not.toMatch(/\n/);
    },
  );

  it('names client_secrets.json when the issuer came from there', () => {
    expect(warningsFor('https://dev-123456.okta.com', './client_secrets.json')[0]).toMatch(
      /^web\.issuer in \.\/client_secrets\.json: /,
    );
  });

  it.each([
    'https://dev-123456.okta.com/oauth2/default',
    'https://dev-123456.okta.com/oauth2/aus1abc',
    'https://login.example.com', // a custom domain cannot be told apart: no guess
    'http://localhost:9000/oauth2/default',
  ])('says nothing about %s', (issuer) => {
    expect(warningsFor(issuer)).toEqual([]);
  });
});
