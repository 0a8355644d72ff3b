import { hash, randomUUID } from 'node:crypto';
import { Doorkeeper } from './doorkeeper';

const idOf = (token: string) => hash('sha256', token, 'base64');

describe('Doorkeeper', () => {
  it('answers "not seen" the first time and "seen" the second', () => {
    const doorkeeper = new Doorkeeper(100);
    const id = idOf('token-a');
    expect(doorkeeper.seenBefore(id)).toBe(false);
    expect(doorkeeper.seenBefore(id)).toBe(true);
    expect(doorkeeper.seenBefore(id)).toBe(true);
  });

  it('tells distinct ids apart', () => {
    const doorkeeper = new Doorkeeper(10_000);
    const ids = Array.from({ length: 1_000 }, () => idOf(randomUUID()));
    const firstSightings = ids.map((id) => doorkeeper.seenBefore(id));
    expect(firstSightings.filter(Boolean)).toHaveLength(0);
  });

  it('forgets an id displaced by another in its slot', () => {
    const doorkeeper = new Doorkeeper(64);
    const first = idOf('token-first');
    doorkeeper.seenBefore(first);
    // 64 slots: 2,000 other ids all but certainly land in the first one's slot at least once.
    for (let i = 0; i < 2_000; i++) doorkeeper.seenBefore(idOf(`other-${i}`));
    expect(doorkeeper.seenBefore(first)).toBe(false);
  });

  it('remembers most of a working set that fits its slots', () => {
    const doorkeeper = new Doorkeeper(4_096);
    const ids = Array.from({ length: 256 }, (_, i) => idOf(`client-${i}`));
    ids.forEach((id) => doorkeeper.seenBefore(id));
    const remembered = ids.filter((id) => doorkeeper.seenBefore(id)).length;
    // 256 ids in 4,096 slots: each collides with another with probability ~6%.
    expect(remembered).toBeGreaterThan(256 * 0.85);
  });
});
