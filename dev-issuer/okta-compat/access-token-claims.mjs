/**
 * Shapes JWT access tokens like Okta's (`ver`, `cid`, `uid`, `scp` array, `sub` = the user's login),
 * so anything written against Okta's tokens (this project's resource server, Okta's verifiers)
 * reads them unchanged. oidc-provider's own shape follows RFC 9068 (`client_id`, `scope` string).
 */
export function oktaAccessTokenCustomizer(account) {
  return async (_ctx, token, jwt) => {
    const { payload } = jwt;
    payload.ver = 1;
    payload.cid = token.clientId;
    payload.scp = token.scope ? token.scope.split(' ') : [];
    if (token.accountId === account.accountId) {
      payload.uid = account.accountId;
      payload.sub = account.login;
    }
    delete payload.client_id;
    delete payload.scope;
  };
}
