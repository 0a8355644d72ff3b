/** Slots never go below this: a tiny cache still deserves a filter that remembers a few tokens. */
const MIN_SLOTS = 64;

/**
 * Lets a token into the verified-token cache on its second verification, not its first: the
 * "doorkeeper" of TinyLFU (Einziger, Friedman & Manes, 2017).
 *
 * An SPA sends the same token for as long as it lives, so it is admitted on its second request and
 * costs one extra verification. A token seen once (a flood of distinct tokens, a scanner, a batch
 * job) is never admitted: it cannot evict the entries of active clients, and it costs no cache entry
 * whose claims would be allocated, kept for a while and then collected. In scratch A/B runs of the
 * bench's distinct-token load, admitting every token cost ~7 µs of CPU per request over no cache;
 * with the doorkeeper the cache costs no measurable CPU there.
 *
 * One fingerprint per slot in a fixed typed array, so its memory never grows. Two ids sharing a slot
 * displace each other: a token is admitted only if it comes back before the slot is reused, so
 * under a heavy flood a client not cached yet may wait several requests for its entry (entries
 * already cached are not touched). A fingerprint collision admits a token one request early.
 * Neither affects what is accepted, only what is cached.
 */
export class Doorkeeper {
  private readonly fingerprints: Int32Array;
  private readonly mask: number;

  constructor(slots: number) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(slots, MIN_SLOTS)));
    this.fingerprints = new Int32Array(size);
    this.mask = size - 1;
  }

  /**
   * Records `key` and tells whether it was recorded before (and not displaced since). The last
   * characters of `key` must be uniformly distributed (see `mix`): a base64 digest, or a token,
   * whose signature ends it.
   */
  seenBefore(key: string): boolean {
    if (this.has(key)) return true;
    this.record(key);
    return false;
  }

  /** Whether `key` was recorded and not displaced since (a fingerprint collision says yes wrongly). */
  has(key: string): boolean {
    return this.fingerprints[mix(key, 1) & this.mask] === fingerprintOf(key);
  }

  record(key: string): void {
    this.fingerprints[mix(key, 1) & this.mask] = fingerprintOf(key);
  }
}

/** Never 0, which is what an empty slot holds. */
const fingerprintOf = (key: string) => mix(key, 6) | 1;

/**
 * FNV-1a over five characters of `key`, ending `fromEnd` characters before its last: 30 bits of a
 * base64 string, spread over 32. Read from the end, since that is where a token's signature is; the
 * very last character is left out, as it carries only a few bits (or is a digest's `=` padding).
 */
function mix(key: string, fromEnd: number): number {
  let h = 0x811c9dc5;
  const end = key.length - fromEnd;
  for (let i = end - 5; i < end; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h;
}
