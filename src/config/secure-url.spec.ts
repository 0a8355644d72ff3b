import { isSecureHttpUrl } from './secure-url';

describe('isSecureHttpUrl', () => {
  it.each(['https://example.okta.com/oauth2/default', 'http://localhost:8080/x', 'http://127.0.0.1:1/x', 'http://[::1]/x'])(
    'accepts %s',
    (url) => expect(isSecureHttpUrl(url)).toBe(true),
  );
  it.each([
    'http://example.okta.com/oauth2/default',
    'http://localhost.example.com/x',
    'http://10.0.0.1/x',
    'ftp://127.0.0.1/x',
    'file:///etc/passwd',
    'not a url',
    '',
  ])('refuses %s', (url) => expect(isSecureHttpUrl(url)).toBe(false));
});
