import { randomUUID } from 'node:crypto';
import { type HttpHandler, HttpResponse, http } from 'msw';
import { MOYASAR_DEFAULT_BASE_URL } from '../moyasar-config.js';
import type { WireInvoice, WirePayment } from '../moyasar-model.js';
import { MOYASAR_ERROR_BODIES, moyasarPaymentFixture } from './fixtures.js';

/** Options of {@link createFakeMoyasarApi}. */
export interface FakeMoyasarApiOptions {
  /** Default the production origin (MSW intercepts it; nothing goes out). */
  baseUrl?: string;
  /** When set, any other Basic-auth user gets 401. */
  secretKey?: string;
  /** The fake's clock, for `created_at`. Default `() => new Date()`. */
  now?: () => Date;
}

/** A request the fake received. */
export interface FakeMoyasarRequest {
  method: string;
  path: string;
  body: unknown;
}

/** An injected failure: the next matching requests get `status`. */
export interface FakeMoyasarFailure {
  status: number;
  /** Do the work first, then answer the error: a payment created behind a 500. Default false. */
  afterProcessing?: boolean;
  /** Only requests whose `METHOD path` starts with this. Default any. */
  match?: string;
}

/** The fake's state, for assertions and for steering it. Private to one {@link createFakeMoyasarApi} call. */
export interface FakeMoyasarState {
  readonly payments: Map<string, WirePayment & Record<string, unknown>>;
  readonly invoices: Map<string, WireInvoice & Record<string, unknown>>;
  readonly requests: FakeMoyasarRequest[];
  /** The next `count` matching requests fail. */
  failNext(failure: FakeMoyasarFailure, count?: number): void;
  /** Adds a payment (a fixture with overrides) and returns it. */
  addPayment(overrides?: Record<string, unknown>): WirePayment;
}

type Json = Record<string, unknown>;
const PER_PAGE = 40;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const reply = (status: number, body: unknown) => HttpResponse.json(body as Json, { status });
const format = (minor: number, currency: string) =>
  `${(minor / (['KWD', 'BHD', 'OMR'].includes(currency) ? 1000 : 100)).toFixed(['KWD', 'BHD', 'OMR'].includes(currency) ? 3 : 2)} ${currency}`;

function paginate<T extends { created_at: string }>(items: T[], q: URLSearchParams, key: string) {
  const page = Number(q.get('page') ?? 1);
  const all = items.filter((item) => {
    const t = Date.parse(item.created_at);
    const gt = q.get('created[gt]');
    const lt = q.get('created[lt]');
    if (gt && !(t > Date.parse(gt))) return false;
    if (lt && !(t < Date.parse(lt))) return false;
    const status = q.get('status');
    if (status && (item as unknown as { status: string }).status !== status) return false;
    for (const [name, value] of q) {
      const m = /^metadata\[(.+)\]$/.exec(name);
      if (m && (item as unknown as { metadata?: Json | null }).metadata?.[m[1]!] !== value) return false;
    }
    return true;
  });
  all.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  const totalPages = Math.max(1, Math.ceil(all.length / PER_PAGE));
  return {
    [key]: all.slice((page - 1) * PER_PAGE, page * PER_PAGE),
    meta: {
      current_page: page,
      next_page: page < totalPages ? page + 1 : null,
      prev_page: page > 1 ? page - 1 : null,
      total_pages: totalPages,
      total_count: all.length,
    },
  };
}

/**
 * A fake Moyasar API for MSW, written from Moyasar's documentation (see the package README for the
 * pages): Basic auth with the secret key; payments with `given_id` (the payment's id; a reused one is
 * refused with `used_given_id`), tokens, Apple Pay and STC Pay sources, declines answered 201 with
 * status `failed`; refund, capture, void; paged lists newest first with `created[gt|lt]`, `status`
 * and `metadata[…]` filters; invoices; the documented error bodies; and injectable failures,
 * including a 500 *after* the payment was made. Fresh state per call.
 *
 * Magic inputs: a card token containing `declined` fails with response code 51 (insufficient
 * funds); one containing `3ds` (or a `3ds: true` token) stays `initiated` with a 3-D Secure URL;
 * `manual: true` ends `authorized`. STC Pay stays `initiated` with the OTP URL.
 */
export function createFakeMoyasarApi(options: FakeMoyasarApiOptions = {}): { handlers: HttpHandler[]; state: FakeMoyasarState } {
  const base = (options.baseUrl ?? MOYASAR_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  const payments = new Map<string, WirePayment & Json>();
  const invoices = new Map<string, WireInvoice & Json>();
  const requests: FakeMoyasarRequest[] = [];
  const failures: FakeMoyasarFailure[] = [];

  const state: FakeMoyasarState = {
    payments,
    invoices,
    requests,
    failNext(failure, count = 1) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    addPayment(overrides = {}) {
      const payment = moyasarPaymentFixture({ id: randomUUID(), ...overrides }) as WirePayment & Json;
      payments.set(payment.id, payment);
      return payment;
    },
  };

  /** Records the request, checks auth, and takes a matching injected failure. */
  const gate = async (request: Request) => {
    const url = new URL(request.url);
    const text = request.method === 'GET' ? '' : await request.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    requests.push({ method: request.method, path: url.pathname + url.search, body });
    const auth = request.headers.get('authorization') ?? '';
    const user = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[0] : '';
    if (!user?.startsWith('sk_') || (options.secretKey !== undefined && user !== options.secretKey)) {
      return { refused: reply(401, MOYASAR_ERROR_BODIES.authentication), body, url };
    }
    const at = failures.findIndex((f) => !f.match || `${request.method} ${url.pathname}`.startsWith(f.match));
    const failure = at >= 0 ? failures.splice(at, 1)[0] : undefined;
    if (failure && !failure.afterProcessing) return { refused: reply(failure.status, MOYASAR_ERROR_BODIES.server), body, url };
    return { body, url, late: failure };
  };
  const late = (failure: FakeMoyasarFailure | undefined, ok: Response) =>
    failure ? reply(failure.status, failure.status === 429 ? MOYASAR_ERROR_BODIES.rateLimit : MOYASAR_ERROR_BODIES.server) : ok;

  const createPayment = http.post(`${base}/v1/payments`, async ({ request }) => {
    const g = await gate(request);
    if (g.refused) return g.refused;
    const b = (g.body ?? {}) as Json;
    const source = (b.source ?? {}) as Json;
    const errors: Record<string, string[]> = {};
    if (!Number.isInteger(b.amount) || (b.amount as number) < 100) errors.amount = ['must be an integer of at least 100'];
    if (typeof b.currency !== 'string' || !/^[A-Z]{3}$/.test(b.currency)) errors.currency = ['is invalid'];
    if (!['creditcard', 'token', 'applepay', 'stcpay', 'samsungpay'].includes(String(source.type)))
      errors['source.type'] = ['is invalid'];
    if (['creditcard', 'token'].includes(String(source.type)) && typeof b.callback_url !== 'string')
      errors.callback_url = ["can't be blank"];
    if (source.type === 'stcpay' && !/^05\d{8}$/.test(String(source.mobile))) errors['source.mobile'] = ['is invalid'];
    if (b.given_id !== undefined && !UUID.test(String(b.given_id))) errors.given_id = ['must be a UUID'];
    if (Object.keys(errors).length) return reply(400, MOYASAR_ERROR_BODIES.validation(errors));
    if (typeof b.given_id === 'string' && payments.has(b.given_id)) return reply(400, MOYASAR_ERROR_BODIES.usedGivenId);

    const id = typeof b.given_id === 'string' ? b.given_id : randomUUID();
    const amount = b.amount as number;
    const currency = b.currency as string;
    const token = String(source.token ?? '');
    const declined = token.includes('declined');
    const threeDs = source.type === 'token' && (source['3ds'] === true || token.includes('3ds')) && !declined;
    const pending = threeDs || source.type === 'stcpay';
    const status = declined ? 'failed' : pending ? 'initiated' : source.manual === true ? 'authorized' : 'paid';
    const created = now().toISOString();
    const payment = moyasarPaymentFixture({
      id,
      status,
      amount,
      fee: status === 'failed' ? 0 : Math.round(amount * 0.0175),
      currency,
      captured: status === 'paid' ? amount : 0,
      captured_at: status === 'paid' ? created : null,
      description: (b.description as string | undefined) ?? null,
      amount_format: format(amount, currency),
      callback_url: (b.callback_url as string | undefined) ?? null,
      created_at: created,
      updated_at: created,
      metadata: (b.metadata as Json | undefined) ?? null,
      source:
        source.type === 'stcpay'
          ? {
              type: 'stcpay',
              mobile: source.mobile,
              reference_number: null,
              message: null,
              transaction_url: `https://api.moyasar.com/v1/stc_pays/${randomUUID()}/proceed`,
            }
          : {
              ...moyasarPaymentFixture().source,
              type: source.type === 'applepay' ? 'applepay' : 'creditcard',
              company: source.type === 'applepay' ? 'visa' : 'mada',
              message: declined ? 'INSUFFICIENT FUNDS' : pending ? null : 'APPROVED',
              response_code: declined ? '51' : pending ? null : '00',
              transaction_url: threeDs ? `https://api.moyasar.com/v1/transaction_auths/${randomUUID()}/form` : null,
            },
    }) as WirePayment & Json;
    payments.set(id, payment);
    return late(g.late, reply(201, payment));
  });

  const readPayment = http.get(`${base}/v1/payments/:id`, async ({ request, params }) => {
    const g = await gate(request);
    if (g.refused) return g.refused;
    const payment = payments.get(String(params.id));
    return payment ? reply(200, payment) : reply(404, MOYASAR_ERROR_BODIES.notFound);
  });

  const listPayments = http.get(`${base}/v1/payments`, async ({ request }) => {
    const g = await gate(request);
    if (g.refused) return g.refused;
    return reply(200, paginate([...payments.values()], g.url.searchParams, 'payments'));
  });

  const transition = (verb: 'refund' | 'capture' | 'void') =>
    http.post(`${base}/v1/payments/:id/${verb}`, async ({ request, params }) => {
      const g = await gate(request);
      if (g.refused) return g.refused;
      const payment = payments.get(String(params.id));
      if (!payment) return reply(404, MOYASAR_ERROR_BODIES.notFound);
      const amount = (g.body as Json | undefined)?.amount;
      const at = now().toISOString();
      const refuse = (field: string, why: string) => reply(400, MOYASAR_ERROR_BODIES.validation({ [field]: [why] }));
      if (verb === 'refund') {
        if (!['paid', 'captured', 'refunded'].includes(payment.status)) return refuse('status', 'payment is not refundable');
        const settled = (payment.captured ?? 0) > 0 ? payment.captured! : payment.amount;
        const left = settled - (payment.refunded ?? 0);
        const value = amount === undefined ? left : Number(amount);
        if (!Number.isInteger(value) || value <= 0 || value > left) return refuse('amount', 'exceeds the refundable amount');
        Object.assign(payment, {
          status: 'refunded',
          refunded: (payment.refunded ?? 0) + value,
          refunded_at: at,
          updated_at: at,
        });
      } else if (verb === 'capture') {
        if (payment.status !== 'authorized') return refuse('status', 'payment is not authorized');
        const value = amount === undefined ? payment.amount : Number(amount);
        if (!Number.isInteger(value) || value <= 0 || value > payment.amount)
          return refuse('amount', 'exceeds the authorized amount');
        Object.assign(payment, { status: 'captured', captured: value, captured_at: at, updated_at: at });
      } else {
        if (!['paid', 'authorized', 'captured'].includes(payment.status)) return refuse('status', 'payment cannot be voided');
        Object.assign(payment, { status: 'voided', voided_at: at, updated_at: at });
      }
      return late(g.late, reply(200, payment));
    });

  const createInvoice = http.post(`${base}/v1/invoices`, async ({ request }) => {
    const g = await gate(request);
    if (g.refused) return g.refused;
    const b = (g.body ?? {}) as Json;
    const errors: Record<string, string[]> = {};
    if (!Number.isInteger(b.amount) || (b.amount as number) < 100) errors.amount = ['must be an integer of at least 100'];
    if (typeof b.currency !== 'string') errors.currency = ["can't be blank"];
    if (typeof b.description !== 'string' || !b.description) errors.description = ["can't be blank"];
    if (Object.keys(errors).length) return reply(400, MOYASAR_ERROR_BODIES.validation(errors));
    const id = randomUUID();
    const created = now().toISOString();
    const invoice = {
      id,
      status: 'initiated',
      amount: b.amount as number,
      currency: b.currency as string,
      description: b.description,
      logo_url: 'https://cdn.moyasar.com/logos/hospital.png',
      amount_format: format(b.amount as number, b.currency as string),
      url: `https://checkout.moyasar.com/invoices/${id}?lang=ar`,
      callback_url: b.callback_url ?? null,
      success_url: b.success_url ?? null,
      back_url: b.back_url ?? null,
      expired_at: b.expired_at ?? null,
      created_at: created,
      updated_at: created,
      metadata: (b.metadata as Json | undefined) ?? null,
      payments: [],
    } as unknown as WireInvoice & Json;
    invoices.set(id, invoice);
    return late(g.late, reply(201, invoice));
  });

  const readInvoice = http.get(`${base}/v1/invoices/:id`, async ({ request, params }) => {
    const g = await gate(request);
    if (g.refused) return g.refused;
    const invoice = invoices.get(String(params.id));
    return invoice ? reply(200, invoice) : reply(404, MOYASAR_ERROR_BODIES.notFound);
  });

  const listInvoices = http.get(`${base}/v1/invoices`, async ({ request }) => {
    const g = await gate(request);
    if (g.refused) return g.refused;
    return reply(200, paginate([...invoices.values()], g.url.searchParams, 'invoices'));
  });

  return {
    handlers: [
      createPayment,
      listPayments,
      readPayment,
      transition('refund'),
      transition('capture'),
      transition('void'),
      createInvoice,
      listInvoices,
      readInvoice,
    ],
    state,
  };
}
