import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readSpec } from './spec-paths.js';

type Json = Record<string, unknown>;
const spec = readSpec<Json>('sendgrid/tsg_mail_v3.json');

/** Inlines `#/…` references (the spec has no cycles), keeping keys that sit beside a `$ref`. */
function inline(node: unknown, depth = 0): unknown {
  if (depth > 50) throw new Error('reference too deep');
  if (Array.isArray(node)) return node.map((n) => inline(n, depth + 1));
  if (node === null || typeof node !== 'object') return node;
  const { $ref, ...rest } = node as Json;
  const out: Json = {};
  if (typeof $ref === 'string') {
    const target = $ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => (at as Json)[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
    Object.assign(out, inline(target, depth + 1));
  }
  for (const [k, v] of Object.entries(rest)) out[k] = inline(v, depth + 1);
  return out;
}

/**
 * The spec leaves objects open (no `additionalProperties`), so a misspelt field would pass. The
 * closed variant forbids properties the spec does not name wherever it names some, which catches
 * `customArgs` for `custom_args`. Free-form maps (headers, custom_args, template data) stay open.
 */
function close(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(close);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = k === 'examples' || k === 'example' ? v : close(v);
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

const mailSend = (spec.paths as Json)['/v3/mail/send'] as Json;
const requestBody = inline((mailSend.post as Json).requestBody) as Json;
const media = (requestBody.content as Json)['application/json'] as Json;

/** The mail/send request body schema, `$ref`s resolved. */
export const mailSendSchema = media.schema as Json;
/** The request body examples the spec itself gives. */
export const mailSendExamples = Object.values(media.examples as Record<string, { value: unknown }>).map((e) => e.value);
/** SendGrid's error response schema. */
export const errorResponseSchema = inline(
  (spec.components as Json).schemas && ((spec.components as Json).schemas as Json).ErrorResponse,
) as Json;

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

/** Validates a mail/send body against the spec as published. */
export const validateMailSend: ValidateFunction = ajv.compile(mailSendSchema);
/** Validates a mail/send body against the spec with unknown properties forbidden. */
export const validateMailSendClosed: ValidateFunction = ajv.compile(close(mailSendSchema) as Json);
/** Validates an error body against the spec's ErrorResponse. */
export const validateErrorResponse: ValidateFunction = ajv.compile(errorResponseSchema);

/** Ajv's errors as readable text (for failing assertions). */
export function errorsOf(validate: ValidateFunction): string {
  return ajv.errorsText(validate.errors);
}
