/**
 * Okta's /v1/logout with `id_token_hint` and a registered `post_logout_redirect_uri` ends the session
 * and redirects at once; oidc-provider asks "Do you want to sign-out?" first, a page Okta's SDK and
 * samples never expect. The form it hands over is submitted straight away with `logout=yes`, the
 * same auto-submit oidc-provider itself uses when no session is left to confirm.
 */
export async function submitLogoutAtOnce(ctx, form) {
  const confirmed = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
  ctx.type = 'html';
  ctx.body = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Signing out</title></head>
<body>${confirmed}<script>document.forms[0].submit()</script>
<noscript><button type="submit" form="op.logoutForm">Sign out</button></noscript></body></html>`;
}
