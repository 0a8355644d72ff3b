import { AppConfig } from './app-config';
import { isOktaOrgAuthorizationServer } from './okta-domains';

/**
 * Settings that are valid but almost certainly not what was meant; main.ts logs each at warn when
 * the server starts. Returns one line per warning, naming the setting and what to use instead.
 */
export function configWarnings(config: AppConfig): string[] {
  const warnings: string[] = [];
  const { issuer, settings } = config.okta;
  if (isOktaOrgAuthorizationServer(issuer)) {
    // A warning, not a refusal: such tokens could be checked by introspection, which this server may gain.
    const origin = new URL(issuer).origin;
    warnings.push(
      `${settings?.issuer ?? 'OKTA_ISSUER'}: ${issuer} is the Okta org authorization server, whose access tokens are ` +
        `meant for Okta's own APIs and cannot be validated here, so every token will be refused; use a custom ` +
        `authorization server such as ${origin}/oauth2/default (and have the SPA use the same issuer)`,
    );
  }
  return warnings;
}
