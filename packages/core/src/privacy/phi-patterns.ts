// Identifier patterns the PHI firewall removes from URLs, titles and free text. Digits are matched
// in ASCII and in Arabic-Indic (U+0660–0669) and Eastern Arabic-Indic (U+06F0–06F9) forms: Gulf and
// Egyptian sites print both.

/** One digit in any of the scripts hospital sites use. */
const D = '[0-9\\u0660-\\u0669\\u06F0-\\u06F9]';

/** A named identifier pattern. `kind` is what telemetry counts (never the value). */
export interface IdentifierPattern {
  /** A short label counted in telemetry: `email`, `phone`, `digits`, … */
  kind: string;
  /** A global regular expression. */
  pattern: RegExp;
}

/**
 * The built-in identifier patterns, most specific first (an email is removed whole before its
 * digits are seen as an MRN). Fresh RegExp objects per call: global regexes carry `lastIndex`
 * state, and no state is shared between firewall instances.
 */
export function defaultIdentifierPatterns(minDigitRun = 6): IdentifierPattern[] {
  return [
    // Emails, also percent-encoded (`%40`) as they appear in raw URLs.
    { kind: 'email', pattern: /[\p{L}\p{N}._%+-]+(?:@|%40)[\p{L}\p{N}.-]+\.[\p{L}]{2,}/giu },
    {
      kind: 'uuid',
      pattern: /[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/gi,
    },
    // Labelled record numbers: `MRN-00123`, `mrn:4521`, `file no. 77`, `ملف 123`.
    {
      kind: 'record-id',
      pattern: new RegExp(
        `(?:mrn|patient[ _-]?id|record[ _-]?(?:no|id)|file[ _-]?no|رقم[ _-]?الملف|ملف)[\\s:#._-]*[\\p{L}]{0,3}${D}+`,
        'giu',
      ),
    },
    // Phone numbers with separators: +966 55 512 3456, (055) 512-3456, 00971-50-123-4567, +20 100 123 4567.
    {
      kind: 'phone',
      pattern: new RegExp(`(?:\\+|00)?\\(?${D}(?:[\\s().\\-\\u00A0]{0,2}${D}){6,16}`, 'gu'),
    },
    // Any run of ≥ minDigitRun digits: MRNs, Saudi national ids / Iqamas (10 digits starting 1 or
    // 2), Egyptian national ids (14), E.164 numbers without separators, card-like numbers.
    { kind: 'digits', pattern: new RegExp(`${D}{${Math.max(3, minDigitRun)},}`, 'gu') },
  ];
}

/**
 * Path segments that are record ids by position: the segment after `patients/`, `mrn/`,
 * `appointments/`, … is an id whatever it looks like (`/patients/fatima-alharbi/results`).
 */
export const ID_BEARING_SEGMENTS: ReadonlySet<string> = new Set([
  'patient',
  'patients',
  'mrn',
  'record',
  'records',
  'user',
  'users',
  'profile',
  'profiles',
  'member',
  'members',
  'account',
  'accounts',
  'appointment',
  'appointments',
  'booking',
  'bookings',
  'visit',
  'visits',
  'result',
  'results',
  'invoice',
  'invoices',
  'order',
  'orders',
  'file',
  'files',
]);

/** Whether a path segment, decoded, looks like an identifier on its own (hex or base64 ids, mixed letters and digits). */
export function looksLikeOpaqueId(segment: string): boolean {
  if (segment.length >= 16 && /^[A-Za-z0-9_-]+$/.test(segment) && /\d/.test(segment)) return true;
  if (/^[0-9a-f]{12,}$/i.test(segment)) return true;
  // Letters then digits (`p12345`, `inv_9001`, `AB1234`): record ids in most CMSs.
  return /^[A-Za-z]{0,4}[_-]?\d{4,}$/.test(segment);
}

/** Escapes text for a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const NAME_PARTICLES: ReadonlySet<string> = new Set([
  'bin',
  'ibn',
  'abu',
  'abd',
  'bint',
  'ben',
  'van',
  'von',
  'der',
  'بنت',
  'ابن',
  'أبو',
  'ابو',
  'عبد',
]);

/**
 * A RegExp that finds each part of the given names (≥ 3 letters, particles aside), case-insensitively, so a name is
 * removed in any order or spelling of its parts: `Fatima Alharbi`, `fatima-alharbi`,
 * `alharbi.fatima`, `فاطمة الحربي`. Undefined when there is nothing to look for.
 */
export function knownNamesPattern(names: readonly string[]): RegExp | undefined {
  const parts = new Set<string>();
  for (const name of names) {
    for (const part of name.normalize('NFC').split(/[\s\-_.,+/]+/u)) {
      const lower = part.toLowerCase();
      // Particles (`al`, `bin`, `abu`, `ال`…) are in too many words to be removed on their own.
      if ([...lower].length >= 3 && !NAME_PARTICLES.has(lower)) parts.add(lower);
    }
  }
  if (parts.size === 0) return undefined;
  // Longest first, so `Abdulrahman` is removed before `Abdul`.
  const alternatives = [...parts].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(alternatives.join('|'), 'giu');
}

// Keys the firewall treats specially, normalised with `norm`.
/** A key compared case- and separator-insensitively (`page_location` → `pagelocation`). */
export const norm = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');
export const IP_KEYS = new Set([
  'ip',
  'ipaddress',
  'ipoverride',
  'uip',
  'cip',
  'remoteaddr',
  'remoteaddress',
  'xforwardedfor',
  'clientip',
]);
export const LOCATION_KEYS = new Set([
  ...['lat', 'long', 'lng', 'lon', 'latitude', 'longitude', 'geo', 'geolocation', 'gps', 'coords', 'coordinates'],
  ...['location', 'userlocation', 'city', 'postalcode', 'postcode', 'zip', 'zipcode', 'address', 'street'],
]);
export const USER_ID_KEYS = new Set(['userid', 'uid', 'user', 'customerid', 'patientid', 'contactid']);
// Vendor visitor ids: kept when they look random (GA `123.456`, Matomo 16 hex), hashed or dropped otherwise.
export const CLIENT_ID_KEYS = new Set(['clientid', 'cid', 'visitorid']);
export const PHI_KEYS = new Set([
  ...['email', 'mail', 'phone', 'mobile', 'tel', 'telephone', 'msisdn', 'firstname', 'lastname', 'fullname'],
  ...['patientname', 'mrn', 'nationalid', 'iqama', 'ssn', 'dob', 'birthdate', 'dateofbirth', 'diagnosis', 'userdata'],
  ...['patient', 'given', 'family', 'username', 'customername', 'contactname', 'recipient', 'guardian', 'nextofkin'],
]);
// `name` is an event's name in GA4 and Matomo bodies (`page_view`, `generate_lead`): kept only in
// that snake_case shape, so `name: 'Fatima Alharbi'` is dropped as a personal name.
export const EVENT_NAME = /^[a-z][a-z0-9_]{0,39}$/;
export const URL_KEYS = new Set([
  'pagelocation',
  'pagereferrer',
  'pageurl',
  'pagepath',
  'url',
  'urlref',
  'link',
  'linkurl',
  'referrer',
  'href',
  'download',
  'uri',
  'path',
]);
export const TITLE_KEYS = new Set(['pagetitle', 'title', 'actionname', 'documenttitle', 'screenname']);
export const NUMERIC_KEYS = new Set([
  'timestampmicros',
  'engagementtimemsec',
  'sessionid',
  'gasessionid',
  'value',
  'price',
  'quantity',
  'rand',
  'idts',
  'viewts',
  'cdt',
]);
