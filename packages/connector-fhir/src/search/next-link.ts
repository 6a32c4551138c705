/**
 * The `next` link of a FHIR search Bundle (`Bundle.link` with `relation: 'next'`), if any. Lives
 * here rather than in the core: only the FHIR connector pages through Bundles.
 */
export function fhirNextLink(bundle: { link?: Array<{ relation?: string; url?: string }> } | undefined): string | undefined {
  return bundle?.link?.find((l) => l.relation === 'next')?.url;
}
