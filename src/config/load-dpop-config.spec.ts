import { loadDpopConfig } from './load-dpop-config';

describe('loadDpopConfig', () => {
  it('defaults: both schemes, ES256 RS256 PS256, 60 s, loopback base URLs for the port, no nonces', () => {
    expect(loadDpopConfig({}, 8000)).toEqual({
      mode: 'allowed',
      algorithms: ['ES256', 'RS256', 'PS256'],
      proofMaxAgeSeconds: 60,
      publicBaseUrls: ['http://localhost:8000', 'http://127.0.0.1:8000'],
      publicBaseUrlConfigured: false,
      nonce: { required: false, secret: undefined },
    });
  });

  it('reads every setting', () => {
    const config = loadDpopConfig(
      {
        OKTA_DPOP: 'Required',
        OKTA_DPOP_ALGORITHMS: 'ES256,ES384',
        OKTA_DPOP_PROOF_MAX_AGE: '30',
        PUBLIC_BASE_URL: 'https://API.example.com:443/, https://example.com/backend/',
        OKTA_DPOP_NONCE: 'true',
        OKTA_DPOP_NONCE_SECRET: 's'.repeat(32),
      },
      8000,
    );
    expect(config).toEqual({
      mode: 'required',
      algorithms: ['ES256', 'ES384'],
      proofMaxAgeSeconds: 30,
      publicBaseUrls: ['https://api.example.com', 'https://example.com/backend'],
      publicBaseUrlConfigured: true,
      nonce: { required: true, secret: 's'.repeat(32) },
    });
  });

  it.each([
    ['OKTA_DPOP', 'sometimes'],
    ['OKTA_DPOP_ALGORITHMS', 'HS256'],
    ['OKTA_DPOP_ALGORITHMS', 'none'],
    ['OKTA_DPOP_PROOF_MAX_AGE', '0'],
    ['PUBLIC_BASE_URL', 'api.example.com'],
    ['PUBLIC_BASE_URL', 'http://api.example.com'],
    ['PUBLIC_BASE_URL', 'https://api.example.com/?x=1'],
    ['OKTA_DPOP_NONCE', 'yes'],
    ['OKTA_DPOP_NONCE_SECRET', 'short'],
  ])('names %s when it is wrong (%s)', (setting, value) => {
    expect(() => loadDpopConfig({ [setting]: value }, 8000)).toThrow(new RegExp(`^${setting}: `));
  });
});
