import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireAuthentication } from '../auth/decorators/require-authentication.decorator';
import { BEARER_SCHEME } from '../docs/api-docs';
import { Message } from './messages.service';

/** Okta's acr for a sign-in with two factors (any kind), which the demo SPA steps up to. */
export const TWO_FACTOR_ACR = 'urn:okta:loa:2fa:any';
/** Five minutes: long enough for a few sensitive calls after the second factor, short enough to matter. */
export const SENSITIVE_MAX_AGE_SECONDS = 300;

/**
 * A sensitive action for the demo: it needs a two-factor sign-in from the last five minutes. A
 * password-only token is refused with 401 insufficient_user_authentication (RFC 9470), and the SPA
 * signs in again with what the challenge asks for.
 */
@ApiTags('messages')
@ApiBearerAuth(BEARER_SCHEME)
@Controller('messages')
export class SensitiveMessagesController {
  @Get('sensitive')
  @RequireAuthentication({ acr: [TWO_FACTOR_ACR], maxAge: SENSITIVE_MAX_AGE_SECONDS })
  @ApiOperation({ summary: 'A message only a recent two-factor sign-in may read' })
  @ApiOkResponse({ description: 'One message; its date is an ISO 8601 string' })
  sensitive(): { messages: Message[] } {
    return {
      messages: [{ date: new Date().toISOString(), text: 'You signed in with a second factor in the last 5 minutes.' }],
    };
  }
}
