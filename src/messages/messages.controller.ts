import { Controller, Get } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { BEARER_SCHEME } from '../docs/api-docs';
import { Message, MessagesService } from './messages.service';

const REFUSAL_BODY = {
  type: 'object',
  properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
};

/** What Okta's React, Angular and Vue samples call with the signed-in user's access token. */
@ApiTags('messages')
@ApiBearerAuth(BEARER_SCHEME)
@Controller('messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  @ApiOperation({ summary: 'The messages shown by the Okta SPA samples' })
  @ApiOkResponse({
    description: 'Two messages, newest first; dates are ISO 8601 strings',
    schema: {
      type: 'object',
      properties: {
        messages: {
          type: 'array',
          items: {
            type: 'object',
            properties: { date: { type: 'string', format: 'date-time' }, text: { type: 'string' } },
          },
        },
      },
    },
  })
  @ApiBadRequestResponse({
    description:
      'The Authorization header is not one "Bearer <token>" (a second word, a tab, no token, a character outside ' +
      'b64token, or the header sent twice). WWW-Authenticate: Bearer realm="...", error="invalid_request", error_description="<why>"',
    schema: REFUSAL_BODY,
  })
  @ApiUnauthorizedResponse({
    description:
      'No access token, or an invalid one (expired, wrong issuer or audience, bad signature...). ' +
      'WWW-Authenticate: Bearer realm="...", error="invalid_token", error_description="<why>"',
    schema: REFUSAL_BODY,
  })
  @ApiForbiddenResponse({
    description: 'A valid token that lacks a required scope. WWW-Authenticate: ... error="insufficient_scope", scope="<needed>"',
    schema: REFUSAL_BODY,
  })
  list(): { messages: Message[] } {
    return { messages: this.messages.list() };
  }
}
