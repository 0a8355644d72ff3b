import { combineRequirements } from './authentication-requirement';

describe('combineRequirements (every level must hold)', () => {
  it('is undefined when no level asks anything', () => {
    expect(combineRequirements([undefined, {}, undefined])).toBeUndefined();
  });

  it('intersects acr lists, in the order of the most specific one', () => {
    expect(combineRequirements([{ acr: ['a', 'b', 'c'] }, { acr: ['c', 'b'] }])).toEqual({ acr: ['c', 'b'] });
    expect(combineRequirements([{ acr: ['a', 'b'] }, undefined, { acr: ['b', 'x'] }])).toEqual({ acr: ['b'] });
  });

  it('leaves an empty list when the levels share no value (no token can meet it)', () => {
    expect(combineRequirements([{ acr: ['a'] }, { acr: ['b'] }])).toEqual({ acr: [] });
  });

  it('keeps the smallest maxAge, 0 included', () => {
    expect(combineRequirements([{ maxAge: 600 }, { maxAge: 60 }, { maxAge: 300 }])).toEqual({ maxAge: 60 });
    expect(combineRequirements([{ maxAge: 600 }, { maxAge: 0 }])).toEqual({ maxAge: 0 });
  });

  it('combines parts from different levels', () => {
    expect(combineRequirements([{ acr: ['a'] }, { maxAge: 30 }])).toEqual({ acr: ['a'], maxAge: 30 });
  });

  it('returns a frozen requirement', () => {
    const combined = combineRequirements([{ acr: ['a'] }])!;
    expect(Object.isFrozen(combined)).toBe(true);
    expect(Object.isFrozen(combined.acr)).toBe(true);
  });
});
