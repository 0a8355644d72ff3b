// Prints the dev issuer's whole token response (access, refresh and ID token) as JSON, for e2e tests
// that need more than the access token `npm run token` prints. Settings come from the environment.
import { signInHeadless } from '../../dev-issuer/headless-sign-in.mjs';
import { issuerUrl, loadDevIssuerSettings } from '../../dev-issuer/settings.mjs';

const settings = loadDevIssuerSettings();
const tokens = await signInHeadless({
  issuer: issuerUrl(settings.port),
  clientId: settings.clientId,
  redirectUri: `${settings.spaOrigin}/login/callback`,
  username: settings.username,
  password: settings.password,
});
process.stdout.write(`${JSON.stringify(tokens)}\n`);
