/** The `next` link of a FHIR Bundle, if any. */
export function fhirNextLink(bundle: { link?: Array<{ relation?: string; url?: string }> } | undefined): string | undefined {
  return bundle?.link?.find((l) => l.relation === 'next')?.url;
}
