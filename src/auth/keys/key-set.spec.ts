import { generateKeyPairSync } from 'node:crypto';
import { SigningKey } from './signing-key-store';
import { chooseKey, keySet } from './key-set';

const rsaKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
const ecKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;

describe('chooseKey', () => {
  const a: SigningKey = { key: rsaKey(), kid: 'a' };
  const sharedRsa: SigningKey = { key: rsaKey(), kid: 'shared', alg: 'RS256' };
  const sharedEc: SigningKey = { key: ecKey(), kid: 'shared', alg: 'ES256' };
  const empty: SigningKey = { key: rsaKey(), kid: '' };
  const none1: SigningKey = { key: rsaKey() };
  const none2: SigningKey = { key: rsaKey() };

  it.each<[string, SigningKey[], string | undefined, string, SigningKey | string]>([
    ['the key named by kid', [a, sharedRsa], 'a', 'RS256', a],
    ['an unknown kid', [a], 'b', 'RS256', 'unknown_kid'],
    ['the entry of a shared kid that fits the alg (RS256)', [sharedRsa, sharedEc], 'shared', 'RS256', sharedRsa],
    ['the entry of a shared kid that fits the alg (ES256)', [sharedRsa, sharedEc], 'shared', 'ES256', sharedEc],
    ['a named key that fits no entry', [sharedEc], 'shared', 'RS256', 'key_mismatch'],
    ['"" as a kid of its own', [empty, none1], '', 'RS256', empty],
    ['a kid-less token and a single key', [none1], undefined, 'RS256', none1],
    ['a kid-less token and a single key that does not fit', [sharedEc], undefined, 'RS256', 'key_mismatch'],
    ['a kid-less token and several keys, even if one fits', [none1, sharedEc], undefined, 'RS256', 'ambiguous_kid'],
    ['a kid-less token and two fitting keys', [none1, none2], undefined, 'RS256', 'ambiguous_kid'],
    ['a kid-less token and keys with kids that fit', [a, empty], undefined, 'RS256', 'ambiguous_kid'],
    ['a kid-less token and no key', [], undefined, 'RS256', 'unknown_kid'],
    ['a kid that two fitting entries share', [{ ...a }, { key: rsaKey(), kid: 'a' }], 'a', 'RS256', 'ambiguous_kid'],
  ])('%s', (_, keys, kid, alg, expected) => {
    expect(chooseKey(keySet(keys, 0), kid, alg)).toBe(typeof expected === 'string' ? expected : expected);
  });
});
