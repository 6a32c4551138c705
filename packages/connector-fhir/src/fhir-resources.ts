/**
 * Zod schemas for what a FHIR server sends back, limited to the elements the mappers read. Every
 * object is loose: unknown elements pass through untouched (an update writes them back), while the
 * elements we do read must have the FHIR JSON shape or the response is refused with paths only.
 */
import { z } from 'zod';

/** FHIR JSON may hold `null` inside a primitive array when `_given` carries extensions. */
const strings = z.array(z.string().nullable()).transform((values) => values.filter((v): v is string => v !== null));

export const FhirCodingSchema = z.looseObject({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
});

export const FhirCodeableConceptSchema = z.looseObject({
  coding: z.array(FhirCodingSchema).optional(),
  text: z.string().optional(),
});

export const FhirReferenceSchema = z.looseObject({
  reference: z.string().optional(),
  display: z.string().optional(),
  type: z.string().optional(),
});

export const FhirMetaSchema = z.looseObject({
  versionId: z.string().optional(),
  lastUpdated: z.string().optional(),
});

export const FhirExtensionSchema = z.looseObject({ url: z.string() });

export const FhirHumanNameSchema = z.looseObject({
  use: z.string().optional(),
  text: z.string().optional(),
  family: z.string().optional(),
  given: strings.optional(),
  prefix: strings.optional(),
  suffix: strings.optional(),
  extension: z.array(FhirExtensionSchema).optional(),
});

export const FhirContactPointSchema = z.looseObject({
  system: z.string().optional(),
  value: z.string().optional(),
  use: z.string().optional(),
  rank: z.number().optional(),
});

export const FhirIdentifierSchema = z.looseObject({
  use: z.string().optional(),
  type: FhirCodeableConceptSchema.optional(),
  system: z.string().optional(),
  value: z.string().optional(),
});

export const FhirAddressSchema = z.looseObject({
  use: z.string().optional(),
  text: z.string().optional(),
  line: strings.optional(),
  city: z.string().optional(),
  district: z.string().optional(),
  state: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string().optional(),
});

const resourceBase = {
  id: z.string().optional(),
  meta: FhirMetaSchema.optional(),
};

/** The Patient elements the mapper reads. */
export const FhirPatientSchema = z.looseObject({
  resourceType: z.literal('Patient'),
  ...resourceBase,
  identifier: z.array(FhirIdentifierSchema).optional(),
  active: z.boolean().optional(),
  name: z.array(FhirHumanNameSchema).optional(),
  telecom: z.array(FhirContactPointSchema).optional(),
  gender: z.string().optional(),
  birthDate: z.string().optional(),
  deceasedBoolean: z.boolean().optional(),
  deceasedDateTime: z.string().optional(),
  address: z.array(FhirAddressSchema).optional(),
  maritalStatus: FhirCodeableConceptSchema.optional(),
  communication: z.array(z.looseObject({ language: FhirCodeableConceptSchema, preferred: z.boolean().optional() })).optional(),
  contact: z
    .array(
      z.looseObject({
        relationship: z.array(FhirCodeableConceptSchema).optional(),
        name: FhirHumanNameSchema.optional(),
        telecom: z.array(FhirContactPointSchema).optional(),
        address: FhirAddressSchema.optional(),
        gender: z.string().optional(),
      }),
    )
    .optional(),
});

const quantity = z.looseObject({ value: z.number().optional(), unit: z.string().optional(), code: z.string().optional() });
const period = z.looseObject({ start: z.string().optional(), end: z.string().optional() });
const range = z.looseObject({ low: quantity.optional(), high: quantity.optional() });

/** The Condition elements the mapper reads. */
export const FhirConditionSchema = z.looseObject({
  resourceType: z.literal('Condition'),
  ...resourceBase,
  clinicalStatus: FhirCodeableConceptSchema.optional(),
  verificationStatus: FhirCodeableConceptSchema.optional(),
  category: z.array(FhirCodeableConceptSchema).optional(),
  severity: FhirCodeableConceptSchema.optional(),
  code: FhirCodeableConceptSchema.optional(),
  subject: FhirReferenceSchema.optional(),
  onsetDateTime: z.string().optional(),
  onsetAge: quantity.optional(),
  onsetPeriod: period.optional(),
  onsetRange: range.optional(),
  onsetString: z.string().optional(),
  abatementDateTime: z.string().optional(),
  abatementAge: quantity.optional(),
  abatementPeriod: period.optional(),
  abatementRange: range.optional(),
  abatementString: z.string().optional(),
  recordedDate: z.string().optional(),
});

/** The Appointment elements the mapper reads. */
export const FhirAppointmentSchema = z.looseObject({
  resourceType: z.literal('Appointment'),
  ...resourceBase,
  status: z.string(),
  cancelationReason: FhirCodeableConceptSchema.optional(),
  serviceType: z.array(FhirCodeableConceptSchema).optional(),
  specialty: z.array(FhirCodeableConceptSchema).optional(),
  appointmentType: FhirCodeableConceptSchema.optional(),
  reasonCode: z.array(FhirCodeableConceptSchema).optional(),
  description: z.string().optional(),
  start: z.string().optional(),
  end: z.string().optional(),
  minutesDuration: z.number().optional(),
  participant: z
    .array(
      z.looseObject({
        type: z.array(FhirCodeableConceptSchema).optional(),
        actor: FhirReferenceSchema.optional(),
        required: z.string().optional(),
        status: z.string().optional(),
      }),
    )
    .optional(),
  comment: z.string().optional(),
  identifier: z.array(FhirIdentifierSchema).optional(),
  serviceCategory: z.array(FhirCodeableConceptSchema).optional(),
  priority: z.number().optional(),
});

/** What a Bundle entry's resource is known to be before its mapper validates it. */
export interface BundleEntryResource {
  resourceType: string;
  id?: unknown;
  meta?: unknown;
  [key: string]: unknown;
}

/** A search or history Bundle: only the shell; entries are validated by their mappers. */
export const FhirBundleSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.string(),
  total: z.number().optional(),
  link: z.array(z.looseObject({ relation: z.string(), url: z.string() })).optional(),
  entry: z
    .array(
      z.looseObject({
        fullUrl: z.string().optional(),
        // Only checked to be a resource here: its mapper validates it in full. Not parsing it twice
        // (and not copying it) matters when a read streams 100k records.
        resource: z
          .custom<BundleEntryResource>(
            (v) =>
              typeof v === 'object' &&
              v !== null &&
              !Array.isArray(v) &&
              typeof (v as BundleEntryResource).resourceType === 'string',
            'expected a FHIR resource',
          )
          .optional(),
        search: z.looseObject({ mode: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});
/** A Bundle as validated by {@link FhirBundleSchema}. */
export type FhirBundleShape = z.infer<typeof FhirBundleSchema>;

/** The part of a CapabilityStatement that says which search parameters the server takes. */
export const FhirCapabilityStatementSchema = z.looseObject({
  resourceType: z.literal('CapabilityStatement'),
  rest: z
    .array(
      z.looseObject({
        searchParam: z.array(z.looseObject({ name: z.string() })).optional(),
        resource: z
          .array(z.looseObject({ type: z.string(), searchParam: z.array(z.looseObject({ name: z.string() })).optional() }))
          .optional(),
      }),
    )
    .optional(),
});

/** A FHIR resource id: 1–64 of `A-Z a-z 0-9 - .` (what may go into a URL path unescaped). */
export const FhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'expected a FHIR id (1-64 of A-Z a-z 0-9 - .)');
