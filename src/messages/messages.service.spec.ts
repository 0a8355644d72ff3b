import { MessagesService } from './messages.service';

describe('MessagesService', () => {
  it('returns the two sample messages, ISO dates one hour apart, newest first', () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    expect(new MessagesService().list(now)).toEqual([
      { date: '2026-01-02T03:04:05.678Z', text: 'I am a robot.' },
      { date: '2026-01-02T02:04:05.678Z', text: 'Hello, world!' },
    ]);
  });
});
