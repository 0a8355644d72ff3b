import { Injectable } from '@nestjs/common';

export interface Message {
  /** ISO 8601: the Okta SPA samples render it with `new Date(date)`. */
  date: string;
  text: string;
}

const HOUR_MS = 60 * 60 * 1000;

@Injectable()
export class MessagesService {
  /** The two messages Okta's resource-server samples return, newest first. */
  list(now = new Date()): Message[] {
    return [
      { date: now.toISOString(), text: 'I am a robot.' },
      { date: new Date(now.getTime() - HOUR_MS).toISOString(), text: 'Hello, world!' },
    ];
  }
}
