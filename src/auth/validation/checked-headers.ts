import { LRUCache } from 'lru-cache';
import { checkTokenHeader, readTokenHeader, TokenHeader } from './token-header';

/**
 * Distinct headers kept. An issuer signs with one or two keys at a time, so its tokens carry one or
 * two distinct headers; the bound only matters against clients sending made-up ones, which can
 * churn the cache (costing them a parse each) but never change what it answers.
 */
const MAX_HEADERS = 64;

/**
 * The protected header of a token, read (readTokenHeader) and checked against the allowed
 * algorithms (checkTokenHeader), once per distinct encoded header rather than once per token:
 * every token an issuer signs with one key starts with the same bytes. Only headers that passed
 * both are kept, keyed by their exact encoded form, so an answer from the cache is the answer a
 * fresh read would give. Throws InvalidTokenError, as readTokenHeader and checkTokenHeader do.
 */
export class CheckedHeaders {
  private readonly headers = new LRUCache<string, Readonly<TokenHeader>>({ max: MAX_HEADERS });

  constructor(private readonly algorithms: ReadonlySet<string>) {}

  of(token: string): Readonly<TokenHeader> {
    const encoded = token.slice(0, token.indexOf('.'));
    const known = this.headers.get(encoded);
    if (known) return known;
    const header = readTokenHeader(token);
    checkTokenHeader(header, this.algorithms);
    Object.freeze(header);
    // Keyed only once the whole header is known to be good, and never longer than a header may be.
    if (encoded.length > 0) this.headers.set(encoded, header);
    return header;
  }
}
