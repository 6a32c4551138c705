import { createMemoryStateStore } from '@hmi/flow';
import { describe, expect, it } from 'vitest';
import { createMemoryGatewayData, createStateStoreGatewayData, type GatewayData } from '../src/index.js';
import { setup, testClock } from './helpers.js';

const DAY = 24 * 60 * 60 * 1000;

describe('Idempotency-Key', () => {
  for (const kind of ['state store', 'memory'] as const) {
    it(`replays the stored response for the same key and body, 422 for a different body (${kind})`, async () => {
      const clock = testClock();
      const data: GatewayData | undefined = kind === 'memory' ? createMemoryGatewayData({ now: clock.now }) : undefined;
      const { call, json, store } = await setup({ ...(data && { data }), now: clock.now });
      const headers = { 'idempotency-key': 'form-7f3a' };
      const first = await call('POST', '/v1/leads', { body: { email: 'lead@example.sa' }, headers });
      expect(first.status).toBe(201);
      const firstBody = await json(first);
      const again = await call('POST', '/v1/leads', { body: { email: 'lead@example.sa' }, headers });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await json(again)).toEqual(firstBody);
      expect(again.headers.get('location')).toBe(first.headers.get('location'));

      const changed = await call('POST', '/v1/leads', { body: { email: 'other@example.sa' }, headers });
      expect(changed.status).toBe(422);
      expect((await json(changed)).type).toBe('urn:hmi:problem:idempotency-key-reused');

      // After 24 h the key is forgotten: the same request runs again (and now deduplicates: 200).
      clock.advance(DAY);
      const later = await call('POST', '/v1/leads', { body: { email: 'lead@example.sa' }, headers });
      expect(later.status).toBe(200);
      expect(later.headers.get('idempotent-replayed')).toBeNull();
      const audit = await store.queryAudit({ operation: 'gateway.createLead' });
      expect(audit.map((a) => a.outcome)).toEqual(['success', 'duplicate', 'rejected', 'success']);
    });
  }

  it('lets exactly one of two concurrent requests with the same key run', async () => {
    const { call, json } = await setup();
    const headers = { 'idempotency-key': 'double-click' };
    const answers = await Promise.all([1, 2].map(() => call('POST', '/v1/leads', { body: { email: 'x@example.sa' }, headers })));
    const ran = answers.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null);
    expect(ran).toHaveLength(1);
    const other = answers.find((r) => r !== ran[0])!;
    // The other one came while the first ran (409, try again) or after it (the stored answer).
    if (other.status === 201) {
      expect(other.headers.get('idempotent-replayed')).toBe('true');
      expect((await json(other)).contact.id).toBe((await json(ran[0]!)).contact.id);
    } else {
      expect(other.status).toBe(409);
      expect(other.headers.get('retry-after')).toBe('1');
    }
  });

  it('creates one contact for concurrent leads with the same phone in different formats', async () => {
    const { call, json } = await setup();
    const phones = ['0555123456', '+966555123456', '00966555123456', '٠٥٥٥١٢٣٤٥٦', '+966 55 512 3456'];
    const results = await Promise.all(phones.map((phone) => call('POST', '/v1/leads', { body: { phone } }).then(json)));
    expect(new Set(results.map((r) => r.contact.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('scopes keys per client and refuses malformed keys', async () => {
    const { gateway, call } = await setup();
    const other = (await gateway.keys.create({ name: 'other', scopes: ['leads:write'] })).key;
    const headers = { 'idempotency-key': 'shared-key' };
    expect((await call('POST', '/v1/leads', { body: { email: 'a@example.sa' }, headers })).status).toBe(201);
    const theirs = await call('POST', '/v1/leads', { key: other, body: { email: 'b@example.sa' }, headers });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    const bad = await call('POST', '/v1/leads', {
      body: { email: 'a@example.sa' },
      headers: { 'idempotency-key': 'x'.repeat(300) },
    });
    expect(bad.status).toBe(400);
  });

  it('stores problems a handler answers, but releases the key after an unexpected failure', async () => {
    let fail = true;
    const clock = testClock();
    const base = createMemoryGatewayData({ now: clock.now });
    const data: GatewayData = {
      ...base,
      putContact: async (c) => {
        if (fail) throw new Error('disk full');
        return base.putContact(c);
      },
    };
    const { call, json } = await setup({ data }, clock);
    const headers = { 'idempotency-key': 'retry-me' };
    const missing = await call('POST', '/v1/consents', {
      body: { contactId: 'ct_nope', channel: 'sms', purpose: 'marketing', status: 'granted', source: 'x' },
      headers: { 'idempotency-key': 'k404' },
    });
    expect(missing.status).toBe(404);
    const missingAgain = await call('POST', '/v1/consents', {
      body: { contactId: 'ct_nope', channel: 'sms', purpose: 'marketing', status: 'granted', source: 'x' },
      headers: { 'idempotency-key': 'k404' },
    });
    expect(missingAgain.headers.get('idempotent-replayed')).toBe('true');
    expect(missingAgain.status).toBe(404);

    expect((await call('POST', '/v1/leads', { body: { email: 'a@example.sa' }, headers })).status).toBe(500);
    fail = false;
    const retried = await call('POST', '/v1/leads', { body: { email: 'a@example.sa' }, headers });
    expect(retried.status).toBe(201);
    expect((await json(retried)).created).toBe(true);
  });

  it('answers 409 while the first request with a key is still running', async () => {
    const data = createMemoryGatewayData();
    await data.beginIdempotent('x', 'f', DAY);
    expect(await data.beginIdempotent('x', 'f', DAY)).toEqual({ state: 'in-progress' });
    expect(await data.beginIdempotent('x', 'g', DAY)).toEqual({ state: 'mismatch' });
  });
});

describe('GatewayData implementations', () => {
  const impls: Array<[string, (now: () => number) => GatewayData]> = [
    ['memory', (now) => createMemoryGatewayData({ now })],
    ['state store', (now) => createStateStoreGatewayData(createMemoryStateStore({ now }), { now })],
  ];
  for (const [name, make] of impls) {
    it(`${name}: binds dedupe keys atomically and keeps consents in order`, async () => {
      const clock = testClock();
      const data = make(clock.now);
      const results = await Promise.all(['a', 'b', 'c', 'd'].map((id) => data.bindIndex('riyadh|phone|+966555123456', id)));
      expect(new Set(results).size).toBe(1);
      expect(await data.findIndex('riyadh|phone|+966555123456')).toBe(results[0]);
      await Promise.all(
        [1, 2, 3].map((i) =>
          data.addConsent({
            id: `c${i}`,
            contactId: 'ct',
            channel: 'sms',
            purpose: 'marketing',
            status: 'granted',
            source: 's',
            recordedAt: i,
          }),
        ),
      );
      expect((await data.listConsents('ct')).map((c) => c.id).sort()).toEqual(['c1', 'c2', 'c3']);
    });

    it(`${name}: idempotency records expire and a failed request can be retried`, async () => {
      const clock = testClock();
      const data = make(clock.now);
      expect(await data.beginIdempotent('k', 'f1', 1000)).toEqual({ state: 'new' });
      await data.finishIdempotent('k', { fingerprint: 'f1', state: 'failed', expiresAt: clock.now() + 1000 });
      expect(await data.beginIdempotent('k', 'f1', 1000)).toEqual({ state: 'new' });
      await data.finishIdempotent('k', {
        fingerprint: 'f1',
        state: 'done',
        status: 201,
        body: '{}',
        expiresAt: clock.now() + 1000,
      });
      expect((await data.beginIdempotent('k', 'f1', 1000)).state).toBe('replay');
      clock.advance(1000);
      expect(await data.beginIdempotent('k', 'f2', 1000)).toEqual({ state: 'new' });
    });
  }

  it('the state-store data deletes expired idempotency records from the store', async () => {
    const clock = testClock();
    const store = createMemoryStateStore({ now: clock.now });
    const data = createStateStoreGatewayData(store, { now: clock.now });
    await data.beginIdempotent('old', 'f', 60_000);
    expect(await store.getCheckpoint('hmi-gateway/idem/old')).toBeDefined();
    clock.advance(120_000);
    await data.beginIdempotent('new', 'f', 60_000);
    expect(await store.getCheckpoint('hmi-gateway/idem/old')).toBeUndefined();
  });
});
