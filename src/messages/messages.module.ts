import { Module } from '@nestjs/common';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { SensitiveMessagesController } from './sensitive-messages.controller';

@Module({
  controllers: [MessagesController, SensitiveMessagesController],
  providers: [MessagesService],
})
export class MessagesModule {}
