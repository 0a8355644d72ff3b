/**
 * Okta's own domains (not custom domains, which cannot be recognised): `{org}.okta.com` and its
 * preview, EMEA and government cells.
 */
const OKTA_HOST = /^([a-z0-9-]+)\.(okta\.com|oktapreview\.com|okta-emea\.com|okta-gov\.com)$/i;

/**
 * The org's own domain when `hostname` is an Okta Admin Console domain (`{org}-admin.okta.com`),
 * else undefined. The Admin Console issues no tokens; okta-auth-js refuses it as an issuer too.
 */
export function oktaAdminConsoleHost(hostname: string): string | undefined {
  const match = OKTA_HOST.exec(hostname);
  return match && match[1].endsWith('-admin') ? `${match[1].slice(0, -'-admin'.length)}.${match[2]}` : undefined;
}

/**
 * True for the Okta org authorization server (`https://{org}.okta.com`, no `/oauth2/{id}`): its
 * access tokens are for Okta's own APIs, signed with keys a resource server is not meant to use.
 */
export function isOktaOrgAuthorizationServer(issuer: string): boolean {
  if (!URL.canParse(issuer)) return false;
  const url = new URL(issuer);
  return OKTA_HOST.test(url.hostname) && (url.pathname === '/' || url.pathname === '');
}
