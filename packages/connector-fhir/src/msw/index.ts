/**
 * `@hmi/connector-fhir/msw`: an in-memory FHIR R4 server as MSW handlers, for host applications'
 * tests. Create the connector AFTER `server.listen()` so its fetch is the intercepted one.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { createFhirServerFake } from '@hmi/connector-fhir/msw';
 * const fake = createFhirServerFake({ baseUrl: 'https://fhir.test/R4' });
 * const server = setupServer(...fake.handlers);
 * server.listen();
 * ```
 * @packageDocumentation
 */
import { http, type HttpHandler } from 'msw';
import { createFhirMemoryServer, type FhirMemoryServer, type FhirMemoryServerOptions } from './memory-server.js';

export { type FhirFixtures, fhirFixtures, FIXTURE_SYSTEMS } from './fixtures.js';
export { createFhirMemoryStore, type FhirMemoryStore, type StoredResource } from './memory-store.js';
export {
  createFhirMemoryServer,
  type FhirFakeFailure,
  type FhirFakeRequest,
  type FhirMemoryServer,
  type FhirMemoryServerOptions,
  operationOutcome,
} from './memory-server.js';

/** An in-memory FHIR server plus the MSW handlers that route to it. */
export interface FhirServerFake extends FhirMemoryServer {
  /** Pass to `setupServer(...handlers)` or `server.use(...handlers)`. */
  readonly handlers: HttpHandler[];
}

/** Creates an in-memory FHIR R4 server fake and its MSW handlers for `options.baseUrl`. */
export function createFhirServerFake(options: FhirMemoryServerOptions): FhirServerFake {
  const server = createFhirMemoryServer(options);
  const base = options.baseUrl.replace(/\/+$/, '');
  const handle = ({ request }: { request: Request }) => server.handle(request);
  return Object.assign(server, { handlers: [http.all(base, handle), http.all(`${base}/*`, handle)] });
}

/** MSW handlers of a fresh fake with the default fixtures: `setupServer(...fhirHandlers(url))`. */
export function fhirHandlers(baseUrl: string): HttpHandler[] {
  return createFhirServerFake({ baseUrl }).handlers;
}
