import type { z } from 'zod';
import type { FhirPatientSchema } from '../fhir-resources.js';

// An in-place check of a Patient against FhirPatientSchema, for the mapper's hot path: a read maps
// 100k Patients, and zod's parse of a loose object copies every element of it (the copies, not the
// checks, were most of the mapper's cost). It reads only the elements the schema names and never
// writes. It is never true for a resource the schema refuses, and true only when the schema's
// output would equal the resource itself (no `null` in a primitive array: the schema filters
// those, so such a resource goes to the schema). Everything it is false for goes to the schema,
// which refuses it with paths or returns its cleaned copy. test/mapper-differential.test.ts checks
// that both paths map alike.

/** The validated Patient the mapper reads. */
export type FhirPatient = z.output<typeof FhirPatientSchema>;

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const optString = (v: unknown) => v === undefined || typeof v === 'string';
const optBoolean = (v: unknown) => v === undefined || typeof v === 'boolean';
/** zod's number: finite, not NaN. */
const optNumber = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));

function optArray(v: unknown, item: (x: unknown) => boolean): boolean {
  if (v === undefined) return true;
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!item(v[i])) return false;
  return true;
}

const isString = (v: unknown) => typeof v === 'string';
/** A primitive string array with no `null` holes (those the schema filters out: its path). */
const optStrings = (v: unknown) => optArray(v, isString);

function isCoding(v: unknown): boolean {
  return isObject(v) && optString(v.system) && optString(v.code) && optString(v.display);
}

function isConcept(v: unknown): boolean {
  return isObject(v) && optArray(v.coding, isCoding) && optString(v.text);
}
const optConcept = (v: unknown) => v === undefined || isConcept(v);

const isExtension = (v: unknown) => isObject(v) && typeof v.url === 'string';

function isHumanName(v: unknown): boolean {
  return (
    isObject(v) &&
    optString(v.use) &&
    optString(v.text) &&
    optString(v.family) &&
    optStrings(v.given) &&
    optStrings(v.prefix) &&
    optStrings(v.suffix) &&
    optArray(v.extension, isExtension)
  );
}

function isContactPoint(v: unknown): boolean {
  return isObject(v) && optString(v.system) && optString(v.value) && optString(v.use) && optNumber(v.rank);
}

function isIdentifier(v: unknown): boolean {
  return isObject(v) && optString(v.use) && optConcept(v.type) && optString(v.system) && optString(v.value);
}

function isAddress(v: unknown): boolean {
  return (
    isObject(v) &&
    optString(v.use) &&
    optString(v.text) &&
    optStrings(v.line) &&
    optString(v.city) &&
    optString(v.district) &&
    optString(v.state) &&
    optString(v.postalCode) &&
    optString(v.country)
  );
}

const isCommunication = (v: unknown) => isObject(v) && isConcept(v.language) && optBoolean(v.preferred);

function isPatientContact(v: unknown): boolean {
  return (
    isObject(v) &&
    optArray(v.relationship, isConcept) &&
    (v.name === undefined || isHumanName(v.name)) &&
    optArray(v.telecom, isContactPoint) &&
    (v.address === undefined || isAddress(v.address)) &&
    optString(v.gender)
  );
}

const isMeta = (v: unknown) => isObject(v) && optString(v.versionId) && optString(v.lastUpdated);

/** True when `value` is a Patient FhirPatientSchema accepts and returns unchanged (see above). */
export function isFhirPatientShape(value: unknown): value is FhirPatient {
  if (!isObject(value)) return false;
  const p = value;
  return (
    p.resourceType === 'Patient' &&
    optString(p.id) &&
    (p.meta === undefined || isMeta(p.meta)) &&
    optArray(p.identifier, isIdentifier) &&
    optBoolean(p.active) &&
    optArray(p.name, isHumanName) &&
    optArray(p.telecom, isContactPoint) &&
    optString(p.gender) &&
    optString(p.birthDate) &&
    optBoolean(p.deceasedBoolean) &&
    optString(p.deceasedDateTime) &&
    optArray(p.address, isAddress) &&
    optConcept(p.maritalStatus) &&
    optArray(p.communication, isCommunication) &&
    optArray(p.contact, isPatientContact)
  );
}
