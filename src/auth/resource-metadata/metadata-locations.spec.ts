import { metadataLocations, resourceMetadataUrl } from './metadata-locations';

describe('metadata locations (RFC 9728 §3.1)', () => {
  it('inserts the well-known suffix between the origin and the path', () => {
    expect(resourceMetadataUrl('https://api.example.com')).toBe('https://api.example.com/.well-known/oauth-protected-resource');
    expect(resourceMetadataUrl('https://example.com/backend')).toBe('https://example.com/.well-known/oauth-protected-resource/backend');
    expect(resourceMetadataUrl('http://localhost:8000/a/b')).toBe('http://localhost:8000/.well-known/oauth-protected-resource/a/b');
  });

  it('maps the path of each base URL metadata URL to that base URL, the first of a path winning', () => {
    const locations = metadataLocations(['https://api.example.com/orders', 'https://example.net', 'https://api2.example.com/orders', 'https://example.org']);
    expect([...locations]).toEqual([
      ['/.well-known/oauth-protected-resource/orders', 'https://api.example.com/orders'],
      ['/.well-known/oauth-protected-resource', 'https://example.net'],
    ]);
  });
});
