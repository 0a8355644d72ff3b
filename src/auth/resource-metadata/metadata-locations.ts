/** RFC 9728 §3: the well-known URI suffix of protected resource metadata. */
export const PROTECTED_RESOURCE_METADATA_PATH = '.well-known/oauth-protected-resource';

/**
 * RFC 9728 §3.1: the metadata URL of a resource identifier, the well-known suffix inserted between
 * its origin and its path (`https://example.com/backend` ->
 * `https://example.com/.well-known/oauth-protected-resource/backend`).
 * @param resource an absolute URL without query or fragment (a normalised PUBLIC_BASE_URL).
 */
export function resourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  return `${url.origin}/${PROTECTED_RESOURCE_METADATA_PATH}${url.pathname === '/' ? '' : url.pathname}`;
}

/**
 * Where this server serves metadata: for each configured public base URL, the path of its metadata
 * URL (what a proxy forwards unchanged), mapped to that base URL, which RFC 9728 §3.3 requires as the
 * document's `resource`. Base URLs that differ only in origin share a path; the first listed keeps it,
 * since a path alone cannot tell them apart (this server never trusts `Host` for it).
 * @returns request path (e.g. `/.well-known/oauth-protected-resource/orders`) -> resource identifier.
 */
export function metadataLocations(publicBaseUrls: readonly string[]): ReadonlyMap<string, string> {
  const locations = new Map<string, string>();
  for (const resource of publicBaseUrls) {
    const path = new URL(resourceMetadataUrl(resource)).pathname;
    if (!locations.has(path)) locations.set(path, resource);
  }
  return locations;
}
