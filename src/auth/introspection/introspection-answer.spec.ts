import { INACTIVE, InvalidAnswerError, parseIntrospectionAnswer } from './introspection-answer';

describe('parseIntrospectionAnswer (RFC 7662 §2.2)', () => {
  it("keeps an active answer's members, frozen", () => {
    const answer = parseIntrospectionAnswer({ active: true, scope: 'a b', exp: 2, aud: ['x'], cnf: { jkt: 'k' }, uid: '00u' });
    expect(answer).toEqual({ active: true, scope: 'a b', exp: 2, aud: ['x'], cnf: { jkt: 'k' }, uid: '00u' });
    expect(Object.isFrozen(answer)).toBe(true);
    expect(Object.isFrozen(answer.aud)).toBe(true);
  });

  it('reduces an inactive answer to active: false, whatever else it says', () => {
    expect(parseIntrospectionAnswer({ active: false, scope: 'admin', exp: 'x' })).toBe(INACTIVE);
  });

  it.each([
    ['not an object', []],
    ['null', null],
    ['active missing', { scope: 'a' }],
    ['active as a string', { active: 'true' }],
    ['scope as an array', { active: true, scope: ['a'] }],
    ['exp as a string', { active: true, exp: '1' }],
    ['exp infinite (from 1e999)', { active: true, exp: Infinity }],
    ['aud with a number', { active: true, aud: ['a', 1] }],
    ['cnf as a string', { active: true, cnf: 'k' }],
  ])('refuses %s', (_name, body) => {
    expect(() => parseIntrospectionAnswer(body)).toThrow(InvalidAnswerError);
  });
});
