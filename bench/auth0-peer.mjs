// The peer the issue compares against: express 5 + Auth0's express-oauth2-jwt-bearer, configured
// the way its README does for an OpenID issuer (discovery from issuerBaseURL, JWKS via jose).
// Same routes and bodies as ours so that only the framework and the token check differ.
import express from 'express';
import { auth } from 'express-oauth2-jwt-bearer';

const app = express();
app.disable('x-powered-by');
app.get('/api/health', (req, res) => res.json({ status: 'ok' }));
app.use(
  '/api',
  auth({
    issuerBaseURL: process.env.OKTA_ISSUER,
    audience: process.env.OKTA_AUDIENCE ?? 'api://default',
    // DPoP as its README shows (on by default in 1.x; Bearer keeps working). It leaves jti replay detection
    // to the application, so this peer does none: its DPoP cost below is without a replay store.
    dpop: { enabled: true, iatOffset: Number(process.env.DPOP_IAT_OFFSET ?? 300) },
  }),
);
app.get('/api/messages', (req, res) => {
  const now = Date.now();
  res.json({
    messages: [
      { date: new Date(now).toISOString(), text: 'I am a robot.' },
      { date: new Date(now - 3_600_000).toISOString(), text: 'Hello, world!' },
    ],
  });
});
// The middleware's errors carry their status (401 for a bad token); anything else would be a 500.
app.use((err, req, res, next) => res.status(err.status ?? 500).set(err.headers ?? {}).end());

const port = Number(process.env.PORT ?? 8001);
app.listen(port, process.env.HOST ?? '127.0.0.1', () => console.log(`auth0 peer listening on ${port}`));
