/** Share of each token kind in the soak's traffic, in percent. */
const WEIGHTS = {
  valid: 30,
  'valid-repeated': 15,
  expiring: 5,
  'retired-key': 5,
  expired: 8,
  'wrong-audience': 5,
  'forged-known-kid': 8,
  'forged-random-kid': 6,
  garbage: 15,
  'no-token': 3,
};
const KINDS = Object.entries(WEIGHTS).flatMap(([kind, weight]) => Array(weight).fill(kind));
const rand = (n) => Math.floor(Math.random() * n);
const any = (list) => list[rand(list.length)];

/**
 * Picks the next request's token and what the server must answer, given only what the server can
 * be expected to know at that moment: a key is `admit`ted once the server has shown it accepts it,
 * and a removed key's tokens may still pass until the server has shown it refuses them.
 */
export class TokenMix {
  live = [];
  retired = new Map();
  expiring = [];
  expiresAtS = Infinity;
  #cursors = new Map();

  /** `keys`: kid -> { distinct, repeated } valid tokens; `bad`: kind -> tokens always refused. */
  constructor(keys, bad) {
    this.keys = keys;
    this.bad = bad;
  }

  admit(kid) {
    this.live.push(kid);
  }

  /** 'removing': gone from the JWKS, the server may not know yet; 'gone': it must refuse them now. */
  retire(kid, state) {
    if (this.live.includes(kid)) this.live.splice(this.live.indexOf(kid), 1);
    this.retired.set(kid, state);
  }

  next(now) {
    let kind = any(KINDS);
    if (kind === 'retired-key' && this.retired.size === 0) kind = 'valid';
    switch (kind) {
      case 'valid': {
        const kid = any(this.live);
        const i = this.#cursors.get(kid) ?? 0;
        this.#cursors.set(kid, i + 1);
        const pool = this.keys[kid].distinct;
        return { kind, token: pool[i % pool.length], expected: 200 };
      }
      case 'valid-repeated':
        return { kind, token: any(this.keys[any(this.live)].repeated), expected: 200 };
      case 'expiring': {
        const expMs = this.expiresAtS * 1000;
        // Within a second of exp either answer is right: the server's clock reads whole seconds.
        const expected = now < expMs - 1000 ? 200 : now > expMs + 1000 ? 401 : 'either';
        return { kind, token: any(this.expiring), expected };
      }
      case 'retired-key': {
        const [kid, state] = any([...this.retired]);
        // Repeated tokens are the ones a verified-token cache holds: they must be refused too.
        const token = Math.random() < 0.5 ? any(this.keys[kid].repeated) : any(this.keys[kid].distinct);
        return { kind, token, expected: state === 'gone' ? 401 : 'either' };
      }
      case 'no-token':
        return { kind, token: undefined, expected: 401 };
      default:
        return { kind, token: any(this.bad[kind]), expected: 401 };
    }
  }
}
