// A client generated from /openapi.json (openapi-typescript → test/generated/api.d.ts) driving the
// real gateway through openapi-fetch. `tsc` checks these calls against the generated types, so a
// document that drifts from the handlers fails the typecheck or these assertions.
import createClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import type { components, paths } from './generated/api.js';
import { setup } from './helpers.js';

describe('generated client', () => {
  it('creates a lead, reads the contact and pages the audit trail with typed calls', async () => {
    const { gateway, admin } = await setup();
    const client = createClient<paths>({
      baseUrl: 'http://gw.test',
      fetch: (request: Request) => gateway(request),
      headers: { authorization: `Bearer ${admin}` },
    });
    const lead = await client.POST('/v1/leads', {
      body: { name: 'Fatima Al-Harbi', phone: '+966 50 123 4567', consents: [{ channel: 'sms', purpose: 'marketing' }] },
      params: { header: { 'Idempotency-Key': 'client-test-1' } },
    });
    expect(lead.response.status).toBe(201);
    const contactId: string = lead.data!.contact.id;
    const created: boolean = lead.data!.created;
    expect(created).toBe(true);

    const contact = await client.GET('/v1/contacts/{id}', { params: { path: { id: contactId } } });
    expect(contact.data?.phones?.[0]?.value).toBe('+966501234567');

    const audit = await client.GET('/v1/audit', { params: { query: { limit: 10, order: 'asc' } } });
    const operations: string[] = audit.data!.items.map((r) => r.operation);
    expect(operations).toEqual(['gateway.createLead', 'gateway.getContact']);

    const me = await client.GET('/v1/me');
    expect(me.data?.scopes).toContain('audit:read');

    const input: components['schemas']['LeadInput'] = {
      email: 'a@b.sa',
      // @ts-expect-error the generated types refuse unknown fields, as the gateway does
      isAdmin: true,
    };
    const refused = await client.POST('/v1/leads', { body: input });
    expect(refused.response.status).toBe(400);
    expect(refused.error?.type).toBe('urn:hmi:problem:validation-failed');
  });
});
