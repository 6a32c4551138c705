import { createTelemetry } from '@hmi/core';
import { attachProgressBar, createMemoryStateStore, renderProgressLine, scheduleSync, type SyncResult } from '@hmi/flow';
import { createManualClock } from '@hmi/flow/testing';
import { describe, expect, it } from 'vitest';
import { pagedSource, records, upsertDestination } from './fixtures/sources.js';

describe('scheduleSync', () => {
  it('runs every interval, never overlapping, and stops', async () => {
    const clock = createManualClock(Date.UTC(2025, 0, 1, 8, 0, 0));
    const telemetry = createTelemetry();
    const skipped: unknown[] = [];
    telemetry.on('sync:skipped', (e) => skipped.push(e));
    let release: (() => void) | undefined;
    let runs = 0;
    const results: SyncResult[] = [];
    const schedule = scheduleSync({
      id: 's',
      every: '5m',
      clock,
      telemetry,
      state: createMemoryStateStore({ now: clock.now }),
      source: async function* () {
        runs++;
        if (runs === 2) await new Promise<void>((r) => (release = r));
        yield { records: records(1), checkpoint: runs };
      },
      destination: async () => {},
      onResult: (r) => results.push(r),
    });
    expect(schedule.nextRunAt()?.toISOString()).toBe('2025-01-01T08:05:00.000Z');
    await clock.advance(5 * 60_000);
    expect(runs).toBe(1);
    await clock.advance(5 * 60_000);
    expect(runs).toBe(2);
    expect(schedule.running).toBe(true);
    await clock.advance(5 * 60_000);
    expect(runs).toBe(2);
    expect(skipped).toEqual([{ syncId: 's', reason: 'overlap' }]);
    release!();
    await clock.advance(0); // let the released run finish
    expect(schedule.running).toBe(false);
    await clock.advance(5 * 60_000);
    expect(skipped).toHaveLength(1);
    expect(runs).toBe(3);
    await schedule.stop();
    expect(schedule.nextRunAt()).toBeUndefined();
    await clock.advance(60 * 60_000);
    expect(runs).toBe(3);
    expect(results.map((r) => r.checkpoint)).toEqual([1, 2, 3]);
  });

  it('follows a cron expression and records the trigger in the audit trail', async () => {
    const clock = createManualClock(Date.UTC(2025, 0, 1, 8, 1, 30));
    const state = createMemoryStateStore({ now: clock.now });
    const dest = upsertDestination();
    const schedule = scheduleSync({
      id: 'cron',
      cron: '*/5 * * * *',
      timezone: 'Asia/Riyadh',
      clock,
      state,
      source: pagedSource(records(3), 3),
      destination: dest.write,
    });
    expect(schedule.nextRunAt()?.toISOString()).toBe('2025-01-01T08:05:00.000Z');
    await clock.advance(4 * 60_000);
    expect(dest.rows.size).toBe(3);
    expect((await state.queryAudit())[0]?.trigger).toBe('schedule');
    expect(schedule.nextRunAt()?.toISOString()).toBe('2025-01-01T08:10:00.000Z');
    const manual = await schedule.runNow();
    expect(manual?.pages).toBe(0);
    await schedule.stop();
  });

  it('reports failed runs to onError and keeps the schedule going', async () => {
    const clock = createManualClock();
    const errors: unknown[] = [];
    let runs = 0;
    const schedule = scheduleSync({
      id: 'f',
      every: 1000,
      clock,
      state: createMemoryStateStore(),
      retry: { retries: 0 },
      source: async function* () {
        runs++;
        yield* [];
        throw new Error('source down');
      },
      destination: async () => {},
      onError: (e) => errors.push(e),
    });
    await clock.advance(1000);
    await clock.advance(1000);
    await schedule.stop();
    expect(runs).toBe(2);
    expect(errors.map((e) => (e as { name: string }).name)).toEqual(['SyncError', 'SyncError']);
  });

  it('refuses a bad schedule with a ConfigError', () => {
    const base = { id: 's', state: createMemoryStateStore(), source: pagedSource([], 1), destination: async () => {} };
    expect(() => scheduleSync({ ...base, cron: 'every tuesday' })).toThrow(/cron/);
    expect(() => scheduleSync({ ...base, every: 'soon' })).toThrow(/every/);
    expect(() => scheduleSync({ ...base } as never)).toThrow(/exactly one/);
  });
});

describe('progress bar', () => {
  it('renders a bar with percentage, count and rate', () => {
    expect(renderProgressLine({ label: 'ehr', done: 5000, total: 10_000, elapsedMs: 2000, width: 10 })).toBe(
      'ehr [#####-----]  50.0% 5000/10000 2500 rec/s',
    );
    expect(renderProgressLine({ label: 'ehr', done: 12, elapsedMs: 0 })).toBe('ehr 12 records 0 rec/s');
  });

  it('draws on a TTY from sync events and prints one line elsewhere', async () => {
    const { runSync } = await import('@hmi/flow');
    for (const isTTY of [true, false]) {
      const telemetry = createTelemetry();
      let out = '';
      const detach = attachProgressBar(telemetry, {
        stream: { isTTY, write: (t: string) => (out += t) },
        total: 30,
        syncId: 'p',
      });
      await runSync({
        id: 'p',
        source: pagedSource(records(30), 10),
        destination: async () => {},
        state: createMemoryStateStore(),
        telemetry,
      });
      detach();
      if (isTTY) {
        expect(out.match(/\r/g)?.length).toBe(4);
        expect(out).toContain('30/30');
      } else {
        expect(out.split('\n').filter(Boolean)).toHaveLength(1);
      }
      expect(out).toMatch(/30\/30 \d+ rec\/s done/);
    }
  });
});
