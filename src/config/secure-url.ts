import { isIP } from 'node:net';

/**
 * An absolute https URL, or plain http on loopback only: anywhere else an on-path attacker could
 * swap the issuer's metadata or signing keys.
 */
export function isSecureHttpUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopback(url.hostname);
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || (isIP(hostname) === 4 && hostname.startsWith('127.'));
}
