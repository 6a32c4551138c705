import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStateStore } from '@hmi/flow';
import { createGateway } from '@hmi/gateway';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../scripts/build-app.mjs';
import { CONSOLE_CSP, createConsoleHandler } from '../src/index.js';

let assets: string;
beforeAll(async () => {
  // The default location too: console: true serves dist/app.
  assets = await buildApp();
}, 60_000);

const origin = 'http://gw.test';

describe('createGateway({ console: true })', () => {
  const gateway = () => createGateway({ store: createMemoryStateStore(), auth: {}, console: true });

  it('redirects /console to /console/ and serves the page with a strict CSP', async () => {
    const gw = gateway();
    const redirect = await gw(new Request(`${origin}/console`));
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('console/');
    const page = await gw(new Request(`${origin}/console/`));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("default-src 'none'");
    expect(CONSOLE_CSP).not.toContain('unsafe');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(html).toContain('<script type="module" src="./app.js"></script>');
    // No inline script or style: the CSP forbids them, so the page must not need them.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
  });

  it('serves the script and stylesheet with their content types, and nothing else', async () => {
    const gw = gateway();
    const js = await gw(new Request(`${origin}/console/app.js`));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const code = await js.text();
    expect(code.length).toBeGreaterThan(1000);
    // Offline: nothing fetched from another origin.
    expect(code).not.toMatch(/https:\/\//);
    expect((await gw(new Request(`${origin}/console/app.css`))).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await gw(new Request(`${origin}/console/favicon.svg`))).headers.get('content-type')).toBe('image/svg+xml');
    for (const path of ['/console/package.json', '/console/%2e%2e/package.json', '/console/x/app.js', '/console/index.ts']) {
      expect((await gw(new Request(`${origin}${path}`))).status, path).toBe(404);
    }
    const post = await gw(new Request(`${origin}/console/`, { method: 'POST' }));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await gw(new Request(`${origin}/console/app.js`, { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('lives under the basePath, and is absent without console: true', async () => {
    const gw = createGateway({ store: createMemoryStateStore(), auth: {}, console: true, basePath: '/api' });
    expect((await gw(new Request(`${origin}/api/console/`))).status).toBe(200);
    expect((await gw(new Request(`${origin}/api/console`))).headers.get('location')).toBe('console/');
    const without = createGateway({ store: createMemoryStateStore(), auth: {} });
    const res = await without(new Request(`${origin}/console/`));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('createConsoleHandler', () => {
  it('serves the files of assetsDir byte for byte', async () => {
    const handler = createConsoleHandler({ path: '/ops/console', assetsDir: assets });
    const res = await handler(new Request(`${origin}/ops/console/app.css`));
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array(await readFile(join(assets, 'app.css'))));
    expect((await handler(new Request(`${origin}/ops/consolex/app.css`))).status).toBe(404);
  });

  it('answers 503 with the build command when the app is not built', async () => {
    const handler = createConsoleHandler({ assetsDir: await mkdtemp(join(tmpdir(), 'hmi-console-empty-')) });
    const res = await handler(new Request(`${origin}/console/`));
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('pnpm --filter @hmi/console build');
  });
});
