import { RUNTIME_MESSAGE_TEMPLATES, safeErrorName, safeVendorMessage } from '../errors/vendor-message.js';
import { canonicalPhiKeys } from '../model/phi-keys.js';

/** The mark put in place of a removed secret. */
export const REDACTED = '[REDACTED]';
/** The mark put in place of removed patient data. */
export const PHI_REDACTED = '[PHI]';

const DEFAULT_SECRET_KEYS = [
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'apikeysecret',
  'authtoken',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'clientsecret',
  'clientassertion',
  'privatekey',
  'signature',
  'xapikey',
  'xtwiliosignature',
  'stripesignature',
  'xtwilioemailevent webhooksignature',
  'webhooksecret',
];

const EXTRA_PHI_KEYS = [
  'name',
  'names',
  'phone',
  'phones',
  'email',
  'emails',
  'address',
  'addresses',
  'birthdate',
  'dob',
  'mrn',
  'ssn',
  'nationalid',
  'iqama',
  'identifier',
  'identifiers',
  'recipient',
  'to',
  'from',
  'body',
  'subject',
  'patient',
  'diagnosis',
];

/** Query parameters whose values are never patient data or secrets, so URLs keep them. */
const SAFE_QUERY_KEYS = new Set([
  '_count',
  '_sort',
  '_elements',
  '_format',
  '_summary',
  '_lastupdated',
  '_getpagesoffset',
  'limit',
  'page',
  'pagesize',
  'pagetoken',
  'starting_after',
  'ending_before',
  'expand[]',
  'api-version',
]);

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/** Options for {@link createRedactor}. */
export interface RedactorOptions {
  /** Literal values to remove wherever they appear in a string (tokens, API keys). */
  secrets?: Iterable<string>;
  /** Extra object keys whose values are PHI. The canonical model's PHI keys are always included. */
  phiKeys?: Iterable<string>;
  /** Extra object keys whose values are secrets. */
  secretKeys?: Iterable<string>;
}

/**
 * Removes secrets and patient data from anything about to be logged or emitted. Keys that name a
 * secret or a PHI field lose their values; registered secret values, E.164 numbers and email
 * addresses are removed from strings; URL query values are removed except for paging parameters.
 */
export interface Redactor {
  /** Registers a literal secret value (a token obtained at run time, an API key from config). */
  addSecret(value: string | undefined): void;
  /**
   * Returns a redacted deep copy of `value`. `trustedKeys` are paths whose key names would
   * otherwise look like PHI (`reason`, the `name` of a circuit, `error.code`) but which the caller's
   * own schema fills with safe values: a top-level key (`reason`), or a dotted path with `*` for
   * array items (`error.issues.*.code`). Their strings are still scrubbed.
   */
  redact<T>(value: T, trustedKeys?: ReadonlySet<string>): T;
  /** Redacts one string. */
  redactString(value: string): string;
  /** Redacts a URL: query values (but paging parameters) and PHI-looking path segments. */
  redactUrl(url: string): string;
}

const EMAIL_PATTERN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const PHONE_PATTERN = /\+\d[\d\s-]{6,17}\d/g;
/** Runs of right-to-left script: in hmi's traffic that is patient text (names, messages). */
const RTL_PATTERN =
  /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]+(?:[\s\u200C-\u200F]+[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]+)*/g;
/** A URL path segment that is a long number (a phone without `+`, a national id, an MRN). */
const NUMERIC_SEGMENT = /^\d{7,}$/;

/** Fields of a serialised HmiError whose names look like PHI keys but hold codes. */
const ERROR_TRUSTED = ['name', 'code', 'vendorCode', 'reason', 'issues.*.code', 'issues.*.path'];

/** Creates a {@link Redactor}. Each client gets its own: no state is shared between instances. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const secrets = new Set<string>();
  const secretKeys = new Set(DEFAULT_SECRET_KEYS.map(normaliseKey));
  const phiKeys = new Set([...canonicalPhiKeys(), ...EXTRA_PHI_KEYS].map(normaliseKey));
  for (const k of options.secretKeys ?? []) secretKeys.add(normaliseKey(k));
  for (const k of options.phiKeys ?? []) phiKeys.add(normaliseKey(k));
  let secretList: string[] = [];

  const addSecret = (value: string | undefined) => {
    // Very short values would blank out ordinary words; they are not credentials anyway.
    if (typeof value !== 'string' || value.length < 6 || secrets.has(value)) return;
    secrets.add(value);
    // Longest first so a secret that contains another is removed whole.
    secretList = [...secrets].sort((a, b) => b.length - a.length);
  };
  for (const s of options.secrets ?? []) addSecret(s);

  const redactString = (value: string): string => {
    let out = value;
    for (const s of secretList) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out.replace(EMAIL_PATTERN, PHI_REDACTED).replace(PHONE_PATTERN, PHI_REDACTED).replace(RTL_PATTERN, PHI_REDACTED);
  };

  const redactUrl = (url: string): string => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return redactString(url.split('?')[0] ?? '');
    }
    parsed.username = '';
    parsed.password = '';
    const query = [...parsed.searchParams.entries()].map(([k, v]) =>
      SAFE_QUERY_KEYS.has(k.toLowerCase()) ? `${k}=${v}` : `${k}=${REDACTED}`,
    );
    const path = parsed.pathname
      .split('/')
      .map((segment) => {
        const decoded = decodeURIComponentSafe(segment);
        return NUMERIC_SEGMENT.test(decoded) ? PHI_REDACTED : redactString(decoded);
      })
      .join('/');
    return `${parsed.origin}${path}${query.length ? `?${query.join('&')}` : ''}`;
  };

  const isTrusted = (trusted: ReadonlySet<string> | undefined, path: string) => trusted?.has(path) === true;

  const walk = (value: unknown, seen: WeakSet<object>, depth: number, trusted?: ReadonlySet<string>, path = ''): unknown => {
    if (typeof value === 'string') return redactString(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth > 12) return '[…]';
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    if (value instanceof Error) {
      // An HmiError serialises to safe fields whose names (name, code) would look like PHI keys.
      const hmi = typeof (value as { toJSON?: unknown }).toJSON === 'function';
      // A foreign error's message may quote patient data no pattern recognises: only a known
      // runtime message survives.
      const json = hmi
        ? (value as unknown as { toJSON(): unknown }).toJSON()
        : {
            name: safeErrorName(value.name),
            message: safeVendorMessage(value.message, RUNTIME_MESSAGE_TEMPLATES) ?? '[message withheld]',
          };
      return walk(json, seen, depth + 1, new Set(ERROR_TRUSTED), '');
    }
    if (Array.isArray(value)) {
      const itemPath = path ? `${path}.*` : '*';
      return value.map((v) => walk(v, seen, depth + 1, trusted, itemPath));
    }
    if (value instanceof Headers) return walk(Object.fromEntries(value.entries()), seen, depth + 1);
    if (value instanceof URL) return redactUrl(value.href);
    if (value instanceof Date) return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const nk = normaliseKey(key);
      const childPath = path ? `${path}.${key}` : key;
      if (isTrusted(trusted, childPath)) {
        out[key] = walk(v, seen, depth + 1, trusted, childPath);
      } else if (secretKeys.has(nk) || nk.endsWith('secret') || nk.endsWith('token') || nk.endsWith('password')) {
        out[key] = v === undefined ? v : REDACTED;
      } else if (phiKeys.has(nk)) {
        out[key] = v === undefined ? v : PHI_REDACTED;
      } else if (nk === 'url' && typeof v === 'string') {
        out[key] = redactUrl(v);
      } else {
        out[key] = walk(v, seen, depth + 1, trusted, childPath);
      }
    }
    return out;
  };

  return {
    addSecret,
    redact: <T>(value: T, trustedKeys?: ReadonlySet<string>): T => walk(value, new WeakSet(), 0, trustedKeys) as T,
    redactString,
    redactUrl,
  };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
