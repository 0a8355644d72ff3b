/* global OktaAuth */
'use strict';

// Used the way Okta's okta-hosted-login samples use it: redirect + PKCE, /login/callback, token manager in localStorage.
const { issuer, clientId, messagesUrl, sensitiveUrl, dpop } = window.demoConfig;
const OktaAuthClass = OktaAuth.OktaAuth ?? OktaAuth;
// okta-auth-js's own WWW-Authenticate parser (it reads the challenges of Okta's APIs the same way).
const { WWWAuthError } = OktaAuth;
/** Set in sessionStorage while the browser is away signing in again for the sensitive action. */
const PENDING_STEP_UP = 'demo-pending-step-up';
const oktaAuth = new OktaAuthClass({
  issuer,
  clientId,
  redirectUri: `${window.location.origin}/login/callback`,
  postLogoutRedirectUri: `${window.location.origin}/`,
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  pkce: true,
  // DEV_DPOP=true: tokens bound to a key kept in this browser (RFC 9449); see api-fetch.js.
  dpop,
  restoreOriginalUri: async (_auth, originalUri) => {
    window.location.replace(new URL(originalUri || '/', window.location.origin).pathname);
  },
});

const $ = (id) => document.getElementById(id);

async function main() {
  $('sign-in').addEventListener('click', () => oktaAuth.signInWithRedirect({ originalUri: '/' }));
  $('sign-out').addEventListener('click', signOut);
  $('sensitive-action').addEventListener('click', () => sensitiveAction());

  if (window.location.pathname === '/login/callback') {
    // Exchanges the code (PKCE), stores the tokens, then goes back to the page that asked for sign-in.
    await oktaAuth.handleLoginRedirect();
    return;
  }
  // The service renews tokens before they expire and syncs sign-in state across tabs.
  await oktaAuth.start();

  if (!(await oktaAuth.isAuthenticated())) {
    show('sign-in');
    $('status').textContent = 'You are signed out. Sign in to see your messages.';
    return;
  }
  show('sign-out');
  $('binding').textContent = window.describeTokenBinding(oktaAuth);
  show('binding');
  show('sensitive');
  await Promise.all([showUser(), showMessages()]);
  // Back from the stronger sign-in the sensitive action asked for: retry it, once.
  if (sessionStorage.getItem(PENDING_STEP_UP)) {
    sessionStorage.removeItem(PENDING_STEP_UP);
    await sensitiveAction({ afterStepUp: true });
  }
}

/**
 * Calls a route that needs step-up authentication (RFC 9470). A token whose sign-in is too weak or
 * too old gets 401 with `WWW-Authenticate: Bearer error="insufficient_user_authentication",
 * acr_values="...", max_age="..."`: the app signs in again asking for exactly that, then retries.
 */
async function sensitiveAction({ afterStepUp = false } = {}) {
  $('sensitive-status').textContent = afterStepUp ? 'Signed in again; retrying…' : 'Calling the sensitive route…';
  try {
    const response = await window.callApi(oktaAuth, sensitiveUrl);
    if (response.ok) {
      const { messages } = await response.json();
      const acr = oktaAuth.tokenManager.getTokensSync().idToken?.claims.acr;
      $('sensitive-result').textContent = `${messages[0].text} (signed in with ${acr ?? 'an unknown acr'})`;
      show('sensitive-result');
      $('sensitive-status').textContent = '';
      return;
    }
    const challenge = WWWAuthError.parseHeader(response.headers.get('WWW-Authenticate') ?? '');
    if (response.status === 401 && challenge?.error === 'insufficient_user_authentication' && !afterStepUp) {
      return await stepUp(challenge.parameters);
    }
    throw new Error(await describeFailure(response));
  } catch (err) {
    const reason = err instanceof TypeError ? `cannot reach ${sensitiveUrl}` : err.message;
    $('sensitive-status').textContent = '';
    showError(`Sensitive action failed: ${reason}`);
  }
}

/**
 * Signs in again with what the challenge asks for. okta-auth-js checks that the new ID token's `acr`
 * equals `acrValues` as a whole string, so it is given one value: the server's first (preferred).
 * `maxAge` (seconds) makes the issuer ask for credentials again if the last sign-in is older.
 */
async function stepUp({ acr_values: acrValues, max_age: maxAge }) {
  $('sensitive-status').textContent = 'This needs a stronger or more recent sign-in; redirecting…';
  sessionStorage.setItem(PENDING_STEP_UP, '1');
  await oktaAuth.signInWithRedirect({
    originalUri: '/',
    ...(acrValues && { acrValues: acrValues.split(' ')[0] }),
    ...(maxAge !== undefined && { maxAge: Number(maxAge) }),
  });
}

async function signOut() {
  // Without clearTokensBeforeRedirect, signOut() only flags tokens for removal and a page that
  // never restarts the SDK's service would come back still "signed in".
  try {
    await oktaAuth.signOut({ clearTokensBeforeRedirect: true });
  } catch (err) {
    // Never leave the page looking signed in: drop the tokens locally even if the issuer did not answer.
    oktaAuth.tokenManager.clear();
    showError(`Sign-out did not reach the issuer (${err.message}); your tokens were removed from this browser.`);
  }
}

async function showUser() {
  let name;
  try {
    const user = await oktaAuth.getUser();
    name = `${user.name} (${user.email})`;
  } catch {
    const claims = oktaAuth.tokenManager.getTokensSync().idToken?.claims;
    name = claims?.email ?? claims?.sub ?? 'unknown user';
  }
  $('user').textContent = `Signed in as ${name}`;
  show('user');
}

async function showMessages() {
  $('status').textContent = 'Loading messages…';
  try {
    const response = await window.callApi(oktaAuth, messagesUrl);
    if (!response.ok) throw new Error(await describeFailure(response));
    const { messages } = await response.json();
    renderMessages(messages);
    $('status').textContent = '';
  } catch (err) {
    const reason = err instanceof TypeError ? `cannot reach ${messagesUrl} (is the resource server running?)` : err.message;
    showError(`Could not load messages: ${reason}`);
    $('status').textContent = '';
  }
}

async function describeFailure(response) {
  const challenge = response.headers.get('WWW-Authenticate');
  const description = challenge && /error_description="([^"]*)"/.exec(challenge)?.[1];
  if (description) return `${response.status} ${description}`;
  const body = await response.json().catch(() => undefined);
  return `${response.status} ${body?.message ?? response.statusText}`;
}

function renderMessages(messages) {
  const rows = messages.map(({ date, text }) => {
    const row = document.createElement('tr');
    for (const value of [new Date(date).toLocaleString(), text]) {
      const cell = document.createElement('td');
      cell.textContent = value;
      row.append(cell);
    }
    return row;
  });
  $('messages').querySelector('tbody').replaceChildren(...rows);
  show('messages');
}

function showError(message) {
  $('error').textContent = message;
  show('error');
}

function show(id) {
  $(id).hidden = false;
}

main().catch((err) => showError(`Sign-in failed: ${err.message}`));
