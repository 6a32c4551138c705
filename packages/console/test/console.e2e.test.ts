import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../scripts/build-app.mjs';
import { hasChromium, launch, requireBrowser, CHROMIUM } from './browser.js';
import { type Demo, startDemo } from './fixture.js';

const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const run = hasChromium || requireBrowser;
if (!run) console.warn(`@hmi/console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

describe.runIf(run)('the console in Chromium against a demo gateway', () => {
  let demo: Demo;
  let browser: Awaited<ReturnType<typeof launch>>;
  let context: BrowserContext;

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`HMI_REQUIRE_SERVICES=1 and no Chromium at ${CHROMIUM}`);
    await buildApp();
    await mkdir(artifacts, { recursive: true });
    demo = await startDemo();
    browser = await launch();
    context = browser.context;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  const signIn = async (key: string): Promise<Page> => {
    const page = await context.newPage();
    const response = await page.goto(`${demo.base}/console`);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${demo.base}/console/`);
    // Each test starts in English, whatever an earlier one left in localStorage.
    if ((await page.evaluate(() => document.documentElement.lang)) !== 'en') {
      await page.evaluate(() => localStorage.clear());
      await page.reload();
    }
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-point]').first().waitFor();
    return page;
  };

  const apiCount = async (path: string) =>
    ((await (await demo.api(path, demo.operatorKey)).json()) as { items: unknown[] }).items.length;

  it('shows the points and dead letters the API has, turns a failing point red live, replays one', async () => {
    const page = await signIn(demo.operatorKey);
    const points = await apiCount('/v1/integrations');
    expect(points).toBe(3);
    await expect.poll(() => page.locator('[data-point]').count()).toBe(points);
    await page.locator('[data-testid="live"].live-on').waitFor();
    await page.screenshot({ path: join(artifacts, 'points-en.png'), fullPage: true });

    // The EHR feed breaks: the run's sync:end reaches the page over /v1/events.
    const ehr = page.locator('[data-point="ehr-patients"] [data-status]');
    expect(await ehr.getAttribute('data-status')).toBe('ok');
    demo.setEhrDown(true);
    expect((await demo.api('/v1/integrations/ehr-patients/runs', demo.operatorKey, { method: 'POST' })).status).toBe(202);
    await expect.poll(() => ehr.getAttribute('data-status')).toBe('failing');
    // Polled: a live update may redraw the row between finding the badge and reading its style.
    await expect.poll(() => ehr.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(179, 38, 30)');
    await expect.poll(() => page.locator('#live').textContent()).toContain('ehr-patients is failing');
    await page.screenshot({ path: join(artifacts, 'point-failing.png'), fullPage: true });

    await page.getByRole('link', { name: 'Dead letters' }).click();
    const dead = await apiCount('/v1/dead-letters');
    expect(dead).toBe(3);
    await expect.poll(() => page.locator('[data-dead-letter]').count()).toBe(dead);

    // Inspect: error and attempts; this operator has no PHI scope, so no payload.
    await page.getByRole('button', { name: 'Inspect: invoice-1001' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('validation_error');
    expect(await dialog.getByRole('heading', { level: 2 }).textContent()).toBe('Inspect: invoice-1001');
    expect(await dialog.locator('dd').allTextContents()).toEqual(
      expect.arrayContaining(['invoice-1001', 'crm-to-erp-invoices', 'ValidationError · validation_error', '1']),
    );
    await page.screenshot({ path: join(artifacts, 'inspect.png') });
    expect(await dialog.locator('[data-testid="payload-hidden"]').count()).toBe(1);
    expect(await dialog.textContent()).not.toContain('نورة');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    demo.setErpDown(false);
    await page.getByRole('button', { name: 'Replay: invoice-1001' }).click();
    await page.screenshot({ path: join(artifacts, 'replay-confirm.png') });
    await page.getByTestId('confirm').click();
    await page.locator('[data-dead-letter="invoice-1001"]').waitFor({ state: 'detached' });
    expect(await page.locator('[data-dead-letter]').count()).toBe(dead - 1);
    expect(await apiCount('/v1/dead-letters')).toBe(dead - 1);

    // Purge asks first, by keyboard too: focus starts on Cancel, Enter cancels, focus comes back.
    const purge = page.getByRole('button', { name: 'Purge: invoice-1002' });
    await purge.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('cancel');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-key'))).toBe('purge:invoice-1002');
    expect(await page.locator('[data-dead-letter="invoice-1002"]').count()).toBe(1);
    expect(await apiCount('/v1/dead-letters')).toBe(dead - 1);
    await page.close();
  });

  it('switches to Arabic: right to left, Arabic-Indic digits on request', async () => {
    const page = await signIn(demo.operatorKey);
    await page.getByLabel('Language').selectOption('ar');
    await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ar');
    await page.getByRole('link', { name: 'الرسائل المتعثرة' }).waitFor();
    // The navigation starts on the right in RTL.
    await expect.poll(async () => (await page.locator('.brand').boundingBox())?.x ?? 0).toBeGreaterThan(640);
    await page.getByLabel('الأرقام العربية الهندية').check();
    await expect.poll(() => page.getByTestId('points-count').textContent()).toMatch(/[٠-٩]/);
    await page.screenshot({ path: join(artifacts, 'points-ar.png'), fullPage: true });
    // Back to English for the other tests (the choice is kept in localStorage).
    await page.getByLabel('اللغة').selectOption('en');
    await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('ltr');
    await page.close();
  });

  it('gives a user without dead-letters:replay no replay button, and the API answers 403', async () => {
    const page = await signIn(demo.viewerKey);
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.locator('[data-dead-letter]').first().waitFor();
    expect(await page.locator('[data-dead-letter]').count()).toBe(await apiCount('/v1/dead-letters'));
    expect(await page.locator('[data-action="replay"]').count()).toBe(0);
    expect(await page.locator('[data-action="purge"]').count()).toBe(0);
    expect(await page.locator('[data-action="inspect"]').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Run now' }).count()).toBe(0);
    await page.screenshot({ path: join(artifacts, 'viewer-dead-letters.png'), fullPage: true });
    // Trying anyway, from the page with the viewer's own key:
    const status = await page.evaluate(async (key) => {
      const r = await fetch('../v1/dead-letters/invoice-1002/replay', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
      });
      return r.status;
    }, demo.viewerKey);
    expect(status).toBe(403);
    await page.close();
  });

  it('signs in with the host session cookie, without an API key', async () => {
    await context.addCookies([{ name: 'hmi_session', value: demo.session, url: demo.base }]);
    const page = await context.newPage();
    await page.evaluate(() => sessionStorage.clear()).catch(() => undefined);
    await page.goto(`${demo.base}/console/`);
    await page.locator('[data-point]').first().waitFor();
    expect(await page.getByText('ops on call').count()).toBe(1);
    expect(await page.getByLabel('API key').count()).toBe(0);
    await page.locator('[data-testid="live"].live-on').waitFor();
    await context.clearCookies();
    await page.close();
  });

  it("opens a point's runs and failures, and filters the audit trail", async () => {
    const page = await signIn(demo.operatorKey);
    await page.getByRole('link', { name: 'ehr-patients' }).click();
    await page.getByRole('heading', { level: 1, name: 'ehr-patients' }).waitFor();
    expect(await page.locator('dl [data-status]').getAttribute('data-status')).toBe('failing');
    const runs = page.locator('[data-testid="audit"] tbody tr');
    await expect.poll(() => runs.count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid="audit"] tbody tr.row-failing').count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(artifacts, 'point-detail.png'), fullPage: true });
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByTestId('audit-count').waitFor();
    await page.getByLabel('Point').selectOption('ehr-patients');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect
      .poll(async () => {
        const cells = await page.locator('[data-testid="audit"] tbody tr td:nth-child(2)').allTextContents();
        return cells.length > 0 && cells.every((c) => c === 'ehr-patients');
      })
      .toBe(true);
    await page.close();
  });
});
