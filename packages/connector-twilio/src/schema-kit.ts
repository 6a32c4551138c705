import * as v from 'valibot';

// Shared valibot pieces of the connector's schemas. valibot (not zod) keeps `import` of the
// connector cheap for serverless receivers (issue 22): each schema pulls in only what it uses.

/** A string matching `pattern`, with the author's description as the issue message. */
export function pattern(regex: RegExp, message?: string) {
  return v.pipe(v.string(), v.regex(regex, message));
}

/** A string of `min`–`max` characters (UTF-16 code units, as zod counted them). */
export function text(min: number, max: number) {
  return v.pipe(v.string(), v.minLength(min), v.maxLength(max));
}

/** A string of at least one character. */
export function nonEmpty() {
  return v.pipe(v.string(), v.minLength(1));
}

/** A string of at most `max` characters. */
export function upTo(max: number) {
  return v.pipe(v.string(), v.maxLength(max));
}

/** A finite number: zod 4's `z.number()` refused Infinity, valibot's `number()` alone does not. */
export function finite() {
  return v.pipe(v.number(), v.finite());
}

/** An integer in `[min, max]`. */
export function int(min: number, max: number) {
  return v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
}

/**
 * An absolute URL, read as zod's `z.string().url()` read it: the trimmed text must parse as a URL,
 * and the output is trimmed with tabs and line breaks removed (what the URL parser ignores anyway).
 */
export const Url = v.pipe(
  v.string(),
  v.check((s) => URL.canParse(s.trim()), 'expected a URL'),
  v.transform((s) => s.trim().replace(/[\t\n\r]/g, '')),
);

// RFC 3339 date-time with seconds and `Z` or an offset (zod's `z.iso.datetime({ offset: true })`,
// real calendar days included: 29 February only in leap years).
const ISO_DATE_TIME =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;

/** An ISO 8601 date-time with seconds and a `Z` or `±hh:mm` offset. */
export const IsoDateTime = pattern(ISO_DATE_TIME, 'expected an ISO 8601 date-time with offset');

/** Any value that is a function (host callbacks in the config). */
export function fn<T>() {
  return v.custom<T>((value) => typeof value === 'function', 'expected a function');
}

/** A cross-field problem found by an {@link objectRule}: the key it is reported on and why. */
export interface RuleIssue {
  key: string;
  message: string;
}

/**
 * A cross-field rule on an object schema (what zod's `superRefine` was). Like zod, it runs even
 * when some fields failed a format check, but not when a field has the wrong type or is missing
 * (a `schema` issue): then the object is not there to judge.
 */
export function objectRule<T extends Record<string, unknown>>(rule: (value: T) => RuleIssue[]) {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (dataset.issues?.some((issue) => issue.kind === 'schema')) return;
    const value = dataset.value as T;
    for (const { key, message } of rule(value)) {
      addIssue({
        message,
        path: [{ type: 'object', origin: 'value', input: value, key, value: value[key] }],
      });
    }
  });
}

type Shape = v.GenericSchema & { readonly type: 'object' | 'loose_object' | 'object_with_rest' | 'record' };

/**
 * zod's objects and records refused an array; valibot's take one as an object without keys (an
 * all-optional object would accept `[]`). This restores zod's rule as a type issue, and keeps the
 * schema's `type` and `entries`, which the core walks to find secret and PHI fields.
 */
export function noArrays<S extends Shape>(schema: S): S {
  const run = schema['~run'];
  return v._standardSchema<S>({
    ...schema,
    '~run'(dataset, config) {
      if (!Array.isArray(dataset.value)) return run.call(this, dataset, config);
      v._addIssue(this as never, 'type', dataset, config);
      return dataset as never;
    },
  });
}
