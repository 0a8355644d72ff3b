import { AppConfig } from '../../config/app-config';
import { DpopMode } from '../../config/dpop-config';
import type { AuthScheme } from '../credentials/credentials';
import { resourceMetadataUrl } from '../resource-metadata/metadata-locations';
import { BearerTokenError } from './bearer-token.error';

/**
 * The `WWW-Authenticate` value of a refusal (RFC 6750 §3, RFC 9449 §7.1, RFC 9728 §5.1). Every
 * challenge points to the resource metadata. Which schemes are challenged:
 * - a DPoP proof error, a request sent with the DPoP scheme, or OKTA_DPOP=required: `DPoP` alone;
 * - no credentials while both schemes are allowed: `Bearer` and `DPoP`, neither with an error;
 * - otherwise (a Bearer request, or OKTA_DPOP=off): `Bearer`.
 * Values come from configuration and fixed descriptions, never from the request.
 */
export class WwwAuthenticate {
  private readonly realm: string;
  private readonly mode: DpopMode;
  private readonly algs: string;
  private readonly resourceMetadata: string;

  constructor(config: AppConfig) {
    this.realm = config.okta.audiences[0];
    this.mode = config.dpop.mode;
    this.algs = config.dpop.algorithms.join(' ');
    this.resourceMetadata = resourceMetadataUrl(config.dpop.publicBaseUrls[0]);
  }

  of(error: BearerTokenError, requestScheme: AuthScheme | undefined): string {
    const errorParams = error.errorParams();
    const scheme = this.mode === 'off' ? 'Bearer' : this.mode === 'required' ? 'DPoP' : (error.scheme ?? requestScheme);
    if (scheme === 'DPoP') return this.dpop(errorParams);
    if (scheme === 'Bearer' || error.errorCode) return this.bearer(errorParams);
    return `${this.bearer({})}, ${this.dpop({})}`;
  }

  private bearer(errorParams: Record<string, string>): string {
    return formatChallenge('Bearer', { realm: this.realm, ...errorParams, resource_metadata: this.resourceMetadata });
  }

  private dpop(errorParams: Record<string, string>): string {
    return formatChallenge('DPoP', { algs: this.algs, ...errorParams, resource_metadata: this.resourceMetadata });
  }
}

/** One challenge: `Scheme k="v", k="v"`, each value a quoted-string (RFC 9110 §11.2). */
function formatChallenge(scheme: AuthScheme, params: Record<string, string>): string {
  return `${scheme} ` + Object.entries(params).map(([k, v]) => `${k}="${quote(v)}"`).join(', ');
}

/** RFC 9110 §5.6.4 quoted-string: escape the two characters that would end or break it. */
function quote(value: string): string {
  return value.replace(/[\\"]/g, (c) => `\\${c}`);
}
