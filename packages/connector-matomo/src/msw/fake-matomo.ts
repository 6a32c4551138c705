import { type HttpHandler, HttpResponse, http, type JsonBodyType } from 'msw';

/** Options of {@link createFakeMatomo}. */
export interface FakeMatomoOptions {
  /** The Matomo root. Default `https://matomo.hospital.example`. */
  baseUrl?: string;
  siteId?: number;
  /** The token_auth the fake accepts. */
  tokenAuth?: string;
}

/** One request the fake received, raw (URL and body): count canaries here. */
export interface FakeMatomoRequest {
  method: string;
  url: string;
  body: string;
}

/** State of a fake Matomo, for assertions. */
export interface FakeMatomoState {
  requests: FakeMatomoRequest[];
  /** Tracked hits: the parsed query of each bulk request entry. */
  hits: Array<Record<string, string>>;
  /** Requests that carried token_auth in the URL (must stay 0). */
  tokenInUrl: number;
  /** Makes the next `count` requests fail with HTTP `status`. */
  failNext(status: number, count?: number): void;
}

const DAY_MS = 86_400_000;

// Deterministic figures per day and label.
function figure(seed: string, mod: number): number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return (h >>> 0) % mod;
}

function days(date: string, period: string): string[] | undefined {
  if (period !== 'day' || !date.includes(',')) return undefined;
  const [a, b] = date.split(',') as [string, string];
  const out: string[] = [];
  for (let at = Date.parse(`${a}T00:00:00Z`); at <= Date.parse(`${b}T00:00:00Z`) && out.length < 366; at += DAY_MS)
    out.push(new Date(at).toISOString().slice(0, 10));
  return out;
}

const PAGES = ['/ar/cardiology', '/en/campaigns/ramadan-checkup', '/en/doctors', '/ar/book-appointment'];
const CAMPAIGNS = ['ramadan_checkup_2026', 'diabetes_awareness', 'حملة_الكشف_المبكر'];

/** The answer of a Reporting API method for one period, in Matomo's JSON shapes. */
function report(method: string, key: string, goalId: string | null): JsonBodyType {
  switch (method) {
    case 'VisitsSummary.get': {
      const visits = 50 + figure(key, 200);
      return {
        nb_uniq_visitors: Math.floor(visits * 0.8),
        nb_users: 0,
        nb_visits: visits,
        nb_actions: visits * 3,
        nb_visits_converted: figure(`${key}c`, 20),
        bounce_count: Math.floor(visits / 3),
        sum_visit_length: visits * 95,
        max_actions: 21,
        bounce_rate: `${Math.round(100 / 3)}%`,
        nb_actions_per_visit: 3,
        avg_time_on_site: 95,
      };
    }
    case 'Actions.getPageUrls':
    case 'Actions.getPageTitles':
      return PAGES.map((label) => {
        const hits = 5 + figure(`${key}${label}`, 80);
        return {
          label,
          nb_visits: hits - 2,
          nb_hits: hits,
          sum_time_spent: hits * 40,
          avg_time_on_page: 40,
          bounce_rate: '20%',
          exit_rate: '35%',
          url: `https://hospital.example${label}`,
        };
      });
    case 'Referrers.getCampaigns':
      return CAMPAIGNS.map((label) => ({
        label,
        nb_uniq_visitors: 3,
        nb_visits: 4 + figure(`${key}${label}`, 30),
        nb_actions: 12,
        max_actions: 6,
        sum_visit_length: 900,
        bounce_count: 1,
        nb_visits_converted: 1,
        idsubdatatable: 1,
      }));
    case 'Goals.get':
      return {
        nb_conversions: figure(`${key}g${goalId}`, 15),
        nb_visits_converted: figure(`${key}v`, 12),
        revenue: figure(`${key}r`, 5000),
        conversion_rate: '4.2%',
      };
    default:
      return { result: 'error', message: `The method '${method}' does not exist or is not available in the module 'API'.` };
  }
}

/**
 * A fake Matomo for MSW, written from Matomo's documentation (see the README): the Reporting API
 * (`POST index.php` with `module=API`, `method`, `idSite`, `period`, `date`, `format=JSON`,
 * `token_auth`; errors as HTTP 200 `{"result":"error"}`) for VisitsSummary.get,
 * Actions.getPageUrls/getPageTitles, Referrers.getCampaigns and Goals.get, and the Tracking HTTP
 * API's bulk form (`POST matomo.php` `{requests, token_auth}`, answered
 * `{"status":"success","tracked":n,"invalid":m}`). Fresh state per call.
 */
export function createFakeMatomo(options: FakeMatomoOptions = {}): { handlers: HttpHandler[]; state: FakeMatomoState } {
  const base = (options.baseUrl ?? 'https://matomo.hospital.example').replace(/\/+$/, '');
  const siteId = String(options.siteId ?? 1);
  const token = options.tokenAuth ?? 'matomo_fake_token_0000000001';
  const failures: number[] = [];
  const state: FakeMatomoState = {
    requests: [],
    hits: [],
    tokenInUrl: 0,
    failNext(status, count = 1) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
  };
  const record = async (request: Request) => {
    const body = await request.clone().text();
    state.requests.push({ method: request.method, url: request.url, body });
    if (new URL(request.url).searchParams.has('token_auth')) state.tokenInUrl++;
    return body;
  };

  const api = http.post(`${base}/index.php`, async ({ request }) => {
    const raw = await record(request);
    const failure = failures.shift();
    if (failure) return new HttpResponse('Internal Server Error', { status: failure });
    const q = new URLSearchParams(raw);
    const error = (message: string) => HttpResponse.json({ result: 'error', message });
    if (q.get('token_auth') !== token)
      return error("You can't access this resource as it requires 'view' access for the website id = 1.");
    if (q.get('module') !== 'API') return error('module must be API');
    const method = q.get('method') ?? '';
    if (method === 'API.getMatomoVersion') return HttpResponse.json({ value: '5.2.1' });
    if (q.get('format')?.toUpperCase() !== 'JSON') return error('format must be JSON');
    if (q.get('idSite') !== siteId)
      return error(`An unexpected website was found in the request: website id was set to '${q.get('idSite')}'.`);
    const period = q.get('period') ?? '';
    const date = q.get('date') ?? '';
    if (!['day', 'week', 'month', 'year', 'range'].includes(period)) return error('The period is not supported.');
    if (!/^(today|yesterday|last\d+|previous\d+|\d{4}-\d{2}-\d{2}(,\d{4}-\d{2}-\d{2})?)$/.test(date))
      return error(`Date format must be: YYYY-MM-DD, or 'today' or 'yesterday'.`);
    const each = days(date, period);
    const limit = Number(q.get('filter_limit') ?? 100);
    const cut = (value: JsonBodyType): JsonBodyType => (Array.isArray(value) && limit >= 0 ? value.slice(0, limit) : value);
    if (each) {
      const first = report(method, each[0] ?? date, q.get('idGoal'));
      if ((first as { result?: string }).result === 'error') return HttpResponse.json(first);
      return HttpResponse.json(Object.fromEntries(each.map((d) => [d, cut(report(method, d, q.get('idGoal')))])));
    }
    return HttpResponse.json(cut(report(method, date, q.get('idGoal'))));
  });

  const track = http.post(`${base}/matomo.php`, async ({ request }) => {
    const raw = await record(request);
    const failure = failures.shift();
    if (failure) return new HttpResponse('Internal Server Error', { status: failure });
    let body: { requests?: unknown; token_auth?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return HttpResponse.json({ status: 'error', message: 'invalid JSON' }, { status: 400 });
    }
    if (!Array.isArray(body.requests))
      return HttpResponse.json({ status: 'error', message: 'requests must be an array' }, { status: 400 });
    let tracked = 0;
    let invalid = 0;
    for (const entry of body.requests) {
      const params = typeof entry === 'string' ? new URLSearchParams(entry.replace(/^\?/, '')) : undefined;
      // Overriding the IP, the time beyond 24 h or the user id needs a token with write access.
      const needsToken = params && (params.has('cip') || params.has('cdt'));
      if (!params || params.get('idsite') !== siteId || params.get('rec') !== '1' || (needsToken && body.token_auth !== token)) {
        invalid++;
        continue;
      }
      tracked++;
      state.hits.push(Object.fromEntries(params));
    }
    return HttpResponse.json({ status: 'success', tracked, invalid, invalid_indices: [] });
  });

  return { handlers: [api, track], state };
}
