import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AccessTokenClaims } from '../access-token-claims';

/** The verified access-token claims, or one claim: `@Claims() claims`, `@Claims('sub') sub`. */
export const Claims = createParamDecorator((claim: keyof AccessTokenClaims | undefined, ctx: ExecutionContext) => {
  const claims = ctx.switchToHttp().getRequest<{ user?: AccessTokenClaims }>().user;
  return claim ? claims?.[claim] : claims;
});
