import { SetMetadata } from '@nestjs/common';

export const REQUIRE_ACTIVE_TOKEN_KEY = 'auth:requireActiveToken';

/**
 * Validates the route's tokens by introspection (RFC 7662) even when OKTA_TOKEN_VALIDATION=jwt: the
 * issuer is asked whether the token is still active, so a revoked token stops working within
 * OKTA_INTROSPECTION_CACHE_TTL instead of at its `exp`. On a handler or a controller.
 */
export const RequireActiveToken = () => SetMetadata(REQUIRE_ACTIVE_TOKEN_KEY, true);
