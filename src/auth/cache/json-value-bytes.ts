/**
 * What V8 spends on a string, number, boolean or null beyond a string's characters: a heap object
 * header (or a boxed number) and the slot of the object or array that holds it. Measured on Node 20
 * and 24 (64-bit, no pointer compression): 24-40 bytes.
 */
const VALUE_BYTES = 48;
/**
 * What an object or array costs beyond its members: its header, a properties or elements store, and
 * for an object with many properties the dictionary entry of each. An empty `{}` from JSON.parse
 * holds ~64 bytes, an empty `[]` ~36.
 */
const CONTAINER_BYTES = 96;

/**
 * An upper estimate, in bytes, of the heap a JSON value (as JSON.parse builds it, e.g. a token's
 * claims) occupies: strings at two bytes a character (UTF-16, V8's worst case), every key, value,
 * object and array with its overhead. Conservative by design: a cache bounded by it holds no more
 * than its bound, whatever shape the claims take (a 12 KB string, 200 scopes, 300 small claims).
 * O(size of the value); meant to be computed once per cache entry, never per request.
 */
export function jsonValueBytes(value: unknown): number {
  if (typeof value === 'string') return VALUE_BYTES + 2 * value.length;
  if (typeof value !== 'object' || value === null) return VALUE_BYTES;
  let bytes = CONTAINER_BYTES;
  if (Array.isArray(value)) {
    for (const item of value) bytes += jsonValueBytes(item);
    return bytes;
  }
  for (const key of Object.keys(value)) bytes += jsonValueBytes(key) + jsonValueBytes((value as Record<string, unknown>)[key]);
  return bytes;
}
