import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AuthDecisionEvents } from './auth-decision-events';
import { VerifiedTokenCache } from './cache/verified-token-cache';
import { DpopNonces } from './dpop/dpop-nonces';
import { DpopProofVerifier } from './dpop/dpop-proof.verifier';
import { JtiReplay } from './dpop/jti-replay';
import { ProofKeys } from './dpop/proof-keys';
import { RequestUri } from './dpop/request-uri';
import { BearerTokenErrorFilter } from './errors/bearer-token-error.filter';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { IntrospectionCache } from './introspection/introspection-cache';
import { IntrospectionEndpointResolver } from './introspection/introspection-endpoint-resolver';
import { TokenIntrospector } from './introspection/token-introspector';
import { RouteCatalog } from './guards/route-catalog';
import { RoutePolicies } from './guards/route-policies';
import { ScopesGuard } from './guards/scopes.guard';
import { IssuerHttpClient } from './keys/issuer-http-client';
import { StepUpGuard } from './guards/step-up.guard';
import { JwksUriResolver } from './keys/jwks-uri-resolver';
import { SigningKeyStore } from './keys/signing-key-store';
import { ProtectedResourceMetadataController } from './resource-metadata/protected-resource-metadata.controller';
import { OktaJwtStrategy } from './strategies/okta-jwt.strategy';
import { StepUpRoutes } from './step-up/step-up-routes';

/**
 * Access-token authentication for every route, with the Bearer or the DPoP scheme (RFC 9449; the
 * replay store is the global SharedStore). Guards run in the order registered: first the token
 * (401), then its scopes (403), then the user's sign-in, for routes that require step-up (401,
 * RFC 9470). Also serves the RFC 9728 protected-resource metadata.
 */
@Module({
  imports: [PassportModule.register({ session: false }), DiscoveryModule],
  controllers: [ProtectedResourceMetadataController],
  providers: [
    AuthDecisionEvents,
    IssuerHttpClient,
    JwksUriResolver,
    SigningKeyStore,
    VerifiedTokenCache,
    OktaJwtStrategy,
    IntrospectionEndpointResolver,
    IntrospectionCache,
    TokenIntrospector,
    RoutePolicies,
    RouteCatalog,
    ProofKeys,
    RequestUri,
    DpopNonces,
    DpopProofVerifier,
    JtiReplay,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: ScopesGuard },
    { provide: APP_GUARD, useClass: StepUpGuard },
    StepUpRoutes,
    { provide: APP_FILTER, useClass: BearerTokenErrorFilter },
  ],
  exports: [SigningKeyStore, VerifiedTokenCache, AuthDecisionEvents, StepUpRoutes, TokenIntrospector],
})
export class AuthModule {}
