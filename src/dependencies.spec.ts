import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * CVE-2025-65945: passport-jwt still asks for older jsonwebtoken/jws, so package.json pins them
 * through `overrides`. This keeps a lock update from silently bringing the vulnerable ones back.
 */
const MINIMUM: Record<string, [number, number, number]> = { jsonwebtoken: [9, 0, 3], jws: [4, 0, 1] };

const atLeast = (version: string, min: [number, number, number]) => {
  const parts = version.split(/[.-]/).slice(0, 3).map(Number);
  for (let i = 0; i < 3; i++) if (parts[i] !== min[i]) return parts[i] > min[i];
  return true;
};

describe('dependency floor (CVE-2025-65945)', () => {
  const root = join(__dirname, '..');
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };

  it.each(Object.keys(MINIMUM))('every %s in package-lock.json is new enough', (name) => {
    const copies = Object.entries(lock.packages).filter(([path]) => path.endsWith(`node_modules/${name}`));
    expect(copies.length).toBeGreaterThan(0);
    for (const [path, { version }] of copies) expect({ path, ok: atLeast(version ?? '0', MINIMUM[name]) }).toEqual({ path, ok: true });
  });

  it.each(Object.keys(MINIMUM))('passport-jwt loads a new enough %s', (name) => {
    const fromPassportJwt = dirname(require.resolve('passport-jwt/package.json'));
    const jsonwebtoken = dirname(require.resolve('jsonwebtoken/package.json', { paths: [fromPassportJwt] }));
    const dir = name === 'jsonwebtoken' ? jsonwebtoken : dirname(require.resolve(`${name}/package.json`, { paths: [jsonwebtoken] }));
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
    expect(atLeast(version, MINIMUM[name])).toBe(true);
  });
});
