import { runIssuerExpectingExit } from './support/dev-issuer-process';

describe('dev issuer start-up', () => {
  it('refuses to start with NODE_ENV=production, in one line', async () => {
    const { code, stderr } = await runIssuerExpectingExit({ NODE_ENV: 'production', DEV_ISSUER_PORT: '0' });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('dev issuer refuses to start with NODE_ENV=production: it is for local development only');
  });

  it('names a bad DEV_ISSUER_PORT and exits', async () => {
    const { code, stderr } = await runIssuerExpectingExit({ NODE_ENV: 'development', DEV_ISSUER_PORT: 'abc' });
    expect(code).toBe(1);
    expect(stderr).toContain('DEV_ISSUER_PORT must be an integer');
  });
});
