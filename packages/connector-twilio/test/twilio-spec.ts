/**
 * Twilio's own OpenAPI description through @hmi/testing's validator (read at test time via
 * findSpecsDir, so HMI_SPECS_DIR works; never copied into the package). This file only names the
 * operations the Twilio tests check and Twilio's vendor formats.
 */
import { join } from 'node:path';
import { createOpenApiValidator, findSpecsDir } from '@hmi/testing';

/** The spec file. */
export const TWILIO_SPEC_PATH = join(findSpecsDir(), 'twilio', 'twilio_api_v2010.json');

const RFC_2822 = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** The validator, with Twilio's formats. */
export const twilioSpec = createOpenApiValidator(TWILIO_SPEC_PATH, {
  // Twilio ignores a misspelt parameter silently; closed objects make it an error here.
  closeObjects: true,
  formats: {
    // `phone-number` covers E.164, channel addresses and alphanumeric sender IDs.
    'phone-number': /^(?:\+[1-9]\d{6,14}|(?:whatsapp|messenger):\+?\w+|[A-Za-z0-9 ]{1,11})$/,
    'date-time-rfc-2822': (s) => RFC_2822.test(s) && !Number.isNaN(Date.parse(s)),
    // DateSent* say `format: date-time`, but Twilio documents (and its examples use) YYYY-MM-DD too.
    'date-time': (s) => ISO_DATE_TIME.test(s) || /^\d{4}-\d{2}-\d{2}$/.test(s),
    currency: /^[A-Z]{3}$/,
    'uri-map': () => true,
    // Twilio declares `format: uri` on next_page_uri & co. but returns relative references.
    uri: () => true,
  },
});

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const MESSAGES = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages.json`;
const MESSAGE = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages/SM0123456789abcdef0123456789abcdef.json`;
const AUTH = { authorization: `Basic ${Buffer.from(`${ACCOUNT}:token`).toString('base64')}` };

/** The result of a contract check: the errors, none when valid. */
export interface ContractResult {
  valid: boolean;
  errors: string[];
}

const asResult = (r: { valid: boolean; errors: Array<{ path: string; message: string }> }): ContractResult => ({
  valid: r.valid,
  errors: r.errors.map((e) => `${e.path} ${e.message}`),
});

/** Validates a form body against `POST …/Messages.json` (an undeclared parameter is an error). */
export function validateCreateMessageForm(body: string): ContractResult {
  return asResult(
    twilioSpec.validateRequest({
      method: 'POST',
      url: MESSAGES,
      headers: { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    }),
  );
}

/** Checks a List Messages query: every parameter declared, each of its declared type. */
export function validateListMessagesQuery(search: string): ContractResult {
  const query = search.replace(/^\?/, '');
  return asResult(twilioSpec.validateRequest({ method: 'GET', url: `${MESSAGES}?${query}`, headers: AUTH }));
}

const response = (method: string, url: string, status: number, body: unknown) =>
  asResult(twilioSpec.validateResponse({ method, url, status, headers: { 'content-type': 'application/json' }, body }));

/** Validates a Message resource (201 of Create Message). */
export const validateMessageResource = (body: unknown) => response('POST', MESSAGES, 201, body);
/** Validates a Message resource as Fetch Message returns it. */
export const validateFetchedMessage = (body: unknown) => response('GET', MESSAGE, 200, body);
/** Validates a List Messages page. */
export const validateMessagePage = (body: unknown) => response('GET', MESSAGES, 200, body);

type Json = Record<string, any>;
/** The spec's own example bodies for an operation's response, to test the validator itself. */
export function specExamples(path: 'messages' | 'message', method: 'get' | 'post', status: string): unknown[] {
  const template = `/2010-04-01/Accounts/{AccountSid}/${path === 'messages' ? 'Messages.json' : 'Messages/{Sid}.json'}`;
  const op = (twilioSpec.document as Json).paths[template][method];
  return Object.values(
    (op.responses[status]?.content['application/json']?.examples ?? {}) as Record<string, { value: unknown }>,
  ).map((e) => e.value);
}

const CALLS = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Calls.json`;
const CALL = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Calls/CA0123456789abcdef0123456789abcdef.json`;
const RECORDINGS = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Recordings.json`;
const RECORDING = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Recordings/RE0123456789abcdef0123456789abcdef.json`;

/** Checks a request the voice side sent (`GET` of Calls, a Call, Recordings) against the spec, by its path. */
export function validateVoiceRequest(pathAndQuery: string): ContractResult {
  return asResult(twilioSpec.validateRequest({ method: 'GET', url: `https://api.twilio.com${pathAndQuery}`, headers: AUTH }));
}
/** Validates a List Calls page. */
export const validateCallPage = (body: unknown) => response('GET', CALLS, 200, body);
/** Validates a Call resource (Fetch Call). */
export const validateCallResource = (body: unknown) => response('GET', CALL, 200, body);
/** Validates a List Recordings page. */
export const validateRecordingPage = (body: unknown) => response('GET', RECORDINGS, 200, body);
/** Validates a Recording resource (Fetch Recording). */
export const validateRecordingResource = (body: unknown) => response('GET', RECORDING, 200, body);
