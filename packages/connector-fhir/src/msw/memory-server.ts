import { randomUUID } from 'node:crypto';
import { type FhirFixtures, fhirFixtures } from './fixtures.js';
import { createFhirMemoryStore, type FhirMemoryStore, type StoredResource } from './memory-store.js';
import { search, subset } from './search.js';

/** Options of {@link createFhirMemoryServer}. */
export interface FhirMemoryServerOptions {
  /** The FHIR base URL the fake answers on, e.g. `https://fhir.example.test/R4`. */
  baseUrl: string;
  /** Resources to start with. Default {@link fhirFixtures}; pass `false` for an empty server. */
  fixtures?: FhirFixtures | false;
  /** `_count` when the client gives none. Default 50. */
  defaultPageSize?: number;
  /** Whether the CapabilityStatement lists `_elements` (and the fake honours it). Default true. */
  supportsElements?: boolean;
  /** Serve `.well-known/smart-configuration` with this token endpoint. */
  smartTokenEndpoint?: string;
  /** Accept only requests with `Authorization: Bearer <token>` for which this returns true. */
  authorize?: (authorization: string | null) => boolean;
  /** The clock of `meta.lastUpdated`. Default `Date.now`. */
  now?: () => number;
}

/** A request the fake received (headers lower-cased). */
export interface FhirFakeRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** An injected failure: the next matching requests answer with an OperationOutcome. */
export interface FhirFakeFailure {
  /** HTTP status. Default 500. */
  status?: number;
  /** OperationOutcome issue code. Default `transient`. */
  code?: string;
  /** Only requests this accepts fail. Default: every request. */
  match?: (url: URL, method: string) => boolean;
  /** Extra response headers (e.g. `retry-after`). */
  headers?: Record<string, string>;
}

/** An in-memory FHIR R4 server: framework-free, `handle(Request) → Response`. */
export interface FhirMemoryServer {
  handle(request: Request): Promise<Response>;
  readonly store: FhirMemoryStore;
  /** Every request received, oldest first. */
  readonly requests: FhirFakeRequest[];
  /** Makes the next `times` matching requests fail. */
  failNext(times: number, failure?: FhirFakeFailure): void;
  /** Back to the initial fixtures; requests and failures cleared. */
  reset(): void;
}

const FHIR_JSON = 'application/fhir+json';

/** An OperationOutcome body. */
export function operationOutcome(code: string, diagnostics?: string, severity = 'error') {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, ...(diagnostics && { diagnostics }) }] };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': FHIR_JSON, ...headers },
  });
}

/**
 * Creates the fake. Searches support `_lastUpdated` (eq/gt/ge/lt/le), `_sort=_lastUpdated`,
 * `_count`, `_elements`, `_summary=count`, `identifier`, `phone`, `email`, `name`, `patient`;
 * paging snapshots the result set and serves it through opaque `next` links. Reads, conditional
 * create (`If-None-Exist`), versioned update (`If-Match`) and OperationOutcome errors behave as R4
 * servers do.
 */
export function createFhirMemoryServer(options: FhirMemoryServerOptions): FhirMemoryServer {
  const base = new URL(options.baseUrl.replace(/\/+$/, ''));
  const basePath = base.pathname.replace(/\/+$/, '');
  const store = createFhirMemoryStore(options.now);
  const requests: FhirFakeRequest[] = [];
  const failures: Array<FhirFakeFailure & { left: number }> = [];
  const snapshots = new Map<string, StoredResource[]>();
  const pageSize = options.defaultPageSize ?? 50;
  const supportsElements = options.supportsElements ?? true;

  const seed = () => {
    store.clear();
    const fx = options.fixtures === false ? undefined : (options.fixtures ?? fhirFixtures());
    for (const r of [...(fx?.patients ?? []), ...(fx?.conditions ?? []), ...(fx?.appointments ?? [])]) {
      store.write(r as unknown as Record<string, unknown>, { keepLastUpdated: true });
    }
  };
  seed();

  const headersFor = (r: StoredResource) => ({
    etag: `W/"${r.meta.versionId}"`,
    location: `${base.href.replace(/\/+$/, '')}/${r.resourceType}/${r.id}/_history/${r.meta.versionId}`,
    'last-modified': new Date(r.meta.lastUpdated).toUTCString(),
  });

  function page(type: string, all: StoredResource[], offset: number, count: number, elements: string[] | undefined, key: string) {
    const slice = all.slice(offset, offset + count);
    const link = [
      {
        relation: 'self',
        url: `${base.href.replace(/\/+$/, '')}/${type}?_getpages=${key}&_getpagesoffset=${offset}&_count=${count}`,
      },
    ];
    if (offset + count < all.length) {
      // A HAPI-style opaque link: clients must follow it as given, never compute offsets.
      link.push({
        relation: 'next',
        url: `${base.href.replace(/\/+$/, '')}?_getpages=${key}&_getpagesoffset=${offset + count}&_count=${count}`,
      });
    }
    return {
      resourceType: 'Bundle',
      id: randomUUID(),
      type: 'searchset',
      total: all.length,
      link,
      entry: slice.map((r) => ({
        fullUrl: `${base.href.replace(/\/+$/, '')}/${r.resourceType}/${r.id}`,
        resource: elements ? subset(r, elements) : r,
        search: { mode: 'match' },
      })),
    };
  }

  function doSearch(type: string, params: URLSearchParams): Response {
    const found = search(store.all(type), params);
    if (params.get('_summary') === 'count') return json(200, { resourceType: 'Bundle', type: 'searchset', total: found.length });
    const count = Math.min(Math.max(Number(params.get('_count') ?? pageSize) || pageSize, 1), 1000);
    const elements = supportsElements && params.get('_elements') ? params.get('_elements')!.split(',') : undefined;
    const key = randomUUID();
    snapshots.set(key, found);
    return json(200, page(type, found, 0, count, elements, `${key}.${type}.${elements?.join(':') ?? ''}`));
  }

  function getPages(params: URLSearchParams): Response {
    const [key = '', type = '', elementList = ''] = (params.get('_getpages') ?? '').split('.');
    const all = snapshots.get(key);
    if (!all) return json(410, operationOutcome('not-found', 'search expired'));
    const offset = Number(params.get('_getpagesoffset') ?? 0);
    const count = Number(params.get('_count') ?? pageSize);
    return json(
      200,
      page(type, all, offset, count, elementList ? elementList.split(':') : undefined, `${key}.${type}.${elementList}`),
    );
  }

  function capability(): Response {
    return json(200, {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: '2025-01-01',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['json'],
      rest: [
        {
          mode: 'server',
          ...(supportsElements && { searchParam: [{ name: '_elements', type: 'string' }] }),
          resource: ['Patient', 'Condition', 'Appointment'].map((type) => ({
            type,
            interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }, { code: 'update' }],
            conditionalCreate: true,
            searchParam: [{ name: '_lastUpdated', type: 'date' }],
          })),
        },
      ],
    });
  }

  async function route(request: Request, url: URL, body: unknown): Promise<Response> {
    const rest = url.pathname.slice(basePath.length).replace(/^\/+|\/+$/g, '');
    const segments = rest === '' ? [] : rest.split('/');
    const method = request.method.toUpperCase();
    if (segments[0] === '.well-known' && segments[1] === 'smart-configuration' && options.smartTokenEndpoint) {
      return json(200, {
        token_endpoint: options.smartTokenEndpoint,
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
        grant_types_supported: ['client_credentials'],
        capabilities: ['client-confidential-asymmetric'],
      });
    }
    if (options.authorize && !options.authorize(request.headers.get('authorization'))) {
      return json(401, operationOutcome('login'), { 'www-authenticate': 'Bearer' });
    }
    if (segments.length === 0 && method === 'GET' && url.searchParams.has('_getpages')) return getPages(url.searchParams);
    if (segments[0] === 'metadata' && method === 'GET') return capability();
    const [type, id] = segments as [string | undefined, string | undefined];
    if (!type || !/^[A-Z][A-Za-z]+$/.test(type) || segments.length > 2) return json(404, operationOutcome('not-supported'));
    if (method === 'GET' && !id) return doSearch(type, url.searchParams);
    if (method === 'GET' && id) {
      const found = store.read(type, id);
      return found ? json(200, found, headersFor(found)) : json(404, operationOutcome('not-found', `${type}/${id} is not known`));
    }
    const resource = body as Record<string, unknown> | undefined;
    if ((method === 'POST' || method === 'PUT') && (resource?.resourceType !== type || typeof resource !== 'object')) {
      return json(400, operationOutcome('invalid', 'body is not a resource of the type in the URL'));
    }
    if (method === 'POST' && !id) {
      const condition = request.headers.get('if-none-exist');
      if (condition) {
        const existing = search(store.all(type), new URLSearchParams(condition));
        if (existing.length > 1) return json(412, operationOutcome('multiple-matches'));
        if (existing.length === 1) return json(200, existing[0], headersFor(existing[0]!));
      }
      const { id: _drop, ...fresh } = resource!;
      const stored = store.write({ ...fresh, meta: {} });
      return json(201, stored, headersFor(stored));
    }
    if (method === 'PUT' && id) {
      if (resource!.id !== id) return json(400, operationOutcome('invalid', 'id in body and URL differ'));
      const current = store.read(type, id);
      const expected = request.headers.get('if-match');
      if (expected && current && expected !== `W/"${current.meta.versionId}"`) return json(412, operationOutcome('conflict'));
      const stored = store.write({ ...resource!, meta: { ...(resource!.meta as object), lastUpdated: undefined } });
      return json(current ? 200 : 201, stored, headersFor(stored));
    }
    return json(405, operationOutcome('not-supported'));
  }

  return {
    store,
    requests,
    failNext(times, failure = {}) {
      failures.push({ ...failure, left: times });
    },
    reset() {
      requests.length = 0;
      failures.length = 0;
      snapshots.clear();
      seed();
    },
    async handle(request) {
      const url = new URL(request.url);
      const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        return json(400, operationOutcome('structure', 'body is not JSON'));
      }
      requests.push({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body });
      const failure = failures.find((f) => f.left > 0 && (!f.match || f.match(url, request.method)));
      if (failure) {
        failure.left--;
        return json(failure.status ?? 500, operationOutcome(failure.code ?? 'transient'), failure.headers);
      }
      return route(request, url, body);
    },
  };
}
