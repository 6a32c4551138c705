import { formatIssues, toValidationIssues, ValidationError } from '@hmi/core';
import { z } from 'zod';
import { type BundleEntryResource, FhirBundleSchema, type FhirBundleShape } from '../fhir-resources.js';

// A search page is checked in place, in the one pass that maps its entries: the Bundle's shell
// (resourceType, type, total, link, entry an array) by the response schema below, each entry as
// the read loop reaches it (isBundleEntry). zod's parse of FhirBundleSchema copied every entry of
// every page (1,000 loose objects a page) only to hand the same resources on. FhirBundleSchema
// stays the definition: whatever the quick checks do not accept goes to it, so a refused page
// names the same paths as before.

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const optString = (v: unknown) => v === undefined || typeof v === 'string';

const isLink = (v: unknown) => isObject(v) && typeof v.relation === 'string' && typeof v.url === 'string';

/** The Bundle's shell as FhirBundleSchema reads it; entries are left to {@link isBundleEntry}. */
function isBundleShell(v: unknown): v is FhirBundleShape {
  if (!isObject(v) || v.resourceType !== 'Bundle' || typeof v.type !== 'string') return false;
  if (v.total !== undefined && !(typeof v.total === 'number' && Number.isFinite(v.total))) return false;
  if (v.link !== undefined && !(Array.isArray(v.link) && v.link.every(isLink))) return false;
  return v.entry === undefined || Array.isArray(v.entry);
}

/** One entry as FhirBundleSchema accepts it (its resource is only checked to be a resource). */
export function isBundleEntry(v: unknown): v is NonNullable<FhirBundleShape['entry']>[number] {
  if (!isObject(v) || !optString(v.fullUrl)) return false;
  const { resource, search } = v;
  if (resource !== undefined && !(isObject(resource) && typeof (resource as BundleEntryResource).resourceType === 'string')) {
    return false;
  }
  return search === undefined || (isObject(search) && optString(search.mode));
}

/**
 * The response schema of a search page: the shell checked in place and the Bundle returned as
 * parsed (no copy). A shell the quick check does not accept is parsed by FhirBundleSchema, whose
 * issues are reported (or whose output is used, should it accept what the quick check did not).
 */
export const SearchBundleSchema: z.ZodType<FhirBundleShape> = z.unknown().transform((value, ctx) => {
  if (isBundleShell(value)) return value;
  const parsed = FhirBundleSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, input: value } as never);
  return z.NEVER;
}) as unknown as z.ZodType<FhirBundleShape>;

/**
 * Refuses a page whose entry `index` the quick check did not accept, with FhirBundleSchema's
 * issues (`entry.<i>.…` paths, never values); returns the schema's reading of the entry if it
 * accepts it. Its shell has passed already: only `entries` decide.
 */
export function checkedEntry(entries: readonly unknown[], index: number): NonNullable<FhirBundleShape['entry']>[number] {
  const parsed = FhirBundleSchema.safeParse({ resourceType: 'Bundle', type: 'searchset', entry: entries });
  if (parsed.success) return parsed.data.entry![index]!;
  const issues = toValidationIssues(parsed.error);
  throw new ValidationError(`response did not match the expected schema: ${formatIssues(issues)}`, {
    code: 'invalid_response',
    issues,
  });
}
