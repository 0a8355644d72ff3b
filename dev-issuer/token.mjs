import { loadDevIssuerSettings, issuerUrl } from './settings.mjs';
import { signInHeadless } from './headless-sign-in.mjs';

// Prints only the access token, so `curl -H "Authorization: Bearer $(npm run -s token)" ...` works.
try {
  const settings = loadDevIssuerSettings();
  const tokens = await signInHeadless({
    issuer: issuerUrl(settings.port),
    clientId: settings.clientId,
    redirectUri: `${settings.spaOrigin}/login/callback`,
    username: settings.username,
    password: settings.password,
  });
  process.stdout.write(`${tokens.access_token}\n`);
} catch (err) {
  const reason = err.cause?.code === 'ECONNREFUSED' ? 'the dev issuer is not running (start it with `npm run issuer`)' : err.message;
  console.error(`could not get a token: ${reason}`);
  process.exit(1);
}
