import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config.error';
import { readClientSecrets } from './client-secrets';
import { InvalidConfigError } from './config-problems';

describe('readClientSecrets', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const refusal = (path: string | undefined): ConfigError => {
    try {
      readClientSecrets(path);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).setting).toBe('OKTA_CLIENT_SECRETS');
      return err as ConfigError;
    }
    throw new Error('expected a ConfigError');
  };
  const fieldRefusals = (path: string): readonly ConfigError[] => {
    try {
      readClientSecrets(path);
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidConfigError);
      return (err as InvalidConfigError).problems;
    }
    throw new Error('expected an InvalidConfigError');
  };

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'secrets-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads web.issuer and web.client_id', () => {
    const path = file('ok.json', JSON.stringify({ web: { issuer: 'https://x.okta.com/oauth2/default', client_id: '0oa1' } }));
    expect(readClientSecrets(path)).toEqual({ issuer: 'https://x.okta.com/oauth2/default', clientId: '0oa1', file: path });
  });

  it('treats a missing default file as empty: the environment may give every value', () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(readClientSecrets(undefined)).toEqual({});
      expect(readClientSecrets('')).toEqual({});
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses an explicitly named file that cannot be read', () => {
    expect(refusal(join(dir, 'absent.json')).message).toMatch(/cannot read .*absent\.json \(ENOENT\)/);
  });

  it('refuses a file that is not JSON', () => {
    expect(refusal(file('bad.json', '{ "web": ')).message).toMatch(/not valid JSON/);
  });

  it('refuses a file without a web object', () => {
    expect(refusal(file('noweb.json', '{ "installed": {} }')).message).toMatch(/no "web" object/);
    expect(refusal(file('null.json', 'null')).message).toMatch(/no "web" object/);
  });

  it('refuses non-string values, naming each field and the file', () => {
    const path = file('num.json', '{ "web": { "issuer": ["x"], "client_id": 42 } }');
    expect(fieldRefusals(path).map((p) => p.message)).toEqual([
      `web.issuer in ${path}: must be a string`,
      `web.client_id in ${path}: must be a string`,
    ]);
  });

  it('refuses a default file that exists but is malformed', () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      writeFileSync(join(dir, 'client_secrets.json'), 'not json');
      expect(refusal(undefined).message).toMatch(/not valid JSON/);
    } finally {
      rmSync(join(dir, 'client_secrets.json'), { force: true });
      process.chdir(cwd);
    }
  });
});
