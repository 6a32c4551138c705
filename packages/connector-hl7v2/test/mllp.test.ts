import { generate } from 'selfsigned';
import { createTelemetry, NetworkError, TimeoutError } from '@hmi/core';
import { expectNoLeaks, listenOnLoopback } from '@hmi/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ackCode,
  createMllpClient,
  frameMllp,
  type Hl7Message,
  MllpDecoder,
  type MllpServer,
  sendMllp,
  startMllpServer,
} from '../src/index.js';
import { adt, rawClient, sleep } from './mllp-helpers.js';

const servers: MllpServer[] = [];
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: Partial<Parameters<typeof startMllpServer>[0]> = {}) {
  const seen: Hl7Message[] = [];
  const s = await startMllpServer({
    port: 0,
    host: '127.0.0.1',
    onMessage: (m) => {
      seen.push(m);
    },
    ...options,
  });
  servers.push(s);
  return { server: s, seen };
}

describe('MllpDecoder', () => {
  const frames = [adt('1'), adt('2'), adt('3')].map((m) => frameMllp(m));
  const payloads = (events: ReturnType<MllpDecoder['push']>) =>
    events.flatMap((e) => (e.type === 'message' ? [e.payload.toString('utf8')] : []));

  it('splits several frames in one chunk and ignores bytes between frames', () => {
    const chunk = Buffer.concat([
      Buffer.from('noise\r\n'),
      frames[0]!,
      Buffer.from([0x00, 0x0d]),
      frames[1]!,
      frames[2]!,
      Buffer.from('x'),
    ]);
    expect(payloads(new MllpDecoder({ maxMessageBytes: 10_000 }).push(chunk))).toEqual([adt('1'), adt('2'), adt('3')]);
  });

  it('joins a frame split byte by byte (multi-byte UTF-8 characters cut in half)', () => {
    const decoder = new MllpDecoder({ maxMessageBytes: 10_000 });
    const all = Buffer.concat(frames);
    const out: string[] = [];
    for (let i = 0; i < all.length; i++) out.push(...payloads(decoder.push(all.subarray(i, i + 1))));
    expect(out).toEqual([adt('1'), adt('2'), adt('3')]);
  });

  it('skips an oversize frame without buffering it, then carries on', () => {
    const decoder = new MllpDecoder({ maxMessageBytes: 1000 });
    const events: ReturnType<MllpDecoder['push']> = [];
    events.push(...decoder.push(Buffer.from([0x0b])));
    events.push(...decoder.push(Buffer.from(`${adt('big')}\r`)));
    let maxHeld = 0;
    for (let i = 0; i < 200; i++) {
      events.push(...decoder.push(Buffer.alloc(64 * 1024, 0x41)));
      maxHeld = Math.max(maxHeld, decoder.bufferedBytes);
    }
    events.push(...decoder.push(Buffer.concat([Buffer.from([0x1c, 0x0d]), frames[0]!])));
    expect(maxHeld).toBeLessThanOrEqual(1000);
    expect(events.map((e) => e.type)).toEqual(['oversize', 'message']);
    const head = (events[0] as { head: Buffer }).head.toString('utf8');
    expect(head.startsWith('MSH|^~\\&|HIS')).toBe(true);
    expect(head.length).toBeLessThanOrEqual(1000);
  });

  it('drops an unfinished frame when a new one starts, and accepts a missing final CR', () => {
    const decoder = new MllpDecoder({ maxMessageBytes: 10_000 });
    const events = decoder.push(Buffer.concat([Buffer.from([0x0b]), Buffer.from('MSH|half'), frames[0]!.subarray(0, -1)]));
    events.push(...decoder.push(Buffer.from([0x0b, 0x41, 0x1c, 0x0d])));
    expect(events.map((e) => e.type)).toEqual(['truncated', 'message', 'message']);
  });
});

describe('startMllpServer + sendMllp', () => {
  it('delivers the parsed message (Arabic intact) and answers AA quoting MSH-10', async () => {
    const { server: s, seen } = await server();
    const ack = await sendMllp({ host: '127.0.0.1', port: s.port, message: adt('C1').replace(/\r/g, '\n') });
    expect(ackCode(ack)).toBe('AA');
    expect(ack.get('MSA-2')).toBe('C1');
    expect(ack.get('MSH-3')).toBe('CRM');
    expect(ack.get('MSH-5')).toBe('HIS');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.get('PID-5.1')).toBe('الأحمد');
    expect(seen[0]!.toString()).toBe(adt('C1'));
  });

  it('handles several frames coalesced in one TCP write, in order, with garbage between', async () => {
    const { server: s, seen } = await server();
    const client = await rawClient(s.port);
    cleanups.push(client.end);
    await client.write(
      Buffer.concat([frameMllp(adt('A')), Buffer.from('\r\n\x00junk'), frameMllp(adt('B')), frameMllp(adt('C'))]),
    );
    const acks = await client.waitForAcks(3);
    expect(acks.map((a) => a.get('MSA-2'))).toEqual(['A', 'B', 'C']);
    expect(acks.map((a) => ackCode(a))).toEqual(['AA', 'AA', 'AA']);
    expect(seen.map((m) => m.controlId)).toEqual(['A', 'B', 'C']);
  });

  it('handles one frame split across many TCP chunks, byte by byte', async () => {
    const { server: s, seen } = await server();
    const client = await rawClient(s.port);
    cleanups.push(client.end);
    const frame = frameMllp(adt('SPLIT'));
    for (let i = 0; i < frame.length; i++) {
      await client.write(frame.subarray(i, i + 1));
      if (i % 25 === 0) await sleep(1);
    }
    const [ack] = await client.waitForAcks(1);
    expect(ack!.get('MSA-2')).toBe('SPLIT');
    expect(seen[0]!.get('PID-5.2')).toBe('محمد');
  });

  it('answers AR to what cannot be parsed, quoting MSH-10 when the header is readable', async () => {
    const errors: unknown[] = [];
    const { server: s, seen } = await server({ onError: (e) => errors.push(e) });
    const client = await rawClient(s.port);
    cleanups.push(client.end);
    await client.write(frameMllp('MSH|^~\\&|HIS|H|CRM|C|20240101||ADT^A04|BAD1|P|2.5\rthis is not a segment'));
    await client.write(frameMllp('complete garbage'));
    const acks = await client.waitForAcks(2);
    expect(acks.map(ackCode)).toEqual(['AR', 'AR']);
    expect(acks[0]!.get('MSA-2')).toBe('BAD1');
    expect(acks[0]!.get('MSH-5')).toBe('HIS');
    expect(acks[1]!.get('MSA-2')).toBe('');
    expect(seen).toHaveLength(0);
    expect(errors).toHaveLength(2);
  });

  it('refuses a frame over maxMessageBytes with AR and keeps serving the connection', async () => {
    const errors: unknown[] = [];
    const { server: s, seen } = await server({ maxMessageBytes: 4096, onError: (e) => errors.push(e) });
    const client = await rawClient(s.port);
    cleanups.push(client.end);
    await client.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from(`${adt('HUGE')}\rNTE|1||`)]));
    const block = Buffer.alloc(256 * 1024, 0x61);
    for (let i = 0; i < 20; i++) await client.write(block); // 5 MiB that the server must not hold
    await client.write(Buffer.from([0x1c, 0x0d]));
    await client.write(frameMllp(adt('AFTER')));
    const acks = await client.waitForAcks(2, 10_000);
    expect(acks.map(ackCode)).toEqual(['AR', 'AA']);
    expect(acks[0]!.get('MSA-2')).toBe('HUGE');
    expect(acks[1]!.get('MSA-2')).toBe('AFTER');
    expect(seen.map((m) => m.controlId)).toEqual(['AFTER']);
    expect(errors).toHaveLength(1);
  });

  it('answers AE with a generic text when onMessage throws, and no patient data escapes (canary)', async () => {
    const canaryName = 'كناري^سالم';
    const canaryPhone = '0555987654';
    const telemetry = createTelemetry();
    const events: string[] = [];
    telemetry.onAny((name, payload) => events.push(`${name} ${JSON.stringify(payload)}`));
    const errors: unknown[] = [];
    const { server: s } = await server({
      telemetry,
      onError: (e) => errors.push(e),
      onMessage: (m) => {
        throw new Error(`cannot store ${m.get('PID-5.1')} ${m.get('PID-13.1')}`);
      },
    });
    const ack = await sendMllp({ host: '127.0.0.1', port: s.port, message: adt('AE1', canaryName, canaryPhone) });
    expect(ackCode(ack)).toBe('AE');
    expect(ack.get('MSA-2')).toBe('AE1');
    expect(ack.get('ERR-3.1')).toBe('207');
    await sleep(20);
    expect(errors).toHaveLength(1);
    expect(events.some((e) => e.startsWith('error '))).toBe(true);
    expect(events.some((e) => e.startsWith('hl7:message ') && e.includes('"ackCode":"AE"'))).toBe(true);
    expectNoLeaks([ack.toString(), ...events, ...errors], ['كناري', 'سالم', '555987654', '0555987654']);
  });

  it('acknowledges only after onMessage resolves', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { server: s } = await server({ onMessage: () => gate });
    let answered = false;
    const pending = sendMllp({ host: '127.0.0.1', port: s.port, message: adt('SLOW') }).then((a) => {
      answered = true;
      return a;
    });
    await sleep(150);
    expect(answered).toBe(false);
    release();
    expect(ackCode(await pending)).toBe('AA');
  });

  it('rejects with TimeoutError when no ACK comes in time', async () => {
    const { server: s } = await server({ onMessage: () => new Promise(() => {}) });
    const error = await sendMllp({ host: '127.0.0.1', port: s.port, message: adt('T'), timeoutMs: 200 }).catch((e) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
  });

  it('rejects with a retryable NetworkError when nothing listens', async () => {
    const { server: s } = await server();
    const port = s.port;
    await s.close();
    const error = await sendMllp({ host: '127.0.0.1', port, message: adt('N'), timeoutMs: 2000 }).catch((e) => e);
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(true);
  });

  it('close() ends every open connection', async () => {
    const { server: s } = await server();
    const a = await rawClient(s.port);
    const b = await rawClient(s.port);
    await s.close();
    await Promise.all([a.closed, b.closed]);
  });
});

describe('TLS', () => {
  it('serves and sends MLLP over TLS with a self-signed certificate generated here', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      extensions: [
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    } as never);
    const { server: s, seen } = await server({ tls: { key: pems.private, cert: pems.cert } });
    const ack = await sendMllp({ host: '127.0.0.1', port: s.port, message: adt('TLS1'), tls: { ca: pems.cert } });
    expect(ackCode(ack)).toBe('AA');
    expect(seen[0]!.get('PID-5.1')).toBe('الأحمد');

    // Without trusting the certificate the connection is refused, and retrying would not help.
    const error = await sendMllp({ host: '127.0.0.1', port: s.port, message: adt('TLS2'), tls: {}, timeoutMs: 3000 }).catch(
      (e) => e,
    );
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(seen).toHaveLength(1);
  });
});

describe('createMllpClient', () => {
  it('sends a stream one at a time over one connection, matching ACKs by MSA-2', async () => {
    const seen: Hl7Message[] = [];
    const { server: s } = await server({
      onMessage: async (m) => {
        seen.push(m);
        await sleep(2);
      },
    });
    const client = createMllpClient({ host: '127.0.0.1', port: s.port });
    cleanups.push(() => client.close());
    const ids = Array.from({ length: 25 }, (_, i) => `S${i}`);
    const acks = await Promise.all(ids.map((id) => client.send(adt(id))));
    expect(acks.map((a) => a.get('MSA-2'))).toEqual(ids);
    expect(seen.map((m) => m.controlId)).toEqual(ids);
  });

  it('reconnects with backoff after the server restarts (connection refused meanwhile)', async () => {
    const first = await server();
    const port = first.server.port;
    const client = createMllpClient({ host: '127.0.0.1', port, reconnect: { retries: 8, minDelayMs: 50, maxDelayMs: 200 } });
    cleanups.push(() => client.close());
    expect(ackCode(await client.send(adt('R1')))).toBe('AA');
    await first.server.close();
    const pending = client.send(adt('R2'));
    await sleep(300); // the client is retrying against a closed port meanwhile
    const second = await server({ port });
    const ack = await pending;
    expect(ack.get('MSA-2')).toBe('R2');
    expect(second.seen.map((m) => m.controlId)).toEqual(['R2']);
    expect(ackCode(await client.send(adt('R3')))).toBe('AA');
  });

  it('ignores a stale ACK for another message and waits for its own', async () => {
    const net = await import('node:net');
    const fake = await listenOnLoopback(
      net.createServer((socket) => {
        socket.once('data', () => {
          socket.write(frameMllp('MSH|^~\\&|X||||||ACK^A04^ACK|1|P|2.5\rMSA|AA|SOMETHING-ELSE'));
          setTimeout(() => socket.write(frameMllp('MSH|^~\\&|X||||||ACK^A04^ACK|2|P|2.5\rMSA|AE|MINE')), 30);
        });
      }),
    );
    cleanups.push(() => fake.close());
    const client = createMllpClient({ host: '127.0.0.1', port: fake.port });
    cleanups.push(() => client.close());
    const ack = await client.send(adt('MINE'));
    expect(ack.get('MSA-2')).toBe('MINE');
    expect(ackCode(ack)).toBe('AE');
  });

  it('rejects sends after close()', async () => {
    const client = createMllpClient({ host: '127.0.0.1', port: 9 });
    await client.close();
    await expect(client.send(adt('X'))).rejects.toMatchObject({ code: 'aborted' });
  });
});
