/**
 * The dimensions of `npm run bench:growth` (issue 13's "how cost grows" table): what each point
 * changes in the tokens and in the server's settings.
 */

/** The scope a route requires in the scopes dimension (OKTA_REQUIRED_SCOPES); last in every token's `scp`. */
export const REQUIRED_SCOPE = 'messages:read';

export function dimensions({ cacheSizes }) {
  return [
    {
      id: 'jwks',
      title: 'JWKS size (the token is signed by the last key published)',
      unit: 'key',
      points: [1, 10, 100].map((keys) => ({ x: keys, label: `${keys} key${keys > 1 ? 's' : ''}`, keys })),
    },
    {
      id: 'size',
      title: 'token size (a padded claim)',
      unit: 'KB',
      points: [1, 4, 8].map((kb) => ({ x: kb, label: `${kb} KB token`, tokenBytes: kb * 1024 })),
    },
    {
      id: 'scopes',
      title: `scopes in the token, OKTA_REQUIRED_SCOPES=${REQUIRED_SCOPE} (granted last)`,
      unit: 'scope',
      points: [1, 20, 200].map((scopes) => ({ x: scopes, label: `${scopes} scope${scopes > 1 ? 's' : ''}`, scopes })),
    },
    {
      id: 'cache',
      title: 'verified-token cache entries (every request a hit)',
      unit: 'entry',
      points: cacheSizes.map((entries) => ({ x: entries, label: `${entries.toLocaleString('en')} entries`, entries })),
    },
  ];
}

/** `n` scopes, the required one last: a check that scans the list pays for all of it. */
export function scopeList(n) {
  return [...Array.from({ length: n - 1 }, (_, k) => `scope:${String(k).padStart(3, '0')}`), REQUIRED_SCOPE];
}

/**
 * The characters of a `pad` claim that bring a token of `baseLength` characters (signed with an empty
 * pad) to about `targetBytes`: the payload is base64url, 4 characters for every 3 bytes.
 */
export function padFor(baseLength, targetBytes) {
  return Math.max(0, Math.floor(((targetBytes - baseLength) * 3) / 4));
}
