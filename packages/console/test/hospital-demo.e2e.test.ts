// The acceptance check, against the real demo: `--serve` is started as a child process (the command
// `npm run demo -- --serve` ends in, on a free port) and the console is driven in Chromium. What the
// page shows is counted against the gateway's API, a dead letter is replayed and must leave the list
// and be delivered, a viewer gets no replay button and a 403, Arabic turns the page right to left,
// and Ctrl-C stops the demo cleanly.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launch, requireBrowser } from './browser.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const demoDir = join(root, 'examples', 'hospital-demo');
const artifacts = fileURLToPath(new URL('../test-artifacts/demo/', import.meta.url));
const run = hasChromium || requireBrowser;
if (!run) console.warn(`@hmi/console demo browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

/** The demo in serve mode, as a child process in its own process group (Ctrl-C reaches all of it). */
interface ServedDemo {
  child: ChildProcess;
  base: string;
  operatorKey: string;
  viewerKey: string;
  output: () => string;
}

async function startServedDemo(): Promise<ServedDemo> {
  // The demo's own `start` script (what `npm run demo` ends in), with `--serve` appended.
  const start = (JSON.parse(readFileSync(join(demoDir, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [command, ...args] = start.split(' ');
  expect(command).toBe('node');
  const child = spawn(process.execPath, [...args, '--serve'], {
    cwd: demoDir,
    env: { ...process.env, HMI_DEMO_PORT: '0', NO_COLOR: '1' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const deadline = Date.now() + 150_000;
  for (;;) {
    const url = /^hmi console: (http:\/\/127\.0\.0\.1:\d+)\/console\/$/m.exec(out)?.[1];
    const operatorKey = /^ {2}operator key\s+(\S+)/m.exec(out)?.[1];
    const viewerKey = /^ {2}viewer key\s+(\S+)/m.exec(out)?.[1];
    if (url && operatorKey && viewerKey && out.includes('Serving until Ctrl-C.'))
      return { child, base: url, operatorKey, viewerKey, output: () => out };
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`the demo did not start serving (exit ${child.exitCode}):\n${out.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.runIf(run)('the console in Chromium against `npm run demo -- --serve`', () => {
  let demo: ServedDemo;
  let browser: Awaited<ReturnType<typeof launch>>;
  let context: BrowserContext;

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`HMI_REQUIRE_SERVICES=1 and no Chromium at ${CHROMIUM}`);
    await mkdir(artifacts, { recursive: true });
    demo = await startServedDemo();
    browser = await launch();
    context = browser.context;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (demo?.child.exitCode === null) process.kill(-demo.child.pid!, 'SIGKILL');
  });

  const api = (path: string, key: string, init: RequestInit = {}) =>
    fetch(`${demo.base}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers } });
  const items = async <T>(path: string) => ((await (await api(path, demo.operatorKey)).json()) as { items: T[] }).items;

  const signIn = async (key: string): Promise<Page> => {
    const page = await context.newPage();
    expect((await page.goto(`${demo.base}/console/`))?.status()).toBe(200);
    if ((await page.evaluate(() => document.documentElement.lang)) !== 'en') {
      await page.evaluate(() => localStorage.clear());
      await page.reload();
    }
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-point]').first().waitFor();
    return page;
  };

  const shownStatuses = (page: Page) =>
    page
      .locator('[data-point]')
      .evaluateAll((rows) =>
        rows.map((row) => `${row.getAttribute('data-point')}=${row.querySelector('[data-status]')?.getAttribute('data-status')}`),
      );

  it('shows the points the API lists with their status, the failing EHR sync in red', async () => {
    const page = await signIn(demo.operatorKey);
    const points = await items<{ id: string; status: string }>('/v1/integrations');
    expect(points.length).toBeGreaterThanOrEqual(5);
    expect(points.find((p) => p.id === 'ehr-patients-to-crm')?.status).toBe('failing');
    await expect.poll(() => page.locator('[data-point]').count()).toBe(points.length);
    await expect.poll(() => shownStatuses(page)).toEqual(points.map((p) => `${p.id}=${p.status}`));
    const ehr = page.locator('[data-point="ehr-patients-to-crm"] [data-status]');
    await expect.poll(() => ehr.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(179, 38, 30)');
    await page.locator('[data-testid="live"].live-on').waitFor();
    await page.screenshot({ path: join(artifacts, 'points-en.png'), fullPage: true });
    await page.close();
  });

  it('shows the dead letters the API lists; a replay leaves the list and is delivered', async () => {
    const page = await signIn(demo.operatorKey);
    await page.getByRole('link', { name: 'Dead letters' }).click();
    const dead = await items<{ id: string }>('/v1/dead-letters');
    expect(dead.length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.locator('[data-dead-letter]').count()).toBe(dead.length);
    expect(
      await page.locator('[data-dead-letter]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-dead-letter'))),
    ).toEqual(dead.map((d) => d.id));
    await page.screenshot({ path: join(artifacts, 'dead-letters-en.png'), fullPage: true });

    const id = dead[0]!.id;
    await page.getByRole('button', { name: `Replay: ${id}` }).click();
    await page.getByTestId('confirm').click();
    await page.locator(`[data-dead-letter="${id}"]`).waitFor({ state: 'detached' });
    expect(await page.locator('[data-dead-letter]').count()).toBe(dead.length - 1);
    expect((await items<{ id: string }>('/v1/dead-letters')).map((d) => d.id)).not.toContain(id);
    // Delivered to the Twilio sandbox: the outbox audits the replayed attempt as a success.
    await expect
      .poll(
        async () =>
          (
            await items<{ recordIds: string[]; outcome: string; trigger: string }>(
              '/v1/audit?integrationPoint=lab-results-sms&order=desc&limit=20',
            )
          ).some((a) => a.recordIds.includes(id) && a.outcome === 'success' && a.trigger === 'replay'),
        { timeout: 15_000 },
      )
      .toBe(true);
    await page.screenshot({ path: join(artifacts, 'dead-letters-after-replay.png'), fullPage: true });
    await page.close();
  });

  it('gives the viewer key no replay button, and the API answers its replay with 403', async () => {
    const page = await signIn(demo.viewerKey);
    await page.getByRole('link', { name: 'Dead letters' }).click();
    const dead = await items<{ id: string }>('/v1/dead-letters');
    await expect.poll(() => page.locator('[data-dead-letter]').count()).toBe(dead.length);
    expect(dead.length).toBeGreaterThan(0);
    expect(await page.locator('[data-action="inspect"]').count()).toBe(dead.length);
    expect(await page.locator('[data-action="replay"]').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Replay/ }).count()).toBe(0);
    expect(await page.locator('[data-action="purge"]').count()).toBe(0);
    await page.screenshot({ path: join(artifacts, 'viewer-dead-letters.png'), fullPage: true });
    const id = dead[0]!.id;
    const fromPage = await page.evaluate(
      async ({ key, path }) => (await fetch(path, { method: 'POST', headers: { authorization: `Bearer ${key}` } })).status,
      { key: demo.viewerKey, path: `../v1/dead-letters/${encodeURIComponent(id)}/replay` },
    );
    expect(fromPage).toBe(403);
    expect((await api(`/v1/dead-letters/${encodeURIComponent(id)}/replay`, demo.viewerKey, { method: 'POST' })).status).toBe(403);
    expect((await items<{ id: string }>('/v1/dead-letters')).map((d) => d.id)).toContain(id);
    await page.close();
  });

  it('switches to Arabic: the page turns right to left', async () => {
    const page = await signIn(demo.operatorKey);
    await page.getByLabel('Language').selectOption('ar');
    await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ar');
    await page.getByRole('link', { name: 'الرسائل المتعثرة' }).waitFor();
    await page.screenshot({ path: join(artifacts, 'points-ar.png'), fullPage: true });
    await page.getByLabel('اللغة').selectOption('en');
    await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('ltr');
    await page.close();
  });

  it('stops on Ctrl-C with exit code 0', { timeout: 30_000 }, async () => {
    const exited = new Promise<number | null>((resolve) => demo.child.once('exit', (code) => resolve(code)));
    process.kill(-demo.child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(demo.output()).toContain('stopping the console, the sandboxes and the store');
    await expect(fetch(`${demo.base}/v1/me`)).rejects.toThrow();
  });
});
