import { IntrospectionConfig } from './introspection-config';
import { OperationsConfig } from './operations-config';
import { DpopConfig } from './dpop-config';
import { StoreConfig } from './store-config';
import { StepUpConfig } from './step-up-config';

/** The validated settings, resolved once at start and injected wherever they are needed. */
export interface AppConfig extends OperationsConfig {
  readonly okta: OktaConfig;
  readonly jwks: JwksConfig;
  readonly tokenCache: TokenCacheConfig;
  readonly http: HttpConfig;
  readonly store: StoreConfig;
  readonly dpop: DpopConfig;
  readonly outboundProxy: OutboundProxyConfig;
  readonly stepUp: StepUpConfig;
  readonly introspection: IntrospectionConfig;
}

export interface OktaConfig {
  /** Compared byte for byte with the token's `iss` (RFC 7519 §4.1.1); never normalised. */
  readonly issuer: string;
  /** When set, the token's `cid` (Okta) or `client_id` (RFC 9068) must equal it. */
  readonly clientId?: string;
  readonly audiences: readonly string[];
  /** Explicit JWKS location; otherwise discovered from the issuer's metadata. */
  readonly jwksUri?: string;
  /** Scopes every protected route requires, on top of any `@Scopes()` on the route. */
  readonly requiredScopes: readonly string[];
  readonly clockToleranceSeconds: number;
  readonly algorithms: readonly JwsAlgorithm[];
  /**
   * Where the issuer and client id were set (`OKTA_ISSUER`, or `web.issuer in ./client_secrets.json`),
   * so a message about them names the place to fix.
   */
  readonly settings?: { readonly issuer: string; readonly clientId: string };
}

export interface JwksConfig {
  /** One deadline for discovery plus the JWKS download; a request never waits longer on keys. */
  readonly timeoutMs: number;
  /** Least time between two fetches caused by an unknown `kid`: bounds what a flood costs the issuer. */
  readonly cooldownMs: number;
  /** Age after which cached keys are refreshed in the background, without any request waiting. */
  readonly refreshIntervalMs: number;
  /** How long cached keys keep serving while the issuer cannot be reached (stale-if-error). */
  readonly maxStaleMs: number;
}

/** HTTPS_PROXY / HTTP_PROXY / NO_PROXY for requests to the issuer; unset members mean no proxy. */
export interface OutboundProxyConfig {
  readonly httpsProxy?: string;
  readonly httpProxy?: string;
  /** Comma or space separated hosts (`host`, `.domain`, `host:port`, `*`) reached directly. */
  readonly noProxy?: string;
}

export interface TokenCacheConfig {
  /** Most verified tokens held; 0 turns the cache off. */
  readonly maxEntries: number;
  /** Longest a verified token is trusted without verifying its signature again. */
  readonly maxAgeMs: number;
  /** Most estimated bytes the cached claims take (an upper estimate of their heap, per entry). */
  readonly maxBytes: number;
}

export interface HttpConfig {
  readonly host: string;
  readonly port: number;
  readonly corsOrigins: readonly string[];
}

/** Asymmetric algorithms only: HMAC and `none` can never be configured (RFC 8725 §3.1, §3.2). */
export const SUPPORTED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
] as const;
export type JwsAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];
