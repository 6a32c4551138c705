/**
 * A small contract checker over Twilio's own OpenAPI description (read at test time from
 * ../shared/specs, never copied into the package). `@hmi/testing`'s shared validator is being
 * written in parallel; this local one covers exactly what the Twilio tests need.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under ESM its default export may be wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

/** The spec file, resolved from this test file to the repository's sibling `shared/specs`. */
export const TWILIO_SPEC_PATH = fileURLToPath(new URL('../../../../shared/specs/twilio/twilio_api_v2010.json', import.meta.url));

type Json = Record<string, unknown>;

let cached: Json | undefined;
/** The parsed spec (read once per test file). */
export function twilioSpec(): Json {
  cached ??= JSON.parse(readFileSync(TWILIO_SPEC_PATH, 'utf8')) as Json;
  return cached;
}

const MESSAGES = '/2010-04-01/Accounts/{AccountSid}/Messages.json';
const MESSAGE = '/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json';

function operation(path: string, method: 'get' | 'post'): Json {
  const paths = twilioSpec().paths as Record<string, Record<string, Json>>;
  const op = paths[path]?.[method];
  if (!op) throw new Error(`spec has no ${method} ${path}`);
  return op;
}

// Twilio's vendor formats. `phone-number` covers E.164, channel addresses and sender IDs.
function createAjv(responseMode: boolean): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: responseMode ? false : 'array' });
  addFormats(ajv);
  ajv.addFormat('phone-number', /^(?:\+[1-9]\d{6,14}|(?:whatsapp|messenger):\+?\w+|[A-Za-z0-9 ]{1,11})$/);
  ajv.addFormat('date-time-rfc-2822', {
    type: 'string',
    validate: (s: string) =>
      /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/.test(s) && !Number.isNaN(Date.parse(s)),
  });
  ajv.addFormat('currency', /^[A-Z]{3}$/);
  ajv.addFormat('uri-map', true);
  // Twilio declares `format: uri` on next_page_uri & co. but returns relative references
  // ("/2010-04-01/…") in its own examples, so responses are checked as URI references.
  if (responseMode) ajv.addFormat('uri', addFormatsUriReference(ajv));
  return ajv;
}

function addFormatsUriReference(ajv: Ajv): RegExp | ((s: string) => boolean) {
  const format = ajv.formats['uri-reference'];
  if (format instanceof RegExp || typeof format === 'function') return format as RegExp | ((s: string) => boolean);
  return () => true;
}

const requestAjv = createAjv(false);
const responseAjv = createAjv(true);

function compile(ajv: Ajv, schema: unknown): ValidateFunction {
  return ajv.compile({ ...(schema as Json), components: twilioSpec().components });
}

/** The result of a contract check: the errors, none when valid. */
export interface ContractResult {
  valid: boolean;
  errors: string[];
}

function result(errors: ErrorObject[] | null | undefined, extra: string[] = []): ContractResult {
  const messages = [...(errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}`), ...extra];
  return { valid: messages.length === 0, errors: messages };
}

let createMessageSchema: { validate: ValidateFunction; properties: Json } | undefined;
/**
 * Validates a form body against `POST …/Messages.json`'s requestBody schema: values are coerced
 * from form strings to the declared types, repeated names become arrays, and a field the spec does
 * not declare is an error (a misspelt parameter would be silently ignored by Twilio).
 */
export function validateCreateMessageForm(body: string): ContractResult {
  if (!createMessageSchema) {
    const schema = (operation(MESSAGES, 'post').requestBody as Json).content as Record<string, { schema: Json }>;
    const formSchema = schema['application/x-www-form-urlencoded']?.schema as Json;
    createMessageSchema = { validate: compile(requestAjv, formSchema), properties: formSchema.properties as Json };
  }
  const { validate, properties } = createMessageSchema;
  const data: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [name, value] of new URLSearchParams(body)) {
    if (!(name in properties)) unknown.push(`${name} is not a parameter of Create Message`);
    const isArray = (properties[name] as Json | undefined)?.type === 'array';
    if (isArray) data[name] = [...((data[name] as string[] | undefined) ?? []), value];
    else data[name] = value;
  }
  validate(data);
  return result(validate.errors, unknown);
}

/** Checks that every query parameter of a list request is one the spec declares, and PageSize its range. */
export function validateListMessagesQuery(search: string): ContractResult {
  const params = operation(MESSAGES, 'get').parameters as Array<{ name: string; in: string; schema: Json }>;
  const declared = new Map(params.filter((p) => p.in === 'query').map((p) => [p.name, p.schema]));
  const errors: string[] = [];
  for (const [name, value] of new URLSearchParams(search)) {
    const schema = declared.get(name);
    if (!schema) {
      errors.push(`${name} is not a query parameter of List Messages`);
      continue;
    }
    // DateSent* say `format: date-time` but Twilio documents (and its examples use) YYYY-MM-DD.
    if (name.startsWith('DateSent')) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) errors.push(`${name} is not YYYY-MM-DD`);
      continue;
    }
    const holder = { v: value };
    const validate = requestAjv.compile({ type: 'object', properties: { v: schema } });
    if (!validate(holder)) errors.push(...result(validate.errors).errors.map((e) => `${name}: ${e}`));
  }
  return { valid: errors.length === 0, errors };
}

const responseValidators = new Map<string, ValidateFunction>();
function responseValidator(path: string, method: 'get' | 'post', status: string): ValidateFunction {
  const key = `${method} ${path} ${status}`;
  let validate = responseValidators.get(key);
  if (!validate) {
    const responses = operation(path, method).responses as Record<string, { content: Record<string, { schema: Json }> }>;
    const schema = responses[status]?.content['application/json']?.schema;
    if (!schema) throw new Error(`spec has no ${status} response for ${key}`);
    validate = compile(responseAjv, schema);
    responseValidators.set(key, validate);
  }
  return validate;
}

/** Validates a Message resource (201 of Create Message). */
export function validateMessageResource(body: unknown): ContractResult {
  const validate = responseValidator(MESSAGES, 'post', '201');
  validate(structuredClone(body));
  return result(validate.errors);
}

/** Validates a Message resource as Fetch Message returns it. */
export function validateFetchedMessage(body: unknown): ContractResult {
  const validate = responseValidator(MESSAGE, 'get', '200');
  validate(structuredClone(body));
  return result(validate.errors);
}

/** Validates a List Messages page. */
export function validateMessagePage(body: unknown): ContractResult {
  const validate = responseValidator(MESSAGES, 'get', '200');
  validate(structuredClone(body));
  return result(validate.errors);
}

/** The spec's own example bodies for an operation's response, to test the validator itself. */
export function specExamples(path: 'messages' | 'message', method: 'get' | 'post', status: string): unknown[] {
  const op = operation(path === 'messages' ? MESSAGES : MESSAGE, method);
  const responses = op.responses as Record<
    string,
    { content: Record<string, { examples?: Record<string, { value: unknown }> }> }
  >;
  return Object.values(responses[status]?.content['application/json']?.examples ?? {}).map((e) => e.value);
}
