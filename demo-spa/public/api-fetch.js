'use strict';

/**
 * Calls the resource server the way Okta's samples do: `Authorization: Bearer <access token>`, or,
 * when the SDK runs with `dpop: true`, with okta-auth-js's getDPoPAuthorizationHeaders (the token
 * with the DPoP scheme plus a fresh proof for this URL and method), retrying once with the server's
 * nonce when it answers `use_dpop_nonce` (parseUseDPoPNonceError), as okta-auth-js's README shows.
 */
window.callApi = async function callApi(oktaAuth, url, method = 'GET') {
  if (!oktaAuth.options.dpop) {
    return fetch(url, { method, headers: { Authorization: `Bearer ${oktaAuth.getAccessToken()}` } });
  }
  const send = async (nonce) =>
    fetch(url, { method, headers: await oktaAuth.getDPoPAuthorizationHeaders({ url, method, ...(nonce ? { nonce } : {}) }) });
  const response = await send();
  if (response.ok) return response;
  const nonce = oktaAuth.parseUseDPoPNonceError(response.headers);
  return nonce ? send(nonce) : response;
};

/** What the page says about the access token: bound to this browser's DPoP key (`cnf.jkt`), or a bearer token. */
window.describeTokenBinding = function describeTokenBinding(oktaAuth) {
  const accessToken = oktaAuth.tokenManager.getTokensSync().accessToken;
  if (!accessToken) return '';
  const jkt = oktaAuth.token.decode(accessToken.accessToken).payload.cnf?.jkt;
  return jkt
    ? `Access token: DPoP-bound (token_type ${accessToken.tokenType}, cnf.jkt ${jkt})`
    : `Access token: bearer (token_type ${accessToken.tokenType}, not DPoP-bound)`;
};
