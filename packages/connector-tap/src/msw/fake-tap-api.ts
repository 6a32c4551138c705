import { randomBytes } from 'node:crypto';
import { currencyExponent } from '@hmi/core';
import { type HttpHandler, HttpResponse, http } from 'msw';
import { TAP_DEFAULT_BASE_URL } from '../tap-config.js';
import type { WireCharge, WireRefund } from '../tap-model.js';
import { TAP_ERROR_BODIES, tapChargeFixture } from './fixtures.js';

/** Options of {@link createFakeTapApi}. */
export interface FakeTapApiOptions {
  /** Default the production origin (MSW intercepts it; nothing goes out). */
  baseUrl?: string;
  /** When set, any other bearer token gets 401. */
  secretKey?: string;
  /** The fake's clock, for `transaction.created`. Default `() => new Date()`. */
  now?: () => Date;
}

/** A request the fake received. */
export interface FakeTapRequest {
  method: string;
  path: string;
  body: unknown;
}

/** An injected failure. */
export interface FakeTapFailure {
  status: number;
  /** Do the work, then answer the error. Default false. */
  afterProcessing?: boolean;
  /** Only requests whose `METHOD path` starts with this. */
  match?: string;
}

/** The fake's state. Private to one {@link createFakeTapApi} call. */
export interface FakeTapState {
  readonly charges: Map<string, WireCharge & Record<string, unknown>>;
  readonly refunds: Map<string, WireRefund & Record<string, unknown>>;
  readonly requests: FakeTapRequest[];
  failNext(failure: FakeTapFailure, count?: number): void;
  /** Adds a charge (a fixture with overrides). */
  addCharge(overrides?: Record<string, unknown>): WireCharge;
}

type Json = Record<string, unknown>;
const reply = (status: number, body: unknown) => HttpResponse.json(body as Json, { status });
const newId = (prefix: string) => `${prefix}_TS${randomBytes(10).toString('hex').toUpperCase()}`;

/** Whether a decimal amount has no more decimals than the currency allows. */
function fitsCurrency(amount: unknown, currency: string): boolean {
  if (typeof amount !== 'number' || !(amount > 0)) return false;
  const fraction = String(amount).split('.')[1] ?? '';
  return fraction.length <= currencyExponent(currency);
}

/**
 * A fake Tap API for MSW, written from Tap's documentation (see the package README): Bearer auth;
 * charges and authorizations with decimal amounts (three decimals for KWD, BHD, OMR), the
 * `reference.idempotent` replay of the original response within 24 hours, redirect sources
 * (KNET, Benefit, mada, `src_all`) left `INITIATED` with a `transaction.url`, tokens captured at
 * once unless 3-D Secure is on, `auth_…` sources capturing an authorization; void; refunds; the
 * charges list by period with `starting_after`; Tap's error bodies; injectable failures.
 *
 * Magic input: a token containing `declined` is `DECLINED` with response code `051`.
 */
export function createFakeTapApi(options: FakeTapApiOptions = {}): { handlers: HttpHandler[]; state: FakeTapState } {
  const base = (options.baseUrl ?? TAP_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  const charges = new Map<string, WireCharge & Json>();
  const refunds = new Map<string, WireRefund & Json>();
  const byIdempotent = new Map<string, { at: number; body: Json }>();
  const requests: FakeTapRequest[] = [];
  const failures: FakeTapFailure[] = [];

  const state: FakeTapState = {
    charges,
    refunds,
    requests,
    failNext(failure, count = 1) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    addCharge(overrides = {}) {
      const charge = tapChargeFixture({ id: newId('chg'), ...overrides }) as WireCharge & Json;
      charges.set(charge.id, charge);
      return charge;
    },
  };

  const gate = async (request: Request) => {
    const url = new URL(request.url);
    const text = request.method === 'GET' ? '' : await request.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    requests.push({ method: request.method, path: url.pathname, body });
    const auth = request.headers.get('authorization') ?? '';
    if (!auth.startsWith('Bearer sk_') || (options.secretKey !== undefined && auth !== `Bearer ${options.secretKey}`)) {
      return { refused: reply(401, TAP_ERROR_BODIES.authentication), body };
    }
    const at = failures.findIndex((f) => !f.match || `${request.method} ${url.pathname}`.startsWith(f.match));
    const failure = at >= 0 ? failures.splice(at, 1)[0] : undefined;
    if (failure && !failure.afterProcessing) return { refused: reply(failure.status, TAP_ERROR_BODIES.server), body };
    return { body, late: failure };
  };
  const answer = (late: FakeTapFailure | undefined, status: number, body: unknown) =>
    late ? reply(late.status, TAP_ERROR_BODIES.server) : reply(status, body);

  /** Tap's `reference.idempotent`: a repeat within 24 hours gets the original response. */
  const replay = (b: Json) => {
    const key = (b.reference as Json | undefined)?.idempotent;
    if (typeof key !== 'string') return undefined;
    const seen = byIdempotent.get(key);
    return seen && now().getTime() - seen.at < 86_400_000 ? seen.body : undefined;
  };
  const remember = (b: Json, body: Json) => {
    const key = (b.reference as Json | undefined)?.idempotent;
    if (typeof key === 'string') byIdempotent.set(key, { at: now().getTime(), body });
  };

  const create = (kind: 'charges' | 'authorize') =>
    http.post(`${base}/v2/${kind}`, async ({ request }) => {
      const g = await gate(request);
      if (g.refused) return g.refused;
      const b = (g.body ?? {}) as Json;
      const previous = replay(b);
      if (previous) return answer(g.late, 200, charges.get(previous.id as string) ?? previous);
      const currency = typeof b.currency === 'string' ? b.currency : '';
      if (!/^[A-Z]{3}$/.test(currency)) return reply(400, TAP_ERROR_BODIES.invalidCurrency);
      if (!fitsCurrency(b.amount, currency)) return reply(400, TAP_ERROR_BODIES.invalidAmount);
      const customer = b.customer as Json | undefined;
      if (!customer || (typeof customer.id !== 'string' && typeof customer.first_name !== 'string')) {
        return reply(400, TAP_ERROR_BODIES.customerRequired);
      }
      const sourceId = String((b.source as Json | undefined)?.id ?? '');
      if (!sourceId) return reply(400, TAP_ERROR_BODIES.sourceRequired);
      if (typeof (b.redirect as Json | undefined)?.url !== 'string') return reply(400, TAP_ERROR_BODIES.redirectRequired);

      const id = newId(kind === 'charges' ? 'chg' : 'auth');
      const redirect = sourceId.startsWith('src_');
      const declined = sourceId.includes('declined');
      let status: string;
      if (declined) status = 'DECLINED';
      else if (sourceId.startsWith('auth_')) {
        const auth = charges.get(sourceId);
        if (auth?.status !== 'AUTHORIZED') return reply(400, TAP_ERROR_BODIES.notRefundable);
        Object.assign(auth, { status: 'CAPTURED' });
        status = 'CAPTURED';
      } else if (redirect || b.threeDSecure === true) status = 'INITIATED';
      else status = kind === 'authorize' ? 'AUTHORIZED' : 'CAPTURED';
      const method =
        ({ 'src_kw.knet': 'KNET', 'src_bh.benefit': 'BENEFIT', 'src_sa.mada': 'MADA' } as Record<string, string>)[sourceId] ??
        (sourceId.startsWith('tok_') ? 'VISA' : null);
      const reference = b.reference as Json;
      const charge = tapChargeFixture({
        id,
        object: kind === 'charges' ? 'charge' : 'authorize',
        status,
        amount: b.amount,
        currency,
        description: b.description ?? null,
        metadata: b.metadata ?? null,
        transaction: {
          timezone: 'UTC+03:00',
          created: String(now().getTime()),
          expiry: { period: 30, type: 'MINUTE' },
          asynchronous: false,
          amount: b.amount,
          currency,
          ...(status === 'INITIATED' && {
            url: `https://sandbox.payments.tap.company/test_gosell/v2/payment/tap_process.aspx?chg=${id}`,
          }),
        },
        reference: {
          track: newId('tck'),
          payment: String(now().getTime()).slice(-10),
          gateway: status === 'INITIATED' ? null : '123456789012',
          ...(reference.transaction !== undefined && { transaction: reference.transaction }),
          ...(reference.order !== undefined && { order: reference.order }),
          idempotent: reference.idempotent,
        },
        response: declined
          ? { code: '051', message: 'Declined, Insufficient Funds' }
          : { code: status === 'INITIATED' ? '100' : '000', message: status },
        customer,
        source: { object: 'source', type: 'CARD_NOT_PRESENT', payment_method: method, id: sourceId },
        redirect: { status: 'PENDING', url: (b.redirect as Json).url },
        post: b.post ?? null,
      }) as WireCharge & Json;
      charges.set(id, charge);
      remember(b, charge);
      return answer(g.late, 200, charge);
    });

  const read = (kind: 'charges' | 'authorize') =>
    http.get(`${base}/v2/${kind}/:id`, async ({ request, params }) => {
      const g = await gate(request);
      if (g.refused) return g.refused;
      const charge = charges.get(String(params.id));
      return charge ? reply(200, charge) : reply(404, TAP_ERROR_BODIES.notFound);
    });

  const voidAuthorize = http.post(`${base}/v2/authorize/:id/void`, async ({ request, params }) => {
    const g = await gate(request);
    if (g.refused) return g.refused;
    const auth = charges.get(String(params.id));
    if (!auth) return reply(404, TAP_ERROR_BODIES.notFound);
    if (auth.status !== 'AUTHORIZED') return reply(400, TAP_ERROR_BODIES.notRefundable);
    Object.assign(auth, { status: 'VOID' });
    return answer(g.late, 200, auth);
  });

  const list = http.post(`${base}/v2/charges/list`, async ({ request }) => {
    const g = await gate(request);
    if (g.refused) return g.refused;
    const b = (g.body ?? {}) as { period?: { date?: { from?: number; to?: number } }; limit?: number; starting_after?: string };
    const from = b.period?.date?.from ?? 0;
    const to = b.period?.date?.to ?? Number.MAX_SAFE_INTEGER;
    const limit = Math.min(Math.max(b.limit ?? 25, 1), 50);
    const all = [...charges.values()]
      .filter((c) => c.id.startsWith('chg_'))
      .filter((c) => Number(c.transaction.created) >= from && Number(c.transaction.created) <= to)
      .sort((x, y) => Number(y.transaction.created) - Number(x.transaction.created) || (x.id < y.id ? 1 : -1));
    const start = b.starting_after ? all.findIndex((c) => c.id === b.starting_after) + 1 : 0;
    if (b.starting_after && start === 0) return reply(400, TAP_ERROR_BODIES.notFound);
    const page = all.slice(start, start + limit);
    return reply(200, {
      object: 'list',
      live_mode: false,
      api_version: 'V2',
      has_more: start + limit < all.length,
      charges: page,
    });
  });

  const createRefund = http.post(`${base}/v2/refunds`, async ({ request }) => {
    const g = await gate(request);
    if (g.refused) return g.refused;
    const b = (g.body ?? {}) as Json;
    const previous = replay(b);
    if (previous) return answer(g.late, 200, previous);
    const charge = charges.get(String(b.charge_id));
    if (!charge) return reply(404, TAP_ERROR_BODIES.notFound);
    if (charge.status !== 'CAPTURED' || b.currency !== charge.currency) return reply(400, TAP_ERROR_BODIES.notRefundable);
    if (!fitsCurrency(b.amount, charge.currency)) return reply(400, TAP_ERROR_BODIES.invalidAmount);
    const scale = 10 ** currencyExponent(charge.currency);
    const refunded = [...refunds.values()]
      .filter((r) => r.charge_id === charge.id)
      .reduce((s, r) => s + Math.round(Number(r.amount) * scale), 0);
    if (Math.round(Number(b.amount) * scale) + refunded > Math.round(Number(charge.amount) * scale))
      return reply(400, TAP_ERROR_BODIES.invalidAmount);
    const refund = {
      id: newId('re'),
      object: 'refund',
      api_version: 'V2',
      amount: b.amount,
      currency: charge.currency,
      created: String(now().getTime()),
      status: 'REFUNDED',
      charge_id: charge.id,
      reason: b.reason ?? 'requested_by_customer',
      reference: b.reference ?? null,
      response: { code: '100', message: 'Refund in progress' },
    } as unknown as WireRefund & Json;
    refunds.set(refund.id, refund);
    remember(b, refund);
    return answer(g.late, 200, refund);
  });

  const readRefund = http.get(`${base}/v2/refunds/:id`, async ({ request, params }) => {
    const g = await gate(request);
    if (g.refused) return g.refused;
    const refund = refunds.get(String(params.id));
    return refund ? reply(200, refund) : reply(404, TAP_ERROR_BODIES.notFound);
  });

  return {
    handlers: [
      list,
      create('charges'),
      create('authorize'),
      voidAuthorize,
      read('charges'),
      read('authorize'),
      createRefund,
      readRefund,
    ],
    state,
  };
}
