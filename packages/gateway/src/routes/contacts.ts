import { createHash, randomUUID } from 'node:crypto';
import { tryNormalizePhone } from '@hmi/phone';
import type { z } from 'zod';
import type { GatewayClient } from '../auth/types.js';
import type { StoredConsent, StoredContact } from '../data/types.js';
import { GatewayProblem } from '../http/problem.js';
import { ConsentInput, ConsentView, ContactView, ContactWrite, IdParams, LeadInput, LeadResult } from '../schemas.js';
import type { GatewayDeps, RouteDef } from './types.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** A contact as this client may see it: PHI fields only with `contacts:read:phi` (minimum necessary). */
export function contactView(contact: StoredContact, client: GatewayClient): z.input<typeof ContactView> {
  const base = {
    id: contact.id,
    kind: contact.kind,
    facility: contact.facility ?? null,
    source: contact.source,
    languages: [...contact.languages],
    hasPhone: contact.phones.length > 0,
    hasEmail: contact.emails.length > 0,
    ...(contact.active !== undefined && { active: contact.active }),
    createdAt: iso(contact.createdAt),
    updatedAt: iso(contact.updatedAt),
  };
  if (!client.scopes.has('contacts:read:phi')) return base;
  return {
    ...base,
    names: contact.names,
    phones: contact.phones,
    emails: contact.emails,
    ...(contact.gender !== undefined && { gender: contact.gender }),
    ...(contact.birthDate !== undefined && { birthDate: contact.birthDate }),
  };
}

/** A consent as the API returns it. */
export function consentView(c: StoredConsent): z.input<typeof ConsentView> {
  return { ...c, recordedAt: iso(c.recordedAt) };
}

/**
 * Loads a contact the client may see. Another facility's contact answers 404 exactly like a missing
 * one, so ids cannot be probed across facilities (API1 BOLA).
 */
export async function loadContact(deps: GatewayDeps, client: GatewayClient, id: string): Promise<StoredContact> {
  const contact = await deps.data.getContact(id);
  if (!contact || (client.facility !== undefined && contact.facility !== client.facility)) {
    throw new GatewayProblem('not-found');
  }
  return contact;
}

function normalisePhone(raw: string, deps: GatewayDeps, pointer: string): string {
  const e164 = tryNormalizePhone(raw, { defaultRegion: deps.defaultRegion });
  if (!e164)
    throw new GatewayProblem('validation-failed', 'a phone number is not valid', {
      errors: [{ pointer, code: 'invalid_phone' }],
    });
  return e164;
}

/** The facility a new object gets: the client's own, or the one an unconfined client names. */
function facilityFor(client: GatewayClient, requested: string | undefined): string | undefined {
  if (client.facility === undefined) return requested;
  if (requested !== undefined && requested !== client.facility) {
    // A confined client naming a facility is a privileged field (API3): refused, not ignored.
    throw new GatewayProblem('validation-failed', 'facility is set by the credentials', {
      errors: [{ pointer: '/facility', code: 'privileged_field' }],
    });
  }
  return client.facility;
}

const createLead: RouteDef = {
  method: 'POST',
  path: '/v1/leads',
  operationId: 'createLead',
  summary: 'Create a lead from a form (deduplicated by phone and email)',
  description:
    'Creates a contact of kind `lead` with the consents given, or adds to the contact that already has the same phone (E.164) or email in the same facility. 201 when created, 200 when deduplicated.',
  tag: 'Contacts',
  scope: 'leads:write',
  body: LeadInput,
  responses: {
    201: { description: 'Created', schema: LeadResult },
    200: { description: 'Matched an existing contact', schema: LeadResult },
  },
  problems: [422],
  async handler(ctx, deps) {
    const lead = ctx.body as z.output<typeof LeadInput>;
    const facility = facilityFor(ctx.client, lead.facility);
    const phone = lead.phone === undefined ? undefined : normalisePhone(lead.phone, deps, '/phone');
    const email = lead.email?.toLowerCase();
    const t = deps.now();
    const scope = facility ?? '*';
    const newId = `ct_${randomUUID().replaceAll('-', '')}`;
    // The phone decides first, then the email; binding is atomic, so of two concurrent leads with
    // the same phone one creates the contact and the other joins it.
    const keys = [...(phone ? [`${scope}|phone|${phone}`] : []), ...(email ? [`${scope}|email|${email}`] : [])];
    let contactId = newId;
    for (const key of keys) {
      const found = await deps.data.findIndex(key);
      if (found !== undefined) {
        contactId = found;
        break;
      }
    }
    for (const key of keys) {
      const bound = await deps.data.bindIndex(key, contactId);
      if (bound !== contactId && contactId === newId) contactId = bound;
    }
    let contact = contactId === newId ? undefined : await deps.data.getContact(contactId);
    const created = contact === undefined;
    const name = lead.name ?? lead.givenName ?? lead.familyName;
    const nameEntry =
      name === undefined
        ? undefined
        : {
            ...(lead.name !== undefined && { text: lead.name }),
            ...(lead.givenName !== undefined && { given: [lead.givenName] }),
            ...(lead.familyName !== undefined && { family: lead.familyName }),
            ...(lead.language !== undefined && { language: lead.language }),
          };
    if (!contact) {
      contact = {
        id: newId,
        kind: 'lead',
        facility,
        source: lead.source,
        names: nameEntry ? [nameEntry] : [],
        phones: phone ? [{ value: phone, use: 'mobile' }] : [],
        emails: email ? [{ value: email }] : [],
        languages: lead.language ? [lead.language] : [],
        createdAt: t,
        updatedAt: t,
      };
    } else {
      // Fill in what the contact lacks; never overwrite what another system recorded.
      if (phone && !contact.phones.some((p) => p.value === phone)) contact.phones.push({ value: phone, use: 'mobile' });
      if (email && !contact.emails.some((e) => e.value === email)) contact.emails.push({ value: email });
      if (nameEntry && contact.names.length === 0) contact.names.push(nameEntry);
      if (lead.language && !contact.languages.includes(lead.language)) contact.languages.push(lead.language);
      contact.updatedAt = t;
    }
    await deps.data.putContact(contact);
    const consents: StoredConsent[] = [];
    for (const c of lead.consents) {
      const consent: StoredConsent = {
        id: `cs_${randomUUID().replaceAll('-', '')}`,
        contactId: contact.id,
        channel: c.channel,
        purpose: c.purpose,
        status: c.status,
        source: lead.source,
        recordedAt: t,
      };
      await deps.data.addConsent(consent);
      consents.push(consent);
    }
    ctx.recordIds.push(contact.id);
    if (deps.leadTopic) {
      // Keyed by the request, so a retried request (same Idempotency-Key) never enqueues twice.
      await deps.store.enqueue([
        {
          id: `${deps.leadTopic}:${contact.id}:${ctx.idempotencyKey ? createHash('sha256').update(ctx.idempotencyKey).digest('hex').slice(0, 32) : ctx.requestId}`,
          topic: deps.leadTopic,
          payload: { contactId: contact.id, created, source: lead.source },
          orderingKey: contact.id,
          integrationPoint: 'gateway-leads',
        },
      ]);
      deps.onLead?.();
    }
    return {
      status: created ? 201 : 200,
      headers: { location: `/v1/contacts/${contact.id}` },
      body: { created, contact: contactView(contact, ctx.client), consents: consents.map(consentView) },
    };
  },
};

const getContact: RouteDef = {
  method: 'GET',
  path: '/v1/contacts/{id}',
  operationId: 'getContact',
  summary: 'Read a contact (PHI fields need contacts:read:phi)',
  tag: 'Contacts',
  scope: 'contacts:read',
  params: IdParams,
  responses: { 200: { description: 'The contact', schema: ContactView } },
  async handler(ctx, deps) {
    const contact = await loadContact(deps, ctx.client, ctx.params.id);
    ctx.recordIds.push(contact.id);
    return { status: 200, body: contactView(contact, ctx.client) };
  },
};

const putContact: RouteDef = {
  method: 'PUT',
  path: '/v1/contacts/{id}',
  operationId: 'replaceContact',
  summary: "Replace a contact's editable fields",
  description: 'Updates an existing contact; `id`, `facility` and timestamps are not editable and are refused in the body.',
  tag: 'Contacts',
  scope: 'contacts:write',
  params: IdParams,
  body: ContactWrite,
  responses: { 200: { description: 'The updated contact', schema: ContactView } },
  async handler(ctx, deps) {
    const contact = await loadContact(deps, ctx.client, ctx.params.id);
    const input = ctx.body as z.output<typeof ContactWrite>;
    const phones = input.phones.map((p, i) => ({ ...p, value: normalisePhone(p.value, deps, `/phones/${i}/value`) }));
    const emails = input.emails.map((e) => ({ ...e, value: e.value.toLowerCase() }));
    const scope = contact.facility ?? '*';
    for (const p of phones) await deps.data.bindIndex(`${scope}|phone|${p.value}`, contact.id);
    for (const e of emails) await deps.data.bindIndex(`${scope}|email|${e.value}`, contact.id);
    const updated: StoredContact = {
      ...contact,
      kind: input.kind,
      names: input.names,
      phones,
      emails,
      languages: input.languages,
      updatedAt: deps.now(),
    };
    if (input.gender !== undefined) updated.gender = input.gender;
    else delete updated.gender;
    if (input.birthDate !== undefined) updated.birthDate = input.birthDate;
    else delete updated.birthDate;
    if (input.active !== undefined) updated.active = input.active;
    await deps.data.putContact(updated);
    ctx.recordIds.push(contact.id);
    return { status: 200, body: contactView(updated, ctx.client) };
  },
};

const createConsent: RouteDef = {
  method: 'POST',
  path: '/v1/consents',
  operationId: 'recordConsent',
  summary: 'Record an opt-in or opt-out by channel and purpose',
  tag: 'Contacts',
  scope: 'consents:write',
  body: ConsentInput,
  responses: { 201: { description: 'Recorded', schema: ConsentView } },
  async handler(ctx, deps) {
    const input = ctx.body as z.output<typeof ConsentInput>;
    const contact = await loadContact(deps, ctx.client, input.contactId);
    const consent: StoredConsent = {
      id: `cs_${randomUUID().replaceAll('-', '')}`,
      contactId: contact.id,
      channel: input.channel,
      purpose: input.purpose,
      status: input.status,
      source: input.source,
      recordedAt: input.recordedAt === undefined ? deps.now() : Date.parse(input.recordedAt),
    };
    await deps.data.addConsent(consent);
    ctx.recordIds.push(contact.id, consent.id);
    return { status: 201, body: consentView(consent) };
  },
};

/** The contact, lead and consent routes. @internal */
export const contactRoutes: RouteDef[] = [createLead, getContact, putContact, createConsent];

/**
 * Whether the latest consent decision for a contact covering this channel and purpose is a grant.
 * A decision for `any` channel or purpose covers all; the most recent decision wins.
 */
export function consentAllows(consents: readonly StoredConsent[], channel: string, purpose: string): boolean {
  let latest: StoredConsent | undefined;
  for (const c of consents) {
    if (c.channel !== 'any' && c.channel !== channel) continue;
    if (c.purpose !== 'any' && c.purpose !== purpose) continue;
    if (!latest || c.recordedAt >= latest.recordedAt) latest = c;
  }
  return latest?.status === 'granted';
}
