import { type ActionDefinition, connectorKit, type PersonIdentifier, ValidationError } from '@hmi/core';
import { Contact, PersonIdentifier as PersonIdentifierSchema } from '@hmi/core/schemas';
import { tryNormalizePhone } from '@hmi/phone';
import type { Patient } from '@medplum/fhirtypes';
import { z } from 'zod';
import type { FhirContext } from '../fhir-context.js';
import { FHIR_JSON, ifMatch, parseLocation, searchParams, versionFromEtag } from '../fhir-http.js';
import { FhirBundleSchema, FhirId, FhirPatientSchema } from '../fhir-resources.js';
import { identifierToken } from '../mappers/identifiers.js';
import { contactToFhirPatient, fhirPatientToContact, PATIENT_ELEMENTS } from '../mappers/patient.js';
import { parseOrThrow } from '../mappers/shared.js';
import { fhirNextLink } from '../search/next-link.js';

const { action } = connectorKit<FhirContext>();

/** Identifier kinds in the order conditional create prefers them: the most specific first. */
const IDENTIFIER_PREFERENCE: ReadonlyArray<PersonIdentifier['type']> = [
  'mrn',
  'national-id',
  'iqama',
  'passport',
  'driver-license',
  'insurance',
  'other',
];

const CreatePatientShape = z.object({
  id: z.string(),
  versionId: z.string().optional(),
  created: z.boolean(),
  contact: Contact,
});
/** What createPatient returns. */
export interface CreatePatientOutput {
  /** The FHIR Patient id. */
  id: string;
  versionId?: string | undefined;
  /** False when the conditional create found the patient already there (no duplicate made). */
  created: boolean;
  /** The Patient as the server stored it. */
  contact: Contact;
}
/** Output schema of createPatient. */
export const CreatePatientResult: z.ZodType<CreatePatientOutput, z.input<typeof CreatePatientShape>> = CreatePatientShape;

const UpdatePatientShape = z.object({ id: z.string(), versionId: z.string().optional(), contact: Contact });
/** What updatePatient returns. */
export interface UpdatePatientOutput {
  id: string;
  /** The new version id. */
  versionId?: string | undefined;
  contact: Contact;
}
/** Output schema of updatePatient. */
export const UpdatePatientResult: z.ZodType<UpdatePatientOutput, z.input<typeof UpdatePatientShape>> = UpdatePatientShape;

/** Criteria of searchPatients: any combination (they are ANDed); at least one. */
export interface SearchPatientsQuery {
  /** `system|value`; with only `type`, the configured system of that kind is used. */
  identifier?: { type?: PersonIdentifier['type'] | undefined; system?: string | undefined; value: string } | undefined;
  /** Any format; normalised to E.164 with the default region and also matched as typed. */
  phone?: string | undefined;
  email?: string | undefined;
  /** Matches the start of any name part, Arabic or Latin. */
  name?: string | undefined;
  /** At most this many contacts. Default: the page size. */
  limit?: number | undefined;
}

/** Input schema of searchPatients. */
export const SearchPatientsInput: z.ZodType<SearchPatientsQuery, SearchPatientsQuery> = z
  .object({
    identifier: z
      .object({
        type: PersonIdentifierSchema.shape.type.optional(),
        system: z.string().min(1).optional(),
        value: z.string().min(1),
      })
      .optional(),
    phone: z.string().min(1).optional(),
    email: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .refine((i) => i.identifier || i.phone || i.email || i.name, 'give at least one of identifier, phone, email, name');

const ById = z.object({ id: FhirId });
const WithContact = z.object({ contact: Contact });
const UpdateInput = z.object({ id: FhirId, contact: Contact });
const Contacts = z.array(Contact);

function preferredIdentifier(contact: Contact): PersonIdentifier | undefined {
  for (const kind of IDENTIFIER_PREFERENCE) {
    const found =
      contact.identifiers.find((i) => i.type === kind && i.system) ?? contact.identifiers.find((i) => i.type === kind);
    if (found) return found;
  }
  return undefined;
}

/** Fields of Patient that a Contact owns; everything else on the server's copy is kept on update. */
// `contact` (next of kin) is replaced only when the Contact carries relatedPersons.
const OWNED = ['active', 'name', 'gender', 'birthDate', 'address', 'maritalStatus', 'communication', 'contact'] as const;

function mergePatient(current: Record<string, unknown>, update: Patient): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const key of OWNED) if (update[key] !== undefined) merged[key] = update[key];
  // deceased[x] is a choice: writing one form removes the other.
  if (update.deceasedDateTime !== undefined) {
    delete merged.deceasedBoolean;
    merged.deceasedDateTime = update.deceasedDateTime;
  } else if (update.deceasedBoolean !== undefined) {
    delete merged.deceasedDateTime;
    merged.deceasedBoolean = update.deceasedBoolean;
  }
  // Identifiers are added, never removed: another system may rely on one the CRM does not know.
  const ids = [...((current.identifier as Array<{ system?: string; value?: string }> | undefined) ?? [])];
  for (const id of update.identifier ?? []) {
    if (!ids.some((x) => x.system === id.system && x.value === id.value)) ids.push(id);
  }
  if (ids.length > 0) merged.identifier = ids;
  // Phones and emails come from the Contact; other telecom (fax, pager, url) stays.
  if (update.telecom) {
    const others = ((current.telecom as Array<{ system?: string }> | undefined) ?? []).filter(
      (t) => t.system !== 'phone' && t.system !== 'email' && t.system !== 'sms',
    );
    merged.telecom = [...update.telecom, ...others];
  }
  // A generated narrative now describes old data (and may hold old PHI): let the server redo it.
  if ((current.text as { status?: string } | undefined)?.status === 'generated') delete merged.text;
  return merged;
}

/** Reads one Patient by id. A missing patient is an ApiError with code `not_found`. */
export const getPatient: ActionDefinition<FhirContext, typeof ById, typeof Contact> = action({
  description: 'Read one FHIR Patient as a Contact',
  idempotent: true,
  input: ById,
  output: Contact,
  async run({ id }, ctx, call) {
    const body = await ctx.http.request({ path: `Patient/${id}`, operation: 'getPatient', signal: call.signal });
    return fhirPatientToContact(body as Patient, ctx.map);
  },
});

/**
 * Finds patients by identifier (`system|value`; the system from config when only a type is
 * given), phone (normalised to E.164 and also matched as typed), email or name, following next
 * links until `limit`.
 */
export const searchPatients: ActionDefinition<FhirContext, typeof SearchPatientsInput, typeof Contacts> = action({
  description: 'Search FHIR Patients by identifier, phone, email or name',
  idempotent: true,
  input: SearchPatientsInput,
  output: Contacts,
  async run(input, ctx, call) {
    const limit = input.limit ?? ctx.config.pageSize;
    const query: Record<string, string | number> = { _count: Math.min(limit, ctx.config.pageSize) };
    if (input.identifier) {
      const { type, system, value } = input.identifier;
      query.identifier = identifierToken({ type: type ?? 'other', value, ...(system && { system }) }, ctx.map.identifierSystems);
    }
    if (input.phone) {
      const e164 = tryNormalizePhone(input.phone, { defaultRegion: ctx.config.defaultRegion });
      if (!e164) {
        throw new ValidationError('phone is not a valid phone number for the default region', {
          issues: [{ path: ['phone'], code: 'invalid_phone', message: 'not a valid phone number' }],
        });
      }
      const typed = input.phone.trim().replace(/,/g, '\\,');
      query.phone = typed === e164 ? e164 : `${e164},${typed}`;
    }
    if (input.email) query.email = input.email.trim();
    if (input.name) query.name = input.name.trim();
    if (await ctx.supportsElements(call.signal)) query._elements = PATIENT_ELEMENTS.join(',');
    const contacts: Contact[] = [];
    let link: string | undefined;
    const seen = new Set<string>();
    do {
      const bundle = await ctx.http.request({
        path: link ?? 'Patient',
        ...(link === undefined && { query }),
        schema: FhirBundleSchema,
        operation: 'searchPatients',
        signal: call.signal,
      });
      for (const entry of bundle.entry ?? []) {
        if (entry.resource?.resourceType !== 'Patient' || (entry.search?.mode && entry.search.mode !== 'match')) continue;
        contacts.push(fhirPatientToContact(entry.resource as Patient, ctx.map));
        if (contacts.length >= limit) return contacts;
      }
      link = fhirNextLink(bundle);
      if (link && seen.has(link)) break;
      if (link) seen.add(link);
    } while (link);
    return contacts;
  },
});

/**
 * Creates a Patient from a Contact with a conditional create (`If-None-Exist:
 * identifier=system|value` on its most specific identifier), so repeating the call — or the core
 * retrying it — never makes a duplicate. A Contact without an identifier is refused.
 */
export const createPatient: ActionDefinition<FhirContext, typeof WithContact, typeof CreatePatientResult> = action({
  description: 'Create a FHIR Patient from a Contact (conditional create on identifier)',
  idempotent: true,
  input: WithContact,
  output: CreatePatientResult,
  async run({ contact }, ctx, call) {
    const key = preferredIdentifier(contact);
    if (!key) {
      throw new ValidationError('createPatient needs an identifier (MRN, national ID, Iqama…) so it cannot create duplicates', {
        issues: [{ path: ['contact', 'identifiers'], code: 'too_small', message: 'at least one identifier is required' }],
      });
    }
    const { id: _ignored, ...patient } = contactToFhirPatient(contact, ctx.map);
    const response = await ctx.http.requestRaw({
      method: 'POST',
      path: 'Patient',
      json: patient,
      headers: {
        'content-type': FHIR_JSON,
        prefer: 'return=representation',
        'if-none-exist': searchParams({ identifier: identifierToken(key, ctx.map.identifierSystems) }),
      },
      // Conditional create (If-None-Exist) is idempotent on the server: the core may retry it.
      idempotent: true,
      operation: 'createPatient',
      signal: call.signal,
    });
    return writeResult(response, contact, ctx, response.status === 201);
  },
});

function writeResult(
  response: { data: unknown; headers: Headers },
  fallback: Contact,
  ctx: FhirContext,
  created: boolean,
): CreatePatientOutput {
  const body = response.data as { resourceType?: unknown; id?: string; meta?: { versionId?: string } } | undefined;
  const location = parseLocation(response.headers.get('location') ?? response.headers.get('content-location'), 'Patient');
  if (body?.resourceType === 'Patient') {
    const contact = fhirPatientToContact(body as Patient, ctx.map);
    const id = body.id ?? location.id;
    if (!id) throw new ValidationError('the server did not say the new Patient id', { code: 'invalid_response' });
    const versionId = body.meta?.versionId ?? location.versionId ?? versionFromEtag(response.headers.get('etag'));
    return { id, created, contact, ...(versionId && { versionId }) };
  }
  if (!location.id) throw new ValidationError('the server did not say the new Patient id', { code: 'invalid_response' });
  const versionId = location.versionId ?? versionFromEtag(response.headers.get('etag'));
  return {
    id: location.id,
    created,
    contact: { ...fallback, source: { system: 'fhir', id: location.id } },
    ...(versionId && { versionId }),
  };
}

/**
 * Updates a Patient from a Contact: reads the current version, replaces the elements the Contact
 * carries (names, phones and emails, gender, birth date, address, languages; identifiers are
 * added), keeps everything else, and writes it back with `If-Match` so a concurrent change is
 * never overwritten (that is an ApiError with code `conflict`: read and try again).
 */
export const updatePatient: ActionDefinition<FhirContext, typeof UpdateInput, typeof UpdatePatientResult> = action({
  description: 'Update a FHIR Patient from a Contact (read, merge, versioned PUT)',
  idempotent: true,
  input: UpdateInput,
  output: UpdatePatientResult,
  async run({ id, contact }, ctx, call) {
    const current = await ctx.http.requestRaw({ path: `Patient/${id}`, operation: 'updatePatient', signal: call.signal });
    const parsed = parseOrThrow(FhirPatientSchema, current.data, 'Patient') as Record<string, unknown> & {
      meta?: { versionId?: string };
    };
    const versionId = versionFromEtag(current.headers.get('etag')) ?? parsed.meta?.versionId;
    const merged = { ...mergePatient(parsed, contactToFhirPatient(contact, ctx.map)), id };
    const response = await ctx.http.requestRaw({
      method: 'PUT',
      path: `Patient/${id}`,
      json: merged,
      headers: {
        'content-type': FHIR_JSON,
        prefer: 'return=representation',
        ...(versionId && { 'if-match': ifMatch(versionId) }),
      },
      operation: 'updatePatient',
      signal: call.signal,
    });
    const { created: _created, ...result } = writeResult(response, contact, ctx, false);
    return { ...result, id };
  },
});
