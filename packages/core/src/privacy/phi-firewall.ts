import { nodeCrypto } from '../internal/builtins.js';
import { ConfigError } from '../errors/errors.js';
import { collectMarkedKeys } from '../model/registry.js';
import type { Telemetry, TelemetryContext } from '../telemetry/telemetry.js';
import {
  CLIENT_ID_KEYS,
  defaultIdentifierPatterns,
  EVENT_NAME,
  ID_BEARING_SEGMENTS,
  type IdentifierPattern,
  IP_KEYS,
  knownNamesPattern,
  LOCATION_KEYS,
  looksLikeOpaqueId,
  NUMERIC_KEYS,
  norm,
  PHI_KEYS,
  TITLE_KEYS,
  URL_KEYS,
  USER_ID_KEYS,
} from './phi-patterns.js';

/** `enforce` sends the cleaned event; `report` sends nothing and only counts (a dry run to tune a policy). */
export type PhiFirewallMode = 'enforce' | 'report';

/** Counts of removals by kind (`email`, `phone`, `digits`, `urlQuery`, `title`, `ip`, …). */
export type PhiFirewallCounts = Record<string, number>;

/** Maps a condition or doctor page to the category sent instead of its title. */
export interface TitleCategoryRule {
  /** Matches the page URL's path (a prefix string, or a RegExp tested on the path). */
  path?: string | RegExp;
  /** Matches the original title. */
  title?: RegExp;
  /** The title sent instead, e.g. `Cardiology`, `Doctor profile`. */
  category: string;
}

/** How the firewall cleans events. Every field is optional: the default policy is the strict one. */
export interface PhiFirewallPolicy {
  /** Default `enforce`. */
  mode?: PhiFirewallMode;
  /** Models (zod 4 or valibot 1 schemas) whose `phi()`-marked keys are dropped wherever they appear in an event. */
  model?: object | readonly object[];
  /** Keyed hash for user ids (HMAC-SHA256). Without it user ids are dropped. Keep it out of the vendor's reach. */
  userIdSecret?: string;
  /** Rules that turn condition and doctor pages' titles into categories; first match wins. */
  titleCategories?: readonly TitleCategoryRule[] | ((title: string, path: string | undefined) => string | undefined);
  /** Titles sent as they are (after identifier scrubbing). Any other title is dropped. */
  allowTitles?: readonly (string | RegExp)[];
  /** Names the host knows (the signed-in patient's), or a function returning them per event; removed from all text. */
  knownNames?: readonly string[] | ((event: unknown) => readonly string[]);
  /** More identifier patterns (global RegExps), e.g. the hospital's MRN format. */
  patterns?: readonly RegExp[];
  /** Digit runs at least this long are identifiers. Default 6. */
  minDigitRun?: number;
  /** Extra keys dropped outright (compared case- and separator-insensitively). */
  dropKeys?: readonly string[];
  /** Numeric keys whose long integers are not identifiers (timestamps, sessions). */
  numericKeys?: readonly string[];
  /** Told the counts of each event (for logs). Counts only: the firewall never hands out a removed value. */
  onReport?: (report: { mode: PhiFirewallMode; removed: PhiFirewallCounts; total: number }) => void;
}

/** What {@link PhiFirewall.apply} returns. */
export interface PhiFirewallResult<T> {
  /** The cleaned copy (the input is never modified). In `report` mode it is computed but not to be sent. */
  event: T;
  /** Removals by kind. */
  removed: PhiFirewallCounts;
  /** Sum of `removed`. */
  total: number;
  /** True in `enforce` mode: send `event`. False in `report` mode: send nothing. */
  forward: boolean;
  mode: PhiFirewallMode;
}

/** Options of one {@link PhiFirewall.apply} call. */
export interface PhiFirewallApplyOptions extends TelemetryContext {
  /** Where the counts are emitted (`privacy:firewall`). */
  telemetry?: Telemetry;
}

/** The firewall every outbound analytics or ad event passes. */
export interface PhiFirewall {
  readonly mode: PhiFirewallMode;
  /** Cleans a copy of `event` (any JSON-like value) and counts what was removed. Never throws on event content. */
  apply<T>(event: T, options?: PhiFirewallApplyOptions): PhiFirewallResult<T>;
}

const MAX_DEPTH = 12;

function toList<T>(value: T | readonly T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

/**
 * Creates the PHI firewall (policy optional: the default is the strict one). `apply(event)` returns
 * a cleaned copy where
 * - keys marked `phi()` in `policy.model`, and the usual personal keys (`email`, `phone`, `name`,
 *   `mrn`, `user_data`, …), are dropped;
 * - IPs and precise location (`ip_override`, `user_location`, `lat`/`long`, `city`, …) are dropped;
 * - user ids become `HMAC-SHA256(userIdSecret, id)` (hex), or are dropped without a secret;
 * - URLs lose their query string, fragment and credentials, and path segments that are or contain
 *   identifiers (emails, phone numbers, digit runs ≥ 6, UUIDs, opaque ids, known names, the segment
 *   after `patients/`, `appointments/`, …) become `:id`;
 * - titles become the category of the first matching `titleCategories` rule, else pass if
 *   allow-listed (scrubbed), else are dropped;
 * - every other string is scrubbed of identifiers and known names (each replaced by `[redacted]`);
 *   keys carrying an identifier are dropped with their value; long integers outside `numericKeys` are dropped.
 *
 * Each removal is counted by kind and emitted as `privacy:firewall` telemetry (counts only). In
 * `report` mode the same counts are emitted with `forwarded: false` and `forward` is false:
 * connectors send nothing, so a dry run never leaks what it reports.
 */
export function createPhiFirewall(policy: PhiFirewallPolicy = {}): PhiFirewall {
  const mode: PhiFirewallMode = policy.mode ?? 'enforce';
  if (mode !== 'enforce' && mode !== 'report') {
    throw new ConfigError('firewall mode must be enforce or report', {
      issues: [{ path: ['mode'], code: 'invalid_value', message: 'value not allowed' }],
    });
  }
  if (policy.userIdSecret !== undefined && policy.userIdSecret.length < 16) {
    throw new ConfigError('firewall userIdSecret must be at least 16 characters', {
      issues: [{ path: ['userIdSecret'], code: 'too_small', message: 'at least 16 characters' }],
    });
  }
  const phiKeys = new Set(PHI_KEYS);
  for (const schema of toList(policy.model)) for (const key of collectMarkedKeys(schema, 'phi')) phiKeys.add(norm(key));
  for (const key of policy.dropKeys ?? []) phiKeys.add(norm(key));
  const numericKeys = new Set([...NUMERIC_KEYS, ...(policy.numericKeys ?? []).map(norm)]);
  const minDigitRun = policy.minDigitRun ?? 6;
  const staticNames = typeof policy.knownNames === 'function' ? undefined : knownNamesPattern(policy.knownNames ?? []);

  return {
    mode,
    apply<T>(event: T, options: PhiFirewallApplyOptions = {}): PhiFirewallResult<T> {
      const removed: PhiFirewallCounts = {};
      let counting = true;
      const count = (kind: string, n = 1) => {
        if (counting) removed[kind] = (removed[kind] ?? 0) + n;
      };
      // Fresh patterns per call: global RegExps hold lastIndex, and the names may differ per event.
      const patterns: IdentifierPattern[] = [
        ...(policy.patterns ?? []).map((p) => ({
          kind: 'custom',
          pattern: new RegExp(p.source, p.flags.includes('g') ? p.flags : `${p.flags}g`),
        })),
        ...defaultIdentifierPatterns(minDigitRun),
      ];
      let names = staticNames && new RegExp(staticNames.source, staticNames.flags);
      let namesFailed = false;
      if (typeof policy.knownNames === 'function') {
        try {
          names = knownNamesPattern(policy.knownNames(event));
        } catch {
          // A failing callback must not let names through: every free-text string is then dropped.
          namesFailed = true;
        }
      }
      const redact = (kind: string) => () => {
        count(kind);
        return '[redacted]';
      };
      const scrub = (text: string, isKey = false): string => {
        if (namesFailed && !isKey && text !== '') {
          count('knownName');
          return '[redacted]';
        }
        let out = text.normalize('NFC');
        // Identifier patterns first: an email is removed whole before a name inside it is seen.
        for (const { kind, pattern } of patterns) out = out.replace(pattern, redact(kind));
        if (names) out = out.replace(names, redact('knownName'));
        return out;
      };
      // A test only: the removal is counted where the value is actually dropped or replaced.
      const hasIdentifier = (text: string, isKey = false) => {
        counting = false;
        try {
          return scrub(text, isKey) !== text.normalize('NFC');
        } finally {
          counting = true;
        }
      };
      const hashId = (value: string, kind: string): string | undefined => {
        count(kind);
        if (policy.userIdSecret === undefined) return undefined;
        return nodeCrypto().createHmac('sha256', policy.userIdSecret).update(value).digest('hex');
      };

      const cleanPath = (path: string): string => {
        const segments = path.split('/');
        let afterIdKey = false;
        return segments
          .map((raw) => {
            if (raw === '') return raw;
            let decoded = raw;
            try {
              decoded = decodeURIComponent(raw);
            } catch {
              // Malformed escapes: judge the raw text.
            }
            const mustGo = afterIdKey || looksLikeOpaqueId(decoded) || hasIdentifier(decoded);
            afterIdKey = ID_BEARING_SEGMENTS.has(decoded.toLowerCase());
            if (mustGo) {
              count('urlSegment');
              return ':id';
            }
            return raw;
          })
          .join('/');
      };

      const cleanUrl = (value: string): string | undefined => {
        let url: URL;
        const relative = !/^[a-z][a-z0-9+.-]*:/i.test(value);
        try {
          url = new URL(value, 'https://relative.invalid');
        } catch {
          const text = scrub(value);
          return text;
        }
        if (url.search) count('urlQuery');
        if (url.hash) count('urlFragment');
        if (url.username || url.password) count('urlCredentials');
        // Hosts are checked for identifiers only: a name part inside a domain is not about a patient.
        if (patterns.some(({ pattern }) => new RegExp(pattern.source, pattern.flags.replace('g', '')).test(url.hostname))) {
          count('urlHost');
          return undefined;
        }
        const path = cleanPath(url.pathname);
        return relative ? path : `${url.protocol}//${url.host}${path}`;
      };

      const pathOf = (value: unknown): string | undefined => {
        if (typeof value !== 'string') return undefined;
        try {
          return new URL(value, 'https://relative.invalid').pathname;
        } catch {
          return undefined;
        }
      };

      const cleanTitle = (title: string, siblingUrl: string | undefined): string | undefined => {
        const path = pathOf(siblingUrl);
        const rules = policy.titleCategories;
        let category: string | undefined;
        if (typeof rules === 'function') {
          try {
            category = rules(title, path);
          } catch {
            category = undefined;
          }
        } else {
          for (const rule of rules ?? []) {
            const pathOk =
              rule.path === undefined ||
              (path !== undefined &&
                (typeof rule.path === 'string'
                  ? path.startsWith(rule.path)
                  : new RegExp(rule.path.source, rule.path.flags.replace('g', '')).test(path)));
            const titleOk =
              rule.title === undefined || new RegExp(rule.title.source, rule.title.flags.replace('g', '')).test(title);
            if (pathOk && titleOk && (rule.path !== undefined || rule.title !== undefined)) {
              category = rule.category;
              break;
            }
          }
        }
        if (category !== undefined) {
          count('titleCategorized');
          return scrub(category);
        }
        const allowed = (policy.allowTitles ?? []).some((a) =>
          typeof a === 'string' ? a === title : new RegExp(a.source, a.flags.replace('g', '')).test(title),
        );
        if (allowed) return scrub(title);
        count('title');
        return undefined;
      };

      const siblingUrlOf = (object: Record<string, unknown>): string | undefined => {
        for (const [key, value] of Object.entries(object)) if (URL_KEYS.has(norm(key)) && typeof value === 'string') return value;
        return undefined;
      };

      const visit = (
        value: unknown,
        key: string | undefined,
        parent: Record<string, unknown> | undefined,
        depth: number,
      ): unknown => {
        if (depth > MAX_DEPTH) {
          count('tooDeep');
          return undefined;
        }
        if (typeof value === 'string') {
          const k = key === undefined ? '' : norm(key);
          if (URL_KEYS.has(k) || /^https?:\/\//i.test(value)) return cleanUrl(value);
          if (TITLE_KEYS.has(k)) return cleanTitle(value, parent && siblingUrlOf(parent));
          // URLs inside free text lose their queries and identifier segments too.
          return scrub(value.replace(/https?:\/\/[^\s"'<>]+/gi, (url) => cleanUrl(url) ?? '[redacted]'));
        }
        if (typeof value === 'number') {
          const k = key === undefined ? '' : norm(key);
          if (Number.isInteger(value) && Math.abs(value).toString().length >= minDigitRun && !numericKeys.has(k)) {
            count('digits');
            return undefined;
          }
          return value;
        }
        if (Array.isArray(value)) {
          return value.map((item) => visit(item, key, parent, depth + 1)).filter((item) => item !== undefined);
        }
        if (typeof value === 'object' && value !== null) {
          const source = value as Record<string, unknown>;
          const out: Record<string, unknown> = {};
          for (const [childKey, child] of Object.entries(source)) {
            const k = norm(childKey);
            if (IP_KEYS.has(k)) count('ip');
            else if (LOCATION_KEYS.has(k)) count('location');
            else if (phiKeys.has(k)) count('phiField');
            else if (k === 'name' && !(typeof child === 'string' && EVENT_NAME.test(child))) count('phiField');
            else if (hasIdentifier(childKey, true)) count('key');
            else if (USER_ID_KEYS.has(k) && child !== null && child !== undefined) {
              const hashed = hashId(String(child), 'userId');
              if (hashed !== undefined) out[childKey] = hashed;
            } else if ((CLIENT_ID_KEYS.has(k) || childKey === '_id') && typeof child === 'string') {
              // GA's `<random>.<timestamp>` and Matomo's 16-hex visitor ids are random, not identities.
              if (/^(\d{1,12}\.\d{1,12}|[0-9a-f]{16})$/i.test(child)) out[childKey] = child;
              else {
                const hashed = hashId(child, 'clientId');
                if (hashed !== undefined) out[childKey] = childKey === '_id' ? hashed.slice(0, 16) : hashed;
              }
            } else {
              const cleaned = visit(child, childKey, source, depth + 1);
              if (cleaned !== undefined) out[childKey] = cleaned;
            }
          }
          return out;
        }
        return value;
      };

      const cleaned = visit(event, undefined, undefined, 0) as T;
      const total = Object.values(removed).reduce((a, b) => a + b, 0);
      const forward = mode === 'enforce';
      const { telemetry, ...context } = options;
      telemetry?.emit('privacy:firewall', { ...context, mode, removed, total, forwarded: forward });
      try {
        policy.onReport?.({ mode, removed: { ...removed }, total });
      } catch {
        // A host's logger must not break the send.
      }
      return { event: cleaned, removed, total, forward, mode };
    },
  };
}
