import { escapeHtml } from '../provider-config.mjs';

/** The dev issuer's sign-in page, deliberately plain; it names itself so nobody mistakes it for Okta. */
export function loginPage({ uid, clientName, username = '', error }) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sign in - local dev issuer</title>
  <style>
    body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; }
    main { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
    h1 { font-size: 1.3rem; margin-top: 0; }
    label { display: block; margin-top: 1rem; font-size: .9rem; }
    input { width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; font-size: 1rem; }
    button { margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem; background: #1662dd; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
    .error { background: #fde8e8; color: #9b1c1c; padding: .6rem; border-radius: 4px; margin-top: 1rem; }
    .note { color: #666; font-size: .8rem; margin-top: 1.5rem; }
  </style>
</head>
<body>
  <main>
    <h1>Sign in to ${escapeHtml(clientName)}</h1>
    ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
    <form method="post" action="/interaction/${escapeHtml(uid)}/login" >
      <label>Username <input name="username" value="${escapeHtml(username)}" autocomplete="username" required autofocus></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
      <button type="submit">Sign in</button>
    </form>
    <p class="note">Local development issuer (oidc-provider) impersonating Okta. Not for production.</p>
  </main>
</body>
</html>`;
}
