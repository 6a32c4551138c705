import { ValidationError } from '@hmi/core';
import { createOutboxWorker } from '@hmi/flow';
import { describe, expect, it } from 'vitest';
import { ALL_SCOPES, setup } from './helpers.js';

const decoder = new TextDecoder();

/** Reads the stream until `predicate` matches the text so far (bounded by `max` chunks). */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, predicate: (text: string) => boolean, max = 20) {
  let text = '';
  for (let i = 0; i < max && !predicate(text); i++) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  return text;
}

describe('GET /v1/events', () => {
  it('streams dead letters and replays from the real outbox worker, filtered by facility', async () => {
    const { gateway, store, telemetry, call } = await setup({
      flow: { integrations: { 'erp-invoices': { facility: 'riyadh' }, 'ehr-jeddah': { facility: 'jeddah' } } },
    });
    const jeddah = (await gateway.keys.create({ name: 'j', scopes: ALL_SCOPES, facility: 'jeddah' })).key;
    const all = await call('GET', '/v1/events');
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const confined = await call('GET', '/v1/events', { key: jeddah });
    const reader = all.body!.getReader();
    const confinedReader = confined.body!.getReader();
    expect(await readUntil(reader, (t) => t.includes(': connected'))).toContain('retry: 5000');
    await readUntil(confinedReader, (t) => t.includes(': connected'));

    const worker = createOutboxWorker({
      store,
      telemetry,
      deliver: async () => {
        throw new ValidationError('the ERP refused invoice for patient +966555123456');
      },
    });
    await store.enqueue([
      { id: 'inv-1', topic: 'deliver:erp', payload: { patient: '+966555123456' }, integrationPoint: 'erp-invoices' },
    ]);
    await worker.drain();
    const added = await readUntil(reader, (t) => t.includes('dead-letter.added'));
    expect(added).toMatch(
      /event: dead-letter\.added\ndata: \{"id":"inv-1","integrationPoint":"erp-invoices","attempts":1,"errorCode":"validation_error"\}/,
    );
    expect(added).not.toContain('+966555123456');

    expect((await call('POST', '/v1/dead-letters/inv-1/replay')).status).toBe(200);
    expect(await readUntil(reader, (t) => t.includes('dead-letter.replayed'))).toContain('"id":"inv-1"');

    // The Jeddah client saw neither: its first event is its own facility's dead letter.
    await store.enqueue([{ id: 'adt-9', topic: 'deliver:ehr', payload: {}, integrationPoint: 'ehr-jeddah' }]);
    await worker.drain();
    const seen = await readUntil(confinedReader, (t) => t.includes('dead-letter.added'));
    expect(seen).toContain('"id":"adt-9"');
    expect(seen).not.toContain('inv-1');
    await confinedReader.cancel();
    await reader.cancel();
    expect(gateway.eventStreams).toBe(0);
  });

  it('caps open streams per client with 429 and frees a slot when a stream ends', async () => {
    const { gateway, call, json } = await setup({ limits: { maxEventStreamsPerClient: 2 } });
    const a = await call('GET', '/v1/events');
    const b = await call('GET', '/v1/events');
    const c = await call('GET', '/v1/events');
    expect([a.status, b.status, c.status]).toEqual([200, 200, 429]);
    expect((await json(c)).type).toBe('urn:hmi:problem:too-many-streams');
    const other = (await gateway.keys.create({ name: 'other', scopes: ['events:read'] })).key;
    const d = await call('GET', '/v1/events', { key: other });
    expect(d.status).toBe(200);
    await a.body!.cancel();
    const e = await call('GET', '/v1/events');
    expect(e.status).toBe(200);
    expect(gateway.eventStreams).toBe(3);
    await gateway.close();
    expect(gateway.eventStreams).toBe(0);
  });

  it('closes a stream when the request is aborted', async () => {
    const { gateway, admin } = await setup();
    const controller = new AbortController();
    const res = await gateway(
      new Request('http://gw.test/v1/events', { headers: { authorization: `Bearer ${admin}` }, signal: controller.signal }),
    );
    expect(gateway.eventStreams).toBe(1);
    controller.abort();
    expect(gateway.eventStreams).toBe(0);
    await res.body?.cancel().catch(() => {});
  });
});
