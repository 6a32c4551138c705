/** Small helpers for FHIR's RESTful HTTP conventions (ETag, Location, If-None-Exist). */

/** The version id in an ETag: `W/"3"` → `3`. */
export function versionFromEtag(etag: string | null | undefined): string | undefined {
  if (!etag) return undefined;
  const match = /^(?:W\/)?"([^"]+)"$/.exec(etag.trim());
  return match?.[1];
}

/** The weak ETag FHIR servers expect in `If-Match` for a version id. */
export function ifMatch(versionId: string): string {
  return `W/"${versionId}"`;
}

/** The id and version in a `Location` / `Content-Location`: `…/Patient/123/_history/2`. */
export function parseLocation(location: string | null | undefined, type: string): { id?: string; versionId?: string } {
  if (!location) return {};
  const match = new RegExp(`(?:^|/)${type}/([A-Za-z0-9\\-.]{1,64})(?:/_history/([A-Za-z0-9\\-.]{1,64}))?/?(?:[?#].*)?$`).exec(
    location,
  );
  return match ? { ...(match[1] && { id: match[1] }), ...(match[2] && { versionId: match[2] }) } : {};
}

/**
 * A search-parameter string for `If-None-Exist` (a query string without `?`). Values are
 * percent-encoded except `:`, `/` and `|`, which FHIR tokens and URIs use and servers read as is.
 */
export function searchParams(params: Record<string, string>): string {
  return Object.entries(params)
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%3A/gi, ':').replace(/%2F/gi, '/').replace(/%7C/gi, '|')}`,
    )
    .join('&');
}

/** Content type of FHIR JSON bodies. */
export const FHIR_JSON = 'application/fhir+json';
