import { loginPage } from './login-page.mjs';
import { secondFactorStep } from '../step-up/second-factor.mjs';

const MAX_FORM_BYTES = 4096;

/**
 * The login and consent steps oidc-provider hands to the host application. Consent is granted without
 * a page: the SPA is a first-party app, and Okta's default authorization server asks no consent for it.
 * Returns false when the request is not an interaction route.
 */
export function interactionRoutes(provider, account) {
  const secondFactor = secondFactorStep({ provider, account, send });
  return async (req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/login|\/otp)?$/.exec(new URL(req.url, 'http://localhost').pathname);
    if (!match) return false;
    const [, uid, step] = match;
    const login = step === '/login';
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.uid !== uid) throw new Error('interaction mismatch');
      if (login && req.method === 'POST') await submitLogin(provider, account, req, res, details, secondFactor);
      else if (step === '/otp' && req.method === 'POST') await secondFactor.submitCode(req, res, details, new URLSearchParams(await readBody(req)));
      else if (!step && req.method === 'GET') await showPrompt(provider, req, res, details, secondFactor);
      else send(res, 405, 'text/plain', 'method not allowed');
    } catch (err) {
      // An expired or unknown interaction (e.g. a stale tab or a replayed form): start over from the app.
      send(res, 400, 'text/plain', `sign-in session not found or expired; go back to the app and sign in again (${err.message})`);
    }
    return true;
  };
}

async function showPrompt(provider, req, res, details, secondFactor) {
  if (details.prompt.name === 'login') {
    if (secondFactor.showInsteadOfPassword(res, details)) return;
    return send(res, 200, 'text/html', loginPage({ uid: details.uid, clientName: await clientName(provider, details) }));
  }
  const grantId = await grantRequested(provider, details);
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function submitLogin(provider, account, req, res, details, secondFactor) {
  const form = new URLSearchParams(await readBody(req));
  const username = form.get('username') ?? '';
  if (!account.checkPassword(username, form.get('password') ?? '')) {
    const page = loginPage({ uid: details.uid, clientName: await clientName(provider, details), username, error: 'Wrong username or password.' });
    return send(res, 401, 'text/html', page);
  }
  // acr/amr/auth_time as Okta sets them; undefined when a second step follows.
  const result = await secondFactor.afterPassword(req, res, details);
  if (result) await provider.interactionFinished(req, res, { login: result }, { mergeWithLastSubmission: false });
}

async function grantRequested(provider, { grantId, params, session, prompt: { details } }) {
  const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

async function clientName(provider, details) {
  const client = await provider.Client.find(details.params.client_id);
  return client?.clientName ?? details.params.client_id;
}

async function readBody(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_FORM_BYTES) throw new Error('form too large');
  }
  return body;
}

function send(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' });
  res.end(body);
}
