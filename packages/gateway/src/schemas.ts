import { phi } from '@hmi/core';
import { z } from 'zod';

/**
 * The gateway's request and response schemas. The same objects validate requests and produce the
 * OpenAPI document (zod's JSON Schema output), so the two cannot drift. Request objects are strict:
 * an unknown or privileged field is refused, never silently dropped or applied (OWASP API3).
 */

/**
 * Named request schemas: `components.schemas` of the OpenAPI document, as JSON Schema of their
 * input. Filled once when this module loads, never changed afterwards.
 */
export const requestSchemas = z.registry<{ id: string }>();
/** Named response schemas, as JSON Schema of their output. */
export const responseSchemas = z.registry<{ id: string }>();

const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'expected an id');
const Text = (max: number) => z.string().min(1).max(max);
const Channel = z.enum(['sms', 'email', 'whatsapp', 'phone', 'post']);
const Timestamp = z.iso.datetime({ offset: true });

/** Consent channels, including `any`. */
export const ConsentChannelSchema = z.enum(['sms', 'email', 'whatsapp', 'phone', 'post', 'any']);
/** Consent purposes, including `any`. */
export const ConsentPurposeSchema = z.enum(['marketing', 'transactional', 'research', 'data-sharing', 'any']);

/** A consent given with a lead. */
export const LeadConsent = z.strictObject({
  channel: ConsentChannelSchema,
  purpose: ConsentPurposeSchema,
  status: z.enum(['granted', 'revoked']).default('granted'),
});

/** `POST /v1/leads`: a website or app form. Needs a phone or an email. */
export const LeadInput = z
  .strictObject({
    /** The full name as typed, Arabic or English. */
    name: phi(Text(200)).optional(),
    givenName: phi(Text(100)).optional(),
    familyName: phi(Text(100)).optional(),
    /** Any common form: `+966 55 512 3456`, `0555123456` (read with the gateway's default region), Arabic-Indic digits. */
    phone: phi(Text(64)).optional(),
    email: phi(z.email().max(254)).optional(),
    /** Preferred language, `ar` or `en` (BCP 47). */
    language: z.string().min(2).max(35).optional(),
    /** Which form or system sent it, e.g. `website-contact-form`. */
    source: Text(100)
      .regex(/^[A-Za-z0-9._:/-]+$/, 'expected a source id')
      .default('api'),
    consents: z.array(LeadConsent).max(10).default([]),
    /** Only for clients without a facility of their own; a facility-scoped client's leads are its facility's. */
    facility: Text(64).optional(),
  })
  .refine((lead) => lead.phone !== undefined || lead.email !== undefined, {
    message: 'a lead needs a phone or an email',
    path: ['phone'],
  })
  .register(requestSchemas, { id: 'LeadInput' });

const NameInput = z.strictObject({
  use: z.enum(['official', 'usual', 'nickname']).optional(),
  text: phi(Text(200)).optional(),
  given: phi(z.array(Text(100)).max(5)).optional(),
  family: phi(Text(100)).optional(),
  language: z.string().min(2).max(35).optional(),
});

/** `PUT /v1/contacts/{id}`: replaces a contact's editable fields. `id`, `facility` and timestamps are not editable. */
export const ContactWrite = z
  .strictObject({
    kind: z.enum(['patient', 'lead', 'other']).default('lead'),
    names: z.array(NameInput).max(10).default([]),
    phones: z
      .array(z.strictObject({ value: phi(Text(64)), use: z.enum(['mobile', 'home', 'work']).optional() }))
      .max(10)
      .default([]),
    emails: z
      .array(z.strictObject({ value: phi(z.email().max(254)), use: z.enum(['home', 'work']).optional() }))
      .max(10)
      .default([]),
    gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
    birthDate: phi(z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/)).optional(),
    languages: z.array(z.string().min(2).max(35)).max(10).default([]),
    active: z.boolean().optional(),
  })
  .register(requestSchemas, { id: 'ContactWrite' });

/** A contact as the gateway returns it. PHI fields are present only with `contacts:read:phi`. */
export const ContactView = z
  .object({
    id: z.string(),
    kind: z.enum(['patient', 'lead', 'other']),
    facility: z.string().nullable(),
    source: z.string(),
    languages: z.array(z.string()),
    hasPhone: z.boolean(),
    hasEmail: z.boolean(),
    active: z.boolean().optional(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    names: z
      .array(
        z.object({
          use: z.string().optional(),
          text: z.string().optional(),
          given: z.array(z.string()).optional(),
          family: z.string().optional(),
          language: z.string().optional(),
        }),
      )
      .optional(),
    phones: z.array(z.object({ value: z.string(), use: z.string().optional() })).optional(),
    emails: z.array(z.object({ value: z.string(), use: z.string().optional() })).optional(),
    gender: z.string().optional(),
    birthDate: z.string().optional(),
  })
  .register(responseSchemas, { id: 'Contact' });

/** `POST /v1/consents`: an opt-in or opt-out by channel and purpose. */
export const ConsentInput = z
  .strictObject({
    contactId: Id,
    channel: ConsentChannelSchema,
    purpose: ConsentPurposeSchema,
    status: z.enum(['granted', 'revoked']),
    /** Where the decision was made: `website-form`, `call-centre`, `patient-app`, … */
    source: Text(100).regex(/^[A-Za-z0-9._:/-]+$/, 'expected a source id'),
    /** When the patient decided; now by default. */
    recordedAt: Timestamp.optional(),
  })
  .register(requestSchemas, { id: 'ConsentInput' });

/** A consent record. */
export const ConsentView = z
  .object({
    id: z.string(),
    contactId: z.string(),
    channel: ConsentChannelSchema,
    purpose: ConsentPurposeSchema,
    status: z.enum(['granted', 'revoked']),
    source: z.string(),
    recordedAt: Timestamp,
  })
  .register(responseSchemas, { id: 'Consent' });

/** What `POST /v1/leads` answers. */
export const LeadResult = z
  .object({ created: z.boolean(), contact: ContactView, consents: z.array(ConsentView) })
  .register(responseSchemas, { id: 'LeadResult' });

/** `POST /v1/messages`: a message to a contact through the configured channel, consent-gated. */
export const MessageInput = z
  .strictObject({
    contactId: Id,
    channel: Channel,
    purpose: z.enum(['transactional', 'marketing']),
    body: phi(Text(1600)),
    subject: phi(Text(200).regex(/^[^\r\n]*$/, 'no line breaks')).optional(),
  })
  .register(requestSchemas, { id: 'MessageInput' });

/** What `POST /v1/messages` answers. */
export const MessageResult = z
  .object({
    id: z.string(),
    contactId: z.string(),
    channel: Channel,
    connector: z.string(),
    status: z.string(),
    vendorId: z.string().optional(),
  })
  .register(responseSchemas, { id: 'MessageResult' });

/** An integration point and its health. */
export const IntegrationView = z
  .object({
    id: z.string(),
    description: z.string().optional(),
    connector: z.string().optional(),
    facility: z.string().nullable(),
    running: z.boolean(),
    canRun: z.boolean(),
    lastRunAt: Timestamp.nullable(),
    lastSuccessAt: Timestamp.nullable(),
    lastFailureAt: Timestamp.nullable(),
    lastErrorCode: z.string().nullable(),
    /** Seconds since the last success, or null before the first. */
    lagSeconds: z.number().nullable(),
    /** Failures among the last audited exchanges (up to 200), 0 to 1. */
    errorRate: z.number().min(0).max(1),
    deadLetters: z.number().int(),
    nextRunAt: Timestamp.nullable(),
    status: z.enum(['ok', 'failing', 'idle', 'running']),
  })
  .register(responseSchemas, { id: 'Integration' });

/** `GET /v1/integrations`. */
export const IntegrationList = z.object({ items: z.array(IntegrationView) }).register(responseSchemas, { id: 'IntegrationList' });

/** What `POST /v1/integrations/{id}/runs` answers. */
export const RunAccepted = z
  .object({ integrationPoint: z.string(), status: z.enum(['started']), startedAt: Timestamp })
  .register(responseSchemas, { id: 'RunAccepted' });

/** A dead letter. The payload is present only with `dead-letters:read:phi`. */
export const DeadLetterView = z
  .object({
    id: z.string(),
    topic: z.string(),
    integrationPoint: z.string().nullable(),
    connector: z.string().nullable(),
    attempts: z.number().int(),
    replays: z.number().int(),
    createdAt: Timestamp,
    deadAt: Timestamp.nullable(),
    error: z
      .object({ name: z.string(), code: z.string(), status: z.number().optional(), retryable: z.boolean().optional() })
      .nullable(),
    payload: z.unknown().optional(),
  })
  .register(responseSchemas, { id: 'DeadLetter' });

/** A page of dead letters. */
export const DeadLetterPage = z
  .object({ items: z.array(DeadLetterView), nextCursor: z.string().nullable() })
  .register(responseSchemas, { id: 'DeadLetterPage' });

/** What a replay answers. */
export const ReplayResult = z
  .object({ id: z.string(), replayed: z.literal(true) })
  .register(responseSchemas, { id: 'ReplayResult' });

/** An audit record: ids and codes, never a payload. */
export const AuditView = z
  .object({
    seq: z.number().int(),
    at: Timestamp,
    integrationPoint: z.string(),
    connector: z.string().nullable(),
    operation: z.string(),
    recordIds: z.array(z.string()),
    outcome: z.string(),
    trigger: z.string(),
    errorCode: z.string().nullable(),
    durationMs: z.number().nullable(),
    correlationId: z.string().nullable(),
  })
  .register(responseSchemas, { id: 'AuditRecord' });

/** A page of audit records. */
export const AuditPage = z
  .object({ items: z.array(AuditView), nextCursor: z.string().nullable() })
  .register(responseSchemas, { id: 'AuditPage' });

/** `GET /v1/me`: who the caller is and what it may do, for consoles and for debugging credentials. */
export const MeView = z
  .object({
    client: z.object({ id: z.string(), name: z.string(), kind: z.enum(['api-key', 'jwt', 'mtls', 'host']) }),
    scopes: z.array(z.string()),
    facility: z.string().nullable(),
    /** The operationIds (from /openapi.json) the caller's scopes allow. */
    operations: z.array(z.string()),
    limits: z.object({
      requestsPerWindow: z.number().int(),
      windowSeconds: z.number(),
      maxEventStreams: z.number().int(),
      maxPageSize: z.number().int(),
      maxBodyBytes: z.number().int(),
    }),
  })
  .register(responseSchemas, { id: 'Me' });

/** An RFC 9457 problem. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ pointer: z.string(), code: z.string() })).optional(),
  })
  .register(responseSchemas, { id: 'Problem' });

/** The `id` path parameter. */
export const IdParams = z.strictObject({ id: Id });

const Limit = (max: number) => z.coerce.number().int().min(1).max(max).optional();
const Cursor = z
  .string()
  .regex(/^\d{1,15}$/, 'expected a cursor')
  .optional();

/** Query of `GET /v1/dead-letters`. */
export const DeadLetterQuery = (maxPage: number) =>
  z.strictObject({ integrationPoint: Text(128).optional(), limit: Limit(maxPage), cursor: Cursor });

/** Query of `GET /v1/audit`. */
export const AuditQuerySchema = (maxPage: number) =>
  z.strictObject({
    from: Timestamp.optional(),
    to: Timestamp.optional(),
    integrationPoint: Text(128).optional(),
    operation: Text(128).optional(),
    outcome: z.enum(['success', 'failure', 'retry', 'dead', 'duplicate', 'rejected', 'skipped']).optional(),
    recordId: Text(256).optional(),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: Limit(maxPage),
    cursor: Cursor,
  });

/** No query parameters at all. */
export const EmptyQuery = z.strictObject({});
