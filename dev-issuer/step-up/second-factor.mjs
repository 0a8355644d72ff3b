import { escapeHtml } from '../provider-config.mjs';
import { ACR_PASSWORD, ACR_TWO_FACTOR, needsSecondFactor } from './authentication-levels.mjs';
import { ACR_VALUES_REASON } from './acr-values-check.mjs';
import { OneTimeCodes } from './one-time-code.mjs';

const now = () => Math.floor(Date.now() / 1000);

/**
 * The sign-in steps behind `acr`: a password gives `urn:okta:loa:1fa:pwd`; when the request asks for
 * `urn:okta:loa:2fa:any`, a one-time code follows and gives that. A user already signed in whose
 * session only lacks the level (not freshness, not identity) goes straight to the code, as Okta asks
 * only for the missing factor. `send(res, status, type, body)` writes a page.
 */
export function secondFactorStep({ provider, account, send }) {
  const codes = new OneTimeCodes();

  const showCode = (res, details, error) =>
    send(res, error ? 401 : 200, 'text/html', secondFactorPage({ uid: details.uid, code: codes.codeFor(details.uid), error }));

  /** Whether this interaction's password step is already done: in this interaction, or by the session. */
  const passwordDone = (details) =>
    details.result?.login?.accountId === account.accountId ||
    (details.session?.accountId === account.accountId &&
      details.prompt.name === 'login' &&
      details.prompt.reasons.every((reason) => reason === ACR_VALUES_REASON));

  return {
    /** On showing the login prompt: true when the code page was shown instead of the password page. */
    showInsteadOfPassword(res, details) {
      if (!needsSecondFactor(details.params.acr_values) || !passwordDone(details)) return false;
      showCode(res, details);
      return true;
    },

    /** After a correct password: the login result to finish with, or undefined when the code page was shown. */
    async afterPassword(req, res, details) {
      const login = { accountId: account.accountId, acr: ACR_PASSWORD, amr: ['pwd'], ts: now() };
      if (!needsSecondFactor(details.params.acr_values)) return login;
      // Kept on the interaction (not finished): the code step reads it back.
      await provider.interactionResult(req, res, { login }, { mergeWithLastSubmission: false });
      showCode(res, details);
      return undefined;
    },

    /** POST .../otp with `code`. */
    async submitCode(req, res, details, form) {
      if (!passwordDone(details)) return send(res, 400, 'text/plain', 'sign in with your password first; go back to the app and sign in again');
      if (!codes.check(details.uid, form.get('code'))) return showCode(res, details, 'Wrong code.');
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account.accountId, acr: ACR_TWO_FACTOR, amr: ['pwd', 'otp'], ts: now() } },
        { mergeWithLastSubmission: false },
      );
    },
  };
}

/** The second step's page. The code is on the page because this is a dev issuer; Okta would send it to an authenticator. */
function secondFactorPage({ uid, code, error }) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Second step - local dev issuer</title>
  <style>
    body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; }
    main { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
    h1 { font-size: 1.3rem; margin-top: 0; }
    label { display: block; margin-top: 1rem; font-size: .9rem; }
    input { width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; font-size: 1rem; letter-spacing: .2em; }
    button { margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem; background: #1662dd; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
    .code { font-family: ui-monospace, monospace; font-size: 1.4rem; background: #eef3fc; padding: .4rem .8rem; border-radius: 4px; }
    .error { background: #fde8e8; color: #9b1c1c; padding: .6rem; border-radius: 4px; margin-top: 1rem; }
    .note { color: #666; font-size: .8rem; margin-top: 1.5rem; }
  </style>
</head>
<body>
  <main>
    <h1>Second step: one-time code</h1>
    <p>This action needs a second factor (<code>${ACR_TWO_FACTOR}</code>).</p>
    <p>Your one-time code: <span class="code" id="one-time-code">${escapeHtml(code)}</span></p>
    ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
    <form method="post" action="/interaction/${escapeHtml(uid)}/otp">
      <label>One-time code <input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required autofocus></label>
      <button type="submit">Verify</button>
    </form>
    <p class="note">Local development issuer: the code is shown here instead of being sent to an authenticator. Not for production.</p>
  </main>
</body>
</html>`;
}
