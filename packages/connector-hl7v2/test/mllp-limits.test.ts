import type { HmiError } from '@hmi/core';
import { afterEach, describe, expect, it } from 'vitest';
import { frameMllp, type MllpServer, type MllpTimers, startMllpServer } from '../src/index.js';
import { adt, rawClient } from './mllp-helpers.js';

// Timeouts are driven by hand through injected timers: no test waits on the wall clock.
function manualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 0;
  const timers: MllpTimers = {
    setTimeout(callback, ms) {
      pending.set(++next, { callback, ms });
      return next;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    pending,
    /** Runs every pending timer armed with `ms`; returns how many ran. */
    fire(ms: number): number {
      let n = 0;
      for (const [id, t] of [...pending]) {
        if (t.ms !== ms) continue;
        pending.delete(id);
        t.callback();
        n++;
      }
      return n;
    },
  };
}

/** Waits (on I/O turns, not a clock) until `check` holds. */
async function until(check: () => boolean, turns = 2000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (check()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not reached');
}

const servers: MllpServer[] = [];
const clients: Array<{ end(): void }> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.end();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Partial<Parameters<typeof startMllpServer>[0]> = {}) {
  const errors: HmiError[] = [];
  const server = await startMllpServer({ onMessage: () => {}, onError: (e) => errors.push(e), ...options });
  servers.push(server);
  return { server, errors };
}

async function connect(port: number) {
  const client = await rawClient(port);
  clients.push(client);
  let closed = false;
  void client.closed.then(() => {
    closed = true;
  });
  return Object.assign(client, { isClosed: () => closed });
}

describe('MLLP server limits (issue 11 #6)', () => {
  it('closes a connection that stays idle past idleTimeoutMs, not before', async () => {
    const clock = manualTimers();
    const { server, errors } = await start({ timers: clock.timers, idleTimeoutMs: 1000, frameTimeoutMs: 500 });
    const a = await connect(server.port);
    await until(() => [...clock.pending.values()].some((t) => t.ms === 1000));
    // Traffic restarts the idle clock: the timer armed before the message is gone.
    await a.write(frameMllp(adt('1')));
    await a.waitForAcks(1);
    await until(() => [...clock.pending.values()].filter((t) => t.ms === 1000).length === 1);
    expect(a.isClosed()).toBe(false);
    expect(clock.fire(1000)).toBe(1);
    await a.closed;
    expect(errors.map((e) => e.message)).toContain('connection closed: idle timeout');
  });

  it('closes a slowloris connection whose frame never ends, however steadily it trickles', async () => {
    const clock = manualTimers();
    const { server, errors } = await start({ timers: clock.timers, idleTimeoutMs: 1000, frameTimeoutMs: 500 });
    const slow = await connect(server.port);
    await slow.write(Buffer.from([0x0b]));
    await slow.write('MSH|^~\\&|');
    await until(() => [...clock.pending.values()].some((t) => t.ms === 500));
    // Trickling more bytes does not restart the frame clock, and the idle clock is off meanwhile.
    for (const part of ['A', 'B', 'C']) await slow.write(part);
    await until(() => [...clock.pending.values()].filter((t) => t.ms === 500).length === 1);
    expect([...clock.pending.values()].some((t) => t.ms === 1000)).toBe(false);
    expect(clock.fire(500)).toBe(1);
    await slow.closed;
    expect(errors.map((e) => e.message)).toContain('connection closed: frame not finished in time');
  });

  it('refuses connections beyond maxConnections and serves the others', async () => {
    const { server, errors } = await start({ maxConnections: 2 });
    const a = await connect(server.port);
    const b = await connect(server.port);
    await a.write(frameMllp(adt('1')));
    await b.write(frameMllp(adt('2')));
    await a.waitForAcks(1);
    await b.waitForAcks(1);
    const c = await connect(server.port);
    await c.closed;
    expect(errors.map((e) => e.message)).toContain('connection refused: too many connections');
    // A closed slot is free again.
    a.end();
    await a.closed;
    const d = await connect(server.port);
    await d.write(frameMllp(adt('3')));
    expect((await d.waitForAcks(1))[0]!.get('MSA-1')).toBe('AA');
  });

  it('bounds the bytes held across connections: the connection that passes the budget is closed', async () => {
    const { server, errors } = await start({ maxBufferedBytes: 64 * 1024, maxMessageBytes: 60 * 1024 });
    const a = await connect(server.port);
    const b = await connect(server.port);
    // Two unfinished 40 KB frames: each is under the frame cap, together over the budget.
    await a.write(Buffer.concat([Buffer.from([0x0b]), Buffer.alloc(40 * 1024, 0x41)]));
    await until(() => server.bufferedBytes === 40 * 1024);
    expect(a.isClosed()).toBe(false);
    await b.write(Buffer.concat([Buffer.from([0x0b]), Buffer.alloc(40 * 1024, 0x41)]));
    await b.closed;
    expect(errors.map((e) => e.message)).toContain('connection closed: receiver buffer budget exhausted');
    expect(a.isClosed()).toBe(false);
    expect(server.bufferedBytes).toBe(40 * 1024); // b's share given back
    // The survivor finishes its frame (answered AR: not HL7) and the budget was given back.
    await a.write(Buffer.from([0x1c, 0x0d]));
    expect((await a.waitForAcks(1))[0]!.get('MSA-1')).toBe('AR');
    await until(() => server.bufferedBytes === 0);
    const c = await connect(server.port);
    await c.write(frameMllp(adt('4')));
    expect((await c.waitForAcks(1))[0]!.get('MSA-1')).toBe('AA');
    expect(server.connections).toBe(2);
  });

  it('has defaults: every limit is on without configuration', async () => {
    const clock = manualTimers();
    const { server } = await start({ timers: clock.timers });
    await connect(server.port);
    await until(() => clock.pending.size > 0);
    expect([...clock.pending.values()].map((t) => t.ms)).toEqual([300_000]);
  });
});
