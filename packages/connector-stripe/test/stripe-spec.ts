import { join } from 'node:path';
import { createOpenApiValidator, createSpecCache, findSpecsDir, loadSpecFile } from '@hmi/testing';

// Stripe's own API description and example objects through @hmi/testing (findSpecsDir honours
// HMI_SPECS_DIR; nothing is copied into the package). This file only names what is checked.
const specs = findSpecsDir();
const cache = createSpecCache();

/** Stripe's OpenAPI description (API version 2023-08-16: older than today's API), validated by the kit. */
export const stripeSpec = createOpenApiValidator(join(specs, 'stripe', 'spec3.2023-08-16.yaml'), { cache });

/** Stripe's example object per resource, today's shapes. */
export function loadStripeFixtures(): Record<string, Record<string, unknown>> {
  return (
    loadSpecFile(join(specs, 'stripe', 'fixtures3.json'), { cache }) as { resources: Record<string, Record<string, unknown>> }
  ).resources;
}

const pointer = (...parts: string[]) => `/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
type Json = Record<string, any>;

/** Request-body and component checks by path, and the query parameter names of an operation. */
export const spec = {
  /** Validates a decoded form body against `paths[path][method].requestBody` (strings coerced). */
  requestBody(path: string, method: string, body: unknown) {
    const at = pointer('paths', path, method, 'requestBody', 'content', 'application/x-www-form-urlencoded', 'schema');
    return stripeSpec.validateSchema(at, body, { coerce: true });
  },
  /** Validates an object against `components.schemas[name]`. */
  component: (name: string, value: unknown) => stripeSpec.validateComponent(name, value),
  /** The query parameter names of an operation. */
  queryParams(path: string, method: string): string[] {
    const op = (stripeSpec.document as Json).paths[path][method];
    return (op.parameters ?? []).filter((p: Json) => p.in === 'query').map((p: Json) => p.name);
  },
  /** The properties `components.schemas[name]` documents. */
  documented: (name: string): string[] => Object.keys((stripeSpec.document as Json).components.schemas[name]?.properties ?? {}),
};
