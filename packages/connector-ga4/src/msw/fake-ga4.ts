import { randomBytes } from 'node:crypto';
import { decodeJwt, importSPKI, jwtVerify } from 'jose';
import { type HttpHandler, HttpResponse, http } from 'msw';
import { validateMeasurementProtocolBody, type MpValidationMessage } from '../events/mp-validation.js';
import { GA4_ADMIN_BASE_URL, GA4_DATA_BASE_URL, GA4_MP_BASE_URL, GA4_READONLY_SCOPE, GOOGLE_TOKEN_URL } from '../ga4-config.js';
import { FAKE_DIMENSIONS, FAKE_METRICS, type FakeGa4Row, ga4RowsForDay } from './fixtures.js';
import { aggregate, daysBetween, FakeInvalidArgument, resolveDate } from './report-engine.js';

/** Options of {@link createFakeGa4}. */
export interface FakeGa4Options {
  propertyId?: string;
  accountId?: string;
  measurementId?: string;
  apiSecret?: string;
  /** Access tokens accepted besides the ones the token endpoint issues. */
  accessTokens?: string[];
  /** SPKI PEM of the service account: assertions are verified with it. Without it they are only decoded. */
  serviceAccountPublicKey?: string;
  /** The service account's email (`iss` of assertions). */
  serviceAccountEmail?: string;
  dataBaseUrl?: string;
  adminBaseUrl?: string;
  mpBaseUrl?: string;
  tokenUrl?: string;
  /** The clock for relative dates and token lifetimes. */
  now?: () => Date;
  /** Base rows of a day; default {@link ga4RowsForDay}. */
  rowsForDay?: (date: string) => FakeGa4Row[];
  /** Tokens per hour before the fake answers 429 RESOURCE_EXHAUSTED. Default unlimited. */
  tokensPerHour?: number;
}

/** One request the fake received, raw: what reached "Google". */
export interface FakeGa4Request {
  method: string;
  url: string;
  body: string;
  /** The JSON the fake answered with (Data and Admin API successes). */
  response?: unknown;
}

/** State of a fake GA4, for assertions. */
export interface FakeGa4State {
  /** Every request, in order (URL and raw body: count canaries here). */
  requests: FakeGa4Request[];
  /** Measurement Protocol bodies received on `/mp/collect`, with the debug validator's verdict. */
  mpHits: Array<{ body: unknown; validationMessages: MpValidationMessage[] }>;
  /** Access tokens issued by the token endpoint. */
  tokensIssued: string[];
  /** Quota tokens consumed this "hour". */
  tokensConsumed: number;
  /** Makes the next `count` Data/Admin API calls fail with `status` in Google's error shape. */
  failNext(status: number, count?: number, googleStatus?: string): void;
  /** Forgets the failures `failNext` queued and not yet served. */
  clearFailures(): void;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

function googleError(status: number, message: string, googleStatus = STATUS_NAMES[status] ?? 'UNKNOWN') {
  return HttpResponse.json({ error: { code: status, message, status: googleStatus } }, { status });
}

type Json = Record<string, unknown>;

/**
 * A fake Google Analytics 4 for MSW: the OAuth token endpoint (JWT bearer grant, assertions
 * verified with the service account's public key), Data API `runReport` (dimensions, metrics,
 * date ranges, filters, orderBys, offset/limit, `rowCount`, `propertyQuota`) and
 * `runRealtimeReport` over deterministic fixture data, quota exhaustion (429 RESOURCE_EXHAUSTED),
 * Admin API `properties.list` / `dataStreams.list`, and the Measurement Protocol's `/mp/collect`
 * and `/debug/mp/collect` with the documented validation rules. Fresh state per call.
 */
export function createFakeGa4(options: FakeGa4Options = {}): { handlers: HttpHandler[]; state: FakeGa4State } {
  const propertyId = options.propertyId ?? '123456789';
  const accountId = options.accountId ?? '987654';
  const measurementId = options.measurementId ?? 'G-HMI0TEST1';
  const apiSecret = options.apiSecret ?? 'mp_secret_fake_0001';
  const data = (options.dataBaseUrl ?? GA4_DATA_BASE_URL).replace(/\/+$/, '');
  const admin = (options.adminBaseUrl ?? GA4_ADMIN_BASE_URL).replace(/\/+$/, '');
  const mp = (options.mpBaseUrl ?? GA4_MP_BASE_URL).replace(/\/+$/, '');
  const tokenUrl = options.tokenUrl ?? GOOGLE_TOKEN_URL;
  const now = options.now ?? (() => new Date());
  const rowsForDay = options.rowsForDay ?? ga4RowsForDay;
  const failures: Array<{ status: number; googleStatus: string | undefined }> = [];
  const accepted = new Set(options.accessTokens ?? []);
  const state: FakeGa4State = {
    requests: [],
    mpHits: [],
    tokensIssued: [],
    tokensConsumed: 0,
    failNext(status, count = 1, googleStatus) {
      for (let i = 0; i < count; i++) failures.push({ status, googleStatus });
    },
    clearFailures() {
      failures.length = 0;
    },
  };
  const record = async (request: Request) => {
    const body = await request.clone().text();
    state.requests.push({ method: request.method, url: request.url, body });
    return body;
  };
  /** Auth and injected faults of the Data and Admin APIs. */
  const gate = (request: Request) => {
    const auth = request.headers.get('authorization') ?? '';
    if (!auth.startsWith('Bearer ') || !accepted.has(auth.slice(7)))
      return googleError(401, 'Request had invalid authentication credentials.');
    const failure = failures.shift();
    if (failure) return googleError(failure.status, 'injected failure', failure.googleStatus);
    return undefined;
  };
  const quota = (tokens: number) => {
    state.tokensConsumed += tokens;
    const perHour = options.tokensPerHour ?? 1_000_000;
    const status = (consumed: number, limit: number) => ({ consumed, remaining: Math.max(0, limit - consumed) });
    return {
      tokensPerDay: status(state.tokensConsumed, perHour * 10),
      tokensPerHour: status(state.tokensConsumed, perHour),
      concurrentRequests: { consumed: 0, remaining: 10 },
      serverErrorsPerProjectPerHour: { consumed: 0, remaining: 10 },
      potentiallyThresholdedRequestsPerHour: { consumed: 0, remaining: 120 },
      tokensPerProjectPerHour: status(state.tokensConsumed, perHour * 4),
    };
  };
  const overQuota = () => options.tokensPerHour !== undefined && state.tokensConsumed >= options.tokensPerHour;

  const token = http.post(tokenUrl, async ({ request }) => {
    const form = new URLSearchParams(await record(request));
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return HttpResponse.json({ error: 'unsupported_grant_type' }, { status: 400 });
    const assertion = form.get('assertion') ?? '';
    try {
      const claims = options.serviceAccountPublicKey
        ? (
            await jwtVerify(assertion, await importSPKI(options.serviceAccountPublicKey, 'RS256'), {
              audience: tokenUrl,
              currentDate: now(),
            })
          ).payload
        : decodeJwt(assertion);
      if (claims.aud !== tokenUrl || typeof claims.iss !== 'string') throw new Error('claims');
      if (options.serviceAccountEmail && claims.iss !== options.serviceAccountEmail) throw new Error('iss');
      if (
        !String(claims.scope ?? '')
          .split(' ')
          .includes(GA4_READONLY_SCOPE)
      )
        throw new Error('scope');
      if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number' || claims.exp - claims.iat > 3600)
        throw new Error('exp');
    } catch {
      return HttpResponse.json({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }, { status: 400 });
    }
    const issued = `ya29.fake-${randomBytes(12).toString('hex')}`;
    accepted.add(issued);
    state.tokensIssued.push(issued);
    return HttpResponse.json({ access_token: issued, expires_in: 3599, token_type: 'Bearer' });
  });

  const report = (kind: 'runReport' | 'runRealtimeReport') =>
    http.post(new RegExp(`^${escapeRegExp(data)}/v1beta/properties/(\\d+):${kind}$`), async ({ request }) => {
      const raw = await record(request);
      const refused = gate(request);
      if (refused) return refused;
      const id = /properties\/(\d+):/.exec(request.url)?.[1];
      if (id !== propertyId) return googleError(403, 'User does not have sufficient permissions for this property.');
      if (overQuota()) return googleError(429, 'Exhausted property tokens per hour for the property.');
      let body: Json;
      try {
        body = JSON.parse(raw) as Json;
      } catch {
        return googleError(400, 'Invalid JSON payload received.');
      }
      try {
        const answer = kind === 'runReport' ? runReport(body) : runRealtime(body);
        (state.requests.at(-1) as FakeGa4Request).response = answer;
        return HttpResponse.json(answer);
      } catch (error) {
        if (error instanceof FakeInvalidArgument) return googleError(400, error.message);
        throw error;
      }
    });

  const names = (list: unknown): string[] => {
    if (!Array.isArray(list)) return [];
    return list.map((d) => {
      if (typeof (d as Json)?.name !== 'string') throw new FakeInvalidArgument('dimensions and metrics need a name');
      return (d as Json).name as string;
    });
  };
  const int64 = (value: unknown, fallback: number) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(String(value))) throw new FakeInvalidArgument('offset and limit must be non-negative integers');
    return Number(value);
  };
  const respond = (
    dims: string[],
    mets: string[],
    rows: Array<{ dims: string[]; mets: number[] }>,
    body: Json,
    kind: string,
  ) => ({
    dimensionHeaders: dims.map((name) => ({ name })),
    metricHeaders: mets.map((name) => ({ name, type: 'TYPE_INTEGER' })),
    rows: rows.map((r) => ({
      dimensionValues: r.dims.map((value) => ({ value })),
      metricValues: r.mets.map((m) => ({ value: String(m) })),
    })),
    rowCount: rows.length,
    ...(body.returnPropertyQuota === true && { propertyQuota: quota(0) }),
    kind: `analyticsData#${kind}`,
  });

  function runReport(body: Json) {
    const dims = names(body.dimensions);
    const mets = names(body.metrics);
    if (mets.length === 0 && dims.length === 0) throw new FakeInvalidArgument('at least one dimension or metric is required');
    const ranges = (body.dateRanges as Array<{ startDate: string; endDate: string; name?: string }> | undefined) ?? [];
    if (ranges.length === 0 || ranges.length > 4) throw new FakeInvalidArgument('one to four dateRanges are required');
    const offset = int64(body.offset, 0);
    const limit = int64(body.limit, 10_000);
    if (limit < 1) throw new FakeInvalidArgument('limit must be positive');
    let rows: Array<{ dims: string[]; mets: number[] }> = [];
    ranges.forEach((range, i) => {
      const base = daysBetween(resolveDate(range.startDate, now()), resolveDate(range.endDate, now())).flatMap(rowsForDay);
      const part = aggregate(base, dims, mets, body as never);
      rows.push(...(ranges.length > 1 ? part.map((r) => ({ ...r, dims: [...r.dims, range.name ?? `date_range_${i}`] })) : part));
    });
    const total = rows.length;
    rows = rows.slice(offset, offset + Math.min(limit, 250_000));
    quota(1 + Math.ceil(rows.length / 1000));
    const out = respond(ranges.length > 1 ? [...dims, 'dateRange'] : dims, mets, rows, body, 'runReport');
    return { ...out, rowCount: total, metadata: { currencyCode: 'SAR', timeZone: 'Asia/Riyadh' } };
  }

  function runRealtime(body: Json) {
    const dims = names(body.dimensions);
    const mets = names(body.metrics);
    const today = now().toISOString().slice(0, 10);
    const all = aggregate(
      rowsForDay(today).slice(0, 24),
      dims.filter((d) => d !== 'minutesAgo'),
      mets,
      body as never,
    );
    const rows = all.slice(0, int64(body.limit, 10_000));
    quota(1);
    return respond(
      dims.filter((d) => d !== 'minutesAgo'),
      mets,
      rows,
      body,
      'runRealtimeReport',
    );
  }

  const metadata = http.get(new RegExp(`^${escapeRegExp(data)}/v1beta/properties/(\\d+)/metadata$`), async ({ request }) => {
    await record(request);
    const refused = gate(request);
    if (refused) return refused;
    const name = `properties/${/properties\/(\d+)\//.exec(request.url)?.[1]}/metadata`;
    return HttpResponse.json({
      name,
      dimensions: FAKE_DIMENSIONS.map((apiName) => ({ apiName, uiName: apiName, category: 'Fake' })),
      metrics: FAKE_METRICS.map((apiName) => ({ apiName, uiName: apiName, type: 'TYPE_INTEGER', category: 'Fake' })),
    });
  });

  const properties = http.get(`${admin}/v1beta/properties`, async ({ request }) => {
    await record(request);
    const refused = gate(request);
    if (refused) return refused;
    const filter = new URL(request.url).searchParams.get('filter');
    if (!filter) return googleError(400, 'filter is required');
    if (filter !== `parent:accounts/${accountId}`) return HttpResponse.json({});
    return HttpResponse.json({
      properties: [
        {
          name: `properties/${propertyId}`,
          parent: `accounts/${accountId}`,
          account: `accounts/${accountId}`,
          displayName: 'مستشفى المثال — الموقع',
          timeZone: 'Asia/Riyadh',
          currencyCode: 'SAR',
          propertyType: 'PROPERTY_TYPE_ORDINARY',
          industryCategory: 'HEALTHCARE',
          serviceLevel: 'GOOGLE_ANALYTICS_STANDARD',
          createTime: '2025-01-05T08:00:00Z',
          updateTime: '2025-06-01T08:00:00Z',
        },
      ],
    });
  });

  const streams = http.get(
    new RegExp(`^${escapeRegExp(admin)}/v1beta/properties/(\\d+)/dataStreams(\\?.*)?$`),
    async ({ request }) => {
      await record(request);
      const refused = gate(request);
      if (refused) return refused;
      const id = /properties\/(\d+)\//.exec(request.url)?.[1];
      if (id !== propertyId) return googleError(404, 'not found');
      return HttpResponse.json({
        dataStreams: [
          {
            name: `properties/${propertyId}/dataStreams/5550001`,
            type: 'WEB_DATA_STREAM',
            displayName: 'hospital.example',
            webStreamData: { measurementId, defaultUri: 'https://hospital.example', firebaseAppId: '' },
            createTime: '2025-01-05T08:00:00Z',
            updateTime: '2025-01-05T08:00:00Z',
          },
        ],
      });
    },
  );

  const collect = (debug: boolean) =>
    http.post(`${mp}${debug ? '/debug' : ''}/mp/collect`, async ({ request }) => {
      const raw = await record(request);
      const q = new URL(request.url).searchParams;
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const messages = validateMeasurementProtocolBody(body);
      if (q.get('measurement_id') !== measurementId || q.get('api_secret') !== apiSecret) {
        messages.push({
          fieldPath: 'api_secret',
          validationCode: 'VALUE_INVALID',
          description: 'unknown measurement_id or api_secret',
        });
      }
      if (debug) return HttpResponse.json({ validationMessages: messages });
      state.mpHits.push({ body, validationMessages: messages });
      // Google answers 2xx whatever it does with the hit.
      return new HttpResponse(null, { status: 204 });
    });

  return {
    handlers: [
      token,
      report('runReport'),
      report('runRealtimeReport'),
      metadata,
      properties,
      streams,
      collect(false),
      collect(true),
    ],
    state,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
