import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');

/** What a newcomer copies from the README must agree with the code it describes. */
describe('README: what a newcomer needs before the first command', () => {
  it('states the requirements in one line, with every Node version package.json accepts', () => {
    const engines = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')).engines.node as string;
    const line = readme.split('\n').find((l) => l.startsWith('Requirements:'));
    expect(line).toBeDefined();
    // Each range's lowest version, e.g. 20.19 from "^20.19 || ^22.12 || >=24".
    for (const version of engines.match(/\d+(\.\d+)*/g) ?? []) expect(line).toContain(`${version}+`);
    expect(line).toMatch(/Chromium/);
  });

  it('has a copy-paste start:dev line whose issuer and client id are the dev issuer defaults', () => {
    const settings = readFileSync(resolve(ROOT, 'dev-issuer/settings.mjs'), 'utf8');
    const port = /DEV_ISSUER_PORT: '(\d+)'/.exec(settings)?.[1];
    const clientId = /DEV_CLIENT_ID: '([^']+)'/.exec(settings)?.[1];
    expect(readme).toContain(`OKTA_ISSUER=http://localhost:${port}/oauth2/default OKTA_CLIENT_ID=${clientId} npm run start:dev`);
  });

  it('says where $ACCESS_TOKEN comes from, and names /api/docs-json', () => {
    const curl = readme.indexOf('Bearer $ACCESS_TOKEN');
    expect(readme.slice(Math.max(0, curl - 600), curl)).toMatch(/`\$ACCESS_TOKEN` is an access token/);
    expect(readme).toContain('GET /api/docs-json');
  });
});
