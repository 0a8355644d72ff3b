import { Controller, Get } from '@nestjs/common';
import { Message, MessagesService } from './messages.service';

/** What Okta's React, Angular and Vue samples call with the signed-in user's access token. */
@Controller('messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  list(): { messages: Message[] } {
    return { messages: this.messages.list() };
  }
}
