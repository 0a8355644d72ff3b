/**
 * Confidential clients a resource server introspects tokens with, as an Okta "Web" application does
 * in Okta's Flask resource-server sample (`web.client_id` + `web.client_secret`). The first uses
 * client_secret_basic (Okta's default for a web app), the second client_secret_post (what Okta's Flask
 * sample, through flask-oidc, sends). The SPA, a public client, may introspect its own tokens too.
 */
export function introspectionClients(settings) {
  const common = {
    client_secret: settings.apiClientSecret,
    application_type: 'web',
    grant_types: [],
    response_types: [],
    redirect_uris: [],
  };
  return [
    { ...common, client_id: settings.apiClientId, client_name: 'Resource server (client_secret_basic)', token_endpoint_auth_method: 'client_secret_basic' },
    { ...common, client_id: `${settings.apiClientId}-post`, client_name: 'Resource server (client_secret_post)', token_endpoint_auth_method: 'client_secret_post' },
  ];
}

/** A token's own client may introspect it (Okta: any client of the app; here the SPA), and so may the resource-server clients. */
export function mayIntrospect(settings, client, tokenClientId) {
  return client.clientId === tokenClientId || introspectionClients(settings).some((c) => c.client_id === client.clientId);
}
