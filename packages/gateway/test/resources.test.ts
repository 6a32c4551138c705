import { describe, expect, it } from 'vitest';
import { setup } from './helpers.js';

describe('leads and contacts', () => {
  it('creates a lead with consent and deduplicates by E.164 phone across formats', async () => {
    const { call, json } = await setup();
    const first = await call('POST', '/v1/leads', {
      body: {
        name: 'محمد عبدالله',
        phone: '٠٥٥٥١٢٣٤٥٦',
        language: 'ar',
        source: 'website-contact-form',
        consents: [{ channel: 'sms', purpose: 'marketing' }],
      },
    });
    expect(first.status).toBe(201);
    const a = await json(first);
    expect(a.created).toBe(true);
    expect(a.contact.phones).toEqual([{ value: '+966555123456', use: 'mobile' }]);
    expect(a.consents).toHaveLength(1);
    expect(first.headers.get('location')).toBe(`/v1/contacts/${a.contact.id}`);

    const second = await call('POST', '/v1/leads', { body: { phone: '+966 55 512 3456', email: 'M@Example.sa' } });
    expect(second.status).toBe(200);
    const b = await json(second);
    expect(b.created).toBe(false);
    expect(b.contact.id).toBe(a.contact.id);
    expect(b.contact.emails).toEqual([{ value: 'm@example.sa' }]);

    // Now the email alone finds the same contact.
    const third = await json(await call('POST', '/v1/leads', { body: { email: 'm@example.sa' } }));
    expect(third.contact.id).toBe(a.contact.id);
  });

  it('keeps facilities apart when deduplicating', async () => {
    const { gateway, call, json } = await setup();
    const riyadh = (await gateway.keys.create({ name: 'r', scopes: ['leads:write'], facility: 'riyadh' })).key;
    const jeddah = (await gateway.keys.create({ name: 'j', scopes: ['leads:write'], facility: 'jeddah' })).key;
    const r = await json(await call('POST', '/v1/leads', { key: riyadh, body: { phone: '+966555123456' } }));
    const j = await json(await call('POST', '/v1/leads', { key: jeddah, body: { phone: '+966555123456' } }));
    expect(r.created && j.created).toBe(true);
    expect(r.contact.id).not.toBe(j.contact.id);
    expect(r.contact.facility).toBe('riyadh');
  });

  it('needs a phone or an email, and refuses an invalid phone without echoing it', async () => {
    const { call } = await setup();
    const none = await call('POST', '/v1/leads', { body: { name: 'x' } });
    expect(none.status).toBe(400);
    const bad = await call('POST', '/v1/leads', { body: { phone: '12-SECRET-99' } });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).not.toContain('SECRET');
    expect(JSON.parse(text).errors).toEqual([{ pointer: '/phone', code: 'invalid_phone' }]);
  });

  it('replaces a contact with PUT and reads it back with and without PHI scope', async () => {
    const { gateway, call, json } = await setup();
    const { contact } = await json(await call('POST', '/v1/leads', { body: { phone: '+971501234567' } }));
    const put = await call('PUT', `/v1/contacts/${contact.id}`, {
      body: {
        kind: 'patient',
        names: [{ text: 'Aisha Al Nahyan', language: 'en' }],
        phones: [{ value: '+971 50 123 4567' }],
        birthDate: '1990-02-01',
      },
    });
    expect(put.status).toBe(200);
    const full = await json(await call('GET', `/v1/contacts/${contact.id}`));
    expect(full.kind).toBe('patient');
    expect(full.birthDate).toBe('1990-02-01');
    const narrow = (await gateway.keys.create({ name: 'bi', scopes: ['contacts:read'] })).key;
    const minimal = await json(await call('GET', `/v1/contacts/${contact.id}`, { key: narrow }));
    expect(minimal).toMatchObject({ id: contact.id, kind: 'patient', hasPhone: true, hasEmail: false });
    for (const field of ['names', 'phones', 'emails', 'birthDate', 'gender']) expect(minimal).not.toHaveProperty(field);
    expect(await call('GET', '/v1/contacts/ct_missing').then((r) => r.status)).toBe(404);
  });

  it('puts accepted leads in the outbox for a worker, ids only, once per Idempotency-Key', async () => {
    const { call, json, store } = await setup({ flow: { leadTopic: 'deliver:crm-lead' } });
    const headers = { 'idempotency-key': 'lead-1' };
    const { contact } = await json(await call('POST', '/v1/leads', { body: { name: 'Huda', phone: '+966555123456' }, headers }));
    await call('POST', '/v1/leads', { body: { name: 'Huda', phone: '+966555123456' }, headers });
    await call('POST', '/v1/leads', { body: { phone: '0555123456', source: 'app' } });
    const items = await store.claim({ limit: 10, leaseMs: 1000, topics: ['deliver:crm-lead'] });
    // One per contact is claimable at a time (ordering key); both are queued.
    expect(items).toHaveLength(1);
    expect(items[0]!.payload).toEqual({ contactId: contact.id, created: true, source: 'api' });
    expect(JSON.stringify(items[0])).not.toContain('Huda');
    expect((await store.outboxStats()).pending).toBe(2);
  });

  it('records consents for a contact', async () => {
    const { call, json } = await setup();
    const { contact } = await json(await call('POST', '/v1/leads', { body: { email: 'a@b.sa' } }));
    const res = await call('POST', '/v1/consents', {
      body: { contactId: contact.id, channel: 'email', purpose: 'marketing', status: 'revoked', source: 'call-centre' },
    });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ contactId: contact.id, status: 'revoked', recordedAt: '2026-01-05T09:00:00.000Z' });
  });
});
