import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BEARER_SCHEME } from '../docs/api-docs';
import { Message, MessagesService } from './messages.service';

/**
 * What Okta's React, Angular and Vue samples call with the signed-in user's access token. Its 401
 * and 403 answers are documented for every token-protected route at once (src/docs/api-docs.ts).
 */
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
  list(): { messages: Message[] } {
    return { messages: this.messages.list() };
  }
}
