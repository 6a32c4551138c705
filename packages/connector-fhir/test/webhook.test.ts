import { createHash } from 'node:crypto';
import { ValidationError, WebhookVerificationError } from '@hmi/core';
import { FHIR_NOTIFICATION_EVENT, readAfterNotification } from '@hmi/connector-fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connector, installFake, mswServer } from './helpers.js';

const SECRET = 'sub_secret_canary_5c8e1a9f';
const server = mswServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

function notification(body: unknown, headers: Record<string, string> = {}, method = 'POST') {
  return new Request('https://crm.example/hooks/fhir', {
    method,
    headers: { 'content-type': 'application/fhir+json', ...headers },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

describe('Subscription rest-hook notifications', () => {
  it('an empty-body ping with the shared secret asks for an incremental read of every stream', async () => {
    const fhir = connector({ subscription: { secret: SECRET } });
    const [event] = await fhir.webhooks.subscription.verify(notification(undefined, { authorization: `Bearer ${SECRET}` }));
    expect(event).toMatchObject({
      type: FHIR_NOTIFICATION_EVENT,
      connector: 'fhir',
      data: { streams: ['patients', 'conditions', 'appointments'], resourceTypes: [], references: [] },
    });
  });

  it('a Bundle names the streams to read; the event carries references only, never content', async () => {
    const fhir = connector({ subscription: { secret: SECRET, header: 'x-subscription-secret' } });
    const bundle = {
      resourceType: 'Bundle',
      id: 'notif-1',
      type: 'history',
      entry: [
        {
          fullUrl: 'https://fhir.test/R4/Patient/pat-sa-1',
          resource: { resourceType: 'Patient', id: 'pat-sa-1', name: [{ text: 'محمد عبدالله' }] },
        },
        { fullUrl: 'https://fhir.test/R4/Appointment/appt-1/_history/3' },
      ],
    };
    const [event] = await fhir.webhooks.subscription.verify(notification(bundle, { 'x-subscription-secret': SECRET }));
    expect(event!.id).toBe('Bundle/notif-1');
    expect(event!.data).toEqual({
      resourceTypes: ['Patient', 'Appointment'],
      streams: ['patients', 'appointments'],
      references: ['Patient/pat-sa-1', 'Appointment/appt-1'],
    });
    expect(JSON.stringify(event)).not.toContain('محمد');
  });

  it('a PUT of the resource itself (HAPI style) is accepted with a version-based event id', async () => {
    const fhir = connector();
    const [event] = await fhir.webhooks.subscription.verify(
      notification({ resourceType: 'Condition', id: 'cond-9', meta: { versionId: '4' } }, {}, 'PUT'),
    );
    expect(event).toMatchObject({ id: 'Condition/cond-9/_history/4', data: { streams: ['conditions'] } });
  });

  it('a body without id gets a content hash id, so redeliveries deduplicate', async () => {
    const fhir = connector();
    const body = JSON.stringify({ resourceType: 'Bundle', type: 'history' });
    const [a] = await fhir.webhooks.subscription.verify(notification(body));
    const [b] = await fhir.webhooks.subscription.verify(notification(body));
    expect(a!.id).toBe(`sha256:${createHash('sha256').update(body).digest('hex')}`);
    expect(a!.id).toBe(b!.id);
  });

  it('refuses a missing or wrong secret, other methods, and non-FHIR bodies', async () => {
    const fhir = connector({ subscription: { secret: SECRET } });
    const results = await Promise.all([
      fhir.webhooks.subscription.verify(notification(undefined)).catch((e: unknown) => e),
      fhir.webhooks.subscription
        .verify(notification(undefined, { authorization: 'Bearer wrong-secret-value' }))
        .catch((e: unknown) => e),
      fhir.webhooks.subscription
        .verify(notification(undefined, { authorization: `Bearer ${SECRET}` }, 'DELETE'))
        .catch((e: unknown) => e),
    ]);
    for (const r of results) {
      expect(WebhookVerificationError.isInstance(r)).toBe(true);
      expect(JSON.stringify(r) + (r as Error).message).not.toContain(SECRET);
    }
    const bad = await fhir.webhooks.subscription
      .verify(notification('{not json', { authorization: `Bearer ${SECRET}` }))
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(bad)).toBe(true);
    const notFhir = await fhir.webhooks.subscription
      .verify(notification({ hello: 'world' }, { authorization: SECRET }))
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(notFhir)).toBe(true);
  });

  it('readAfterNotification runs the incremental reads the event asks for, from saved checkpoints', async () => {
    const fake = installFake(server);
    const fhir = connector({ subscription: { secret: SECRET } });
    const saved: Record<string, unknown> = {};
    for await (const page of readAfterNotification(fhir, {
      data: { streams: ['patients', 'appointments'], resourceTypes: [], references: [] },
    })) {
      saved[page.stream] = page.checkpoint;
    }
    expect(Object.keys(saved)).toEqual(['patients', 'appointments']);
    fake.store.write({
      ...fake.store.read('Appointment', 'appt-2')!,
      status: 'booked',
      start: '2025-04-01T08:00:00Z',
      end: '2025-04-01T08:15:00Z',
    });
    const [event] = await fhir.webhooks.subscription.verify(
      notification({ resourceType: 'Appointment', id: 'appt-2' }, { authorization: `Bearer ${SECRET}` }),
    );
    const pages = [];
    for await (const page of readAfterNotification(fhir, event!, saved as never)) pages.push(page);
    expect(pages.map((p) => p.stream)).toEqual(['appointments']);
    const records = pages.flatMap((p) => p.records as Array<{ id?: string; status?: string }>);
    expect(records.map((r) => [r.id, r.status])).toEqual([['appt-2', 'booked']]);
  });
});
