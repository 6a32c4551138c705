import { join } from 'node:path';
import { createOpenApiValidator, createSpecCache, findSpecsDir, loadSpecFile, type SpecValidationResult } from '@hmi/testing';

// SendGrid's own mail/send description, read at test time through @hmi/testing (findSpecsDir
// honours HMI_SPECS_DIR); the kit does the validating, this file only names what is checked.
const specs = findSpecsDir();
const cache = createSpecCache();
/** The file of SendGrid's mail/send description. */
export const MAIL_SPEC_FILE = join(specs, 'sendgrid', 'tsg_mail_v3.json');
/** The published description, objects open as SendGrid leaves them. */
export const mailSpec = createOpenApiValidator(MAIL_SPEC_FILE, { cache });
/** The same with unknown properties forbidden wherever the description names some (catches `customArgs`). */
export const mailSpecClosed = createOpenApiValidator(MAIL_SPEC_FILE, { cache, closeObjects: true });

/** Reads a JSON file under the shared specs folder. */
export function readSpec<T = unknown>(relative: string): T {
  return loadSpecFile(join(specs, relative), { cache }) as T;
}

type Json = Record<string, any>;
/** Follows a local `$ref` (`#/components/…`). */
const deref = (node: Json): Json =>
  typeof node.$ref === 'string'
    ? deref(
        node.$ref
          .slice(2)
          .split('/')
          .reduce((at: Json, key: string) => at[key], mailSpec.document as Json),
      )
    : node;
const media = () => deref(deref((mailSpec.document as Json).paths['/v3/mail/send'].post.requestBody).content['application/json']);

/** The request body examples the description itself gives. */
export const mailSendExamples: unknown[] = Object.values(media().examples as Record<string, { value: unknown }>).map(
  (e) => e.value,
);

const headers = { authorization: 'Bearer SG.test.key', 'content-type': 'application/json' };
const send = (validator: typeof mailSpec, body: unknown): SpecValidationResult =>
  validator.validateRequest({ method: 'POST', url: 'https://api.sendgrid.com/v3/mail/send', headers, body });

/** The issues of a mail/send body against the description as published ([] when valid). */
export const mailSendIssues = (body: unknown) => send(mailSpec, body).errors;
/** The issues with unknown properties forbidden ([] when valid). */
export const mailSendClosedIssues = (body: unknown) => send(mailSpecClosed, body).errors;
/** The issues of an error body against the description's ErrorResponse ([] when valid). */
export const errorResponseIssues = (body: unknown) => mailSpec.validateComponent('ErrorResponse', body).errors;
/** The mail/send request body schema's `personalizations` bounds. */
export const personalizationsMaxItems = (): number | undefined => {
  return deref(deref(media().schema).properties.personalizations).maxItems;
};
