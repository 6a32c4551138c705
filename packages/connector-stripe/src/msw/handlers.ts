import { http, HttpResponse, type HttpHandler } from 'msw';
import { decodeStripeForm } from '../shared/form-encoding.js';
import {
  checkoutSessionFixture,
  customerFixture,
  fakeStripeId,
  paymentIntentFixture,
  refundFixture,
  stripeErrorBody,
} from './fixtures.js';

type StripeObject = Record<string, unknown>;

/** The state of a fake Stripe account behind the MSW handlers; inspect it in assertions. */
export interface StripeMockStore {
  paymentIntents: Map<string, StripeObject>;
  customers: Map<string, StripeObject>;
  checkoutSessions: Map<string, StripeObject>;
  refunds: Map<string, StripeObject>;
  /** Every request the handlers saw: method, path, query string (without `?`), headers, raw body. */
  requests: Array<{ method: string; path: string; query: string; headers: Headers; body: string }>;
  /** Responses by Idempotency-Key: a repeated key gets the first response, as at Stripe. */
  idempotent: Map<string, { status: number; body: unknown }>;
}

/** Options of {@link createStripeMswHandlers}. */
export interface StripeMswOptions {
  /** The origin the connector is configured with. Default `https://api.stripe.com`. */
  baseUrl?: string;
  /** Share or pre-fill the state; a fresh one by default. */
  store?: StripeMockStore;
  /** The clock for `created`, in Unix seconds. Default now. */
  now?: () => number;
}

/** An empty fake Stripe account. */
export function createStripeMockStore(): StripeMockStore {
  return {
    paymentIntents: new Map(),
    customers: new Map(),
    checkoutSessions: new Map(),
    refunds: new Map(),
    requests: [],
    idempotent: new Map(),
  };
}

function notFound(param: string) {
  return HttpResponse.json(stripeErrorBody({ type: 'invalid_request_error', code: 'resource_missing', param }), {
    status: 404,
    headers: { 'request-id': `req_${fakeStripeId('mock')}` },
  });
}

function json(body: unknown, status = 200) {
  return HttpResponse.json(body as never, { status, headers: { 'request-id': `req_${fakeStripeId('mock')}` } });
}

function toInt(value: unknown): number | undefined {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * MSW handlers for a small in-memory Stripe: PaymentIntents (create, retrieve, cancel, list with
 * `created[gte|gt]`, `starting_after`, `limit`), Checkout Sessions, refunds and customers (create,
 * list by `email`). Bodies are decoded from Stripe's form encoding; a repeated Idempotency-Key
 * replays the first response. Responses are built from hand-written fixtures.
 */
export function createStripeMswHandlers(options: StripeMswOptions = {}): { handlers: HttpHandler[]; store: StripeMockStore } {
  const base = (options.baseUrl ?? 'https://api.stripe.com').replace(/\/+$/, '');
  const store = options.store ?? createStripeMockStore();
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));

  const post = (path: string, create: (params: Record<string, unknown>, pathParams: Record<string, string>) => Response) =>
    http.post(`${base}${path}`, async ({ request, params: pathParams }) => {
      const body = await request.text();
      const url = new URL(request.url);
      store.requests.push({ method: 'POST', path: url.pathname, query: url.search.slice(1), headers: request.headers, body });
      const key = request.headers.get('idempotency-key');
      const replay = key ? store.idempotent.get(key) : undefined;
      if (replay) return json(replay.body, replay.status);
      const response = create(decodeStripeForm(body), pathParams as Record<string, string>);
      if (key) store.idempotent.set(key, { status: response.status, body: await response.clone().json() });
      return response;
    });
  const get = (path: string, read: (url: URL, pathParams: Record<string, string>) => Response) =>
    http.get(`${base}${path}`, ({ request, params: pathParams }) => {
      const url = new URL(request.url);
      store.requests.push({ method: 'GET', path: url.pathname, query: url.search.slice(1), headers: request.headers, body: '' });
      return read(url, pathParams as Record<string, string>);
    });

  const handlers = [
    post('/v1/payment_intents', (p) => {
      const pi = paymentIntentFixture({
        amount: toInt(p.amount),
        currency: String(p.currency ?? '').toLowerCase(),
        created: now(),
        customer: p.customer ?? null,
        description: p.description ?? null,
        metadata: typeof p.metadata === 'object' ? p.metadata : {},
        payment_method_types: Array.isArray(p.payment_method_types) ? p.payment_method_types : ['card'],
        receipt_email: p.receipt_email ?? null,
      });
      store.paymentIntents.set(pi.id as string, pi);
      return json(pi);
    }),
    get('/v1/payment_intents/:id', (_url, { id }) => {
      const pi = store.paymentIntents.get(id!);
      return pi ? json(pi) : notFound('intent');
    }),
    post('/v1/payment_intents/:id/cancel', (p, { id }) => {
      const pi = store.paymentIntents.get(id!);
      if (!pi) return notFound('intent');
      if (pi.status === 'succeeded' || pi.status === 'canceled') {
        return json(stripeErrorBody({ type: 'invalid_request_error', code: 'payment_intent_unexpected_state' }), 400);
      }
      Object.assign(pi, { status: 'canceled', canceled_at: now(), cancellation_reason: p.cancellation_reason ?? null });
      return json(pi);
    }),
    get('/v1/payment_intents', (url) => {
      const q = decodeStripeForm(url.search.slice(1));
      const created = (q.created ?? {}) as Record<string, string>;
      const limit = Math.min(toInt(q.limit) ?? 10, 100);
      let all = [...store.paymentIntents.values()]
        .filter((pi) => toInt(created.gte) === undefined || (pi.created as number) >= toInt(created.gte)!)
        .filter((pi) => toInt(created.gt) === undefined || (pi.created as number) > toInt(created.gt)!)
        .sort((a, b) => (b.created as number) - (a.created as number) || String(b.id).localeCompare(String(a.id)));
      if (typeof q.starting_after === 'string') {
        const index = all.findIndex((pi) => pi.id === q.starting_after);
        if (index === -1) return notFound('starting_after');
        all = all.slice(index + 1);
      }
      return json({ object: 'list', data: all.slice(0, limit), has_more: all.length > limit, url: '/v1/payment_intents' });
    }),
    post('/v1/checkout/sessions', (p) => {
      const items = Array.isArray(p.line_items) ? (p.line_items as Array<Record<string, any>>) : [];
      const total = items.reduce(
        (sum, item) => sum + (toInt(item.price_data?.unit_amount) ?? 0) * (toInt(item.quantity) ?? 1),
        0,
      );
      const session = checkoutSessionFixture({
        created: now(),
        amount_subtotal: total,
        amount_total: total,
        currency: items[0]?.price_data?.currency ?? null,
        mode: p.mode ?? 'payment',
        success_url: p.success_url ?? null,
        cancel_url: p.cancel_url ?? null,
        client_reference_id: p.client_reference_id ?? null,
        metadata: typeof p.metadata === 'object' ? p.metadata : {},
      });
      store.checkoutSessions.set(session.id as string, session);
      return json(session);
    }),
    post('/v1/refunds', (p) => {
      const pi = typeof p.payment_intent === 'string' ? store.paymentIntents.get(p.payment_intent) : undefined;
      if (typeof p.payment_intent === 'string' && !pi) return notFound('payment_intent');
      const refund = refundFixture({
        amount: toInt(p.amount) ?? (pi?.amount as number | undefined) ?? 0,
        currency: pi?.currency ?? 'sar',
        created: now(),
        payment_intent: p.payment_intent ?? null,
        charge: p.charge ?? null,
        reason: p.reason ?? null,
        metadata: typeof p.metadata === 'object' ? p.metadata : {},
      });
      store.refunds.set(refund.id as string, refund);
      return json(refund);
    }),
    post('/v1/customers', (p) => {
      const customer = customerFixture({
        created: now(),
        email: p.email ?? null,
        name: p.name ?? null,
        phone: p.phone ?? null,
        metadata: typeof p.metadata === 'object' ? p.metadata : {},
        preferred_locales: Array.isArray(p.preferred_locales) ? p.preferred_locales : [],
      });
      store.customers.set(customer.id as string, customer);
      return json(customer);
    }),
    get('/v1/customers', (url) => {
      const email = url.searchParams.get('email');
      const limit = Math.min(toInt(url.searchParams.get('limit')) ?? 10, 100);
      const all = [...store.customers.values()]
        .filter((c) => email === null || c.email === email)
        .sort((a, b) => (b.created as number) - (a.created as number));
      return json({ object: 'list', data: all.slice(0, limit), has_more: all.length > limit, url: '/v1/customers' });
    }),
    get('/v1/balance', () => json({ object: 'balance', available: [], livemode: false, pending: [] })),
  ];
  return { handlers, store };
}
