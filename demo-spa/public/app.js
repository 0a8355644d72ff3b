/* global OktaAuth */
'use strict';

// Used the way Okta's okta-hosted-login samples use it: redirect + PKCE, /login/callback, token manager in localStorage.
const { issuer, clientId, messagesUrl, dpop } = window.demoConfig;
const OktaAuthClass = OktaAuth.OktaAuth ?? OktaAuth;
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
  await Promise.all([showUser(), showMessages()]);
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
