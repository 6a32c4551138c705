import { GRAPH_DEFAULT_BASE_URL, GRAPH_DEFAULT_VERSION } from '@hmi/connector-meta/graph';
import { type HttpHandler, HttpResponse, http } from 'msw';
import type { WireTemplate } from '../templates/templates-stream.js';
import { FIXTURE_IDS, templateFixtures } from './fixtures.js';

/** Options of {@link createFakeWhatsAppApi}. */
export interface FakeWhatsAppApiOptions {
  /** Default `https://graph.facebook.com` (MSW intercepts it; nothing goes out). */
  baseUrl?: string;
  /** Default the connector's pinned version. */
  graphVersion?: string;
  /** When set, any other bearer token gets error 190. */
  accessToken?: string;
  /** Default the fixture's. */
  phoneNumberId?: string;
  /** Default the fixture's. */
  businessAccountId?: string;
  /** Templates per page when the request names no `limit`. Default 25. */
  pageSize?: number;
}

/** A request the fake received. */
export interface FakeWhatsAppRequest {
  method: string;
  /** The path below the version, e.g. `106540352242922/messages`. */
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown> | undefined;
  authorization: string | null;
}

/** An injected Cloud API error. */
export interface FakeWhatsAppError {
  code: number;
  subcode?: number;
  /** HTTP status. Default 400 (401 for 190, 429 for 130429 and 131056). */
  status?: number;
}

/** A message the fake accepted. */
export interface FakeSentMessage {
  id: string;
  to: string;
  type: string;
  body: Record<string, unknown>;
}

/** The fake's state, for assertions and steering. Private to one {@link createFakeWhatsAppApi} call. */
export interface FakeWhatsAppState {
  readonly templates: WireTemplate[];
  readonly sent: FakeSentMessage[];
  readonly requests: FakeWhatsAppRequest[];
  /** wa_ids (digits) whose sends answer 131026 at once, as Meta does for a number not on WhatsApp. */
  readonly undeliverable: Set<string>;
  /** The next `count` requests get this error. */
  failNext(error: FakeWhatsAppError, count?: number): void;
  /** Drops errors queued by `failNext` that no request consumed. */
  clearFailures(): void;
}

/** A fake Cloud API: the fake and its MSW handlers. */
export interface FakeWhatsAppApi {
  handlers: HttpHandler[];
  state: FakeWhatsAppState;
}

const cursorOf = (index: number) => Buffer.from(`pos:${index}`).toString('base64url');
function positionOf(cursor: string | null): number | undefined {
  if (cursor === null) return 0;
  const match = /^pos:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/**
 * A fake of the Cloud API endpoints the connector uses, for MSW, written from Meta's Cloud API docs
 * ("Messages" reference, "Message Templates", "Error codes"): `POST /<phone number id>/messages`
 * (text, template, read receipts) checking the body as Meta documents it, `GET /<WABA>/message_templates`
 * paged like Graph, and Graph's `{ error: { code, fbtrace_id } }` error bodies. A template send must
 * name an APPROVED template in its language (else 132001), as Meta requires.
 */
export function createFakeWhatsAppApi(options: FakeWhatsAppApiOptions = {}): FakeWhatsAppApi {
  const origin = new URL(options.baseUrl ?? GRAPH_DEFAULT_BASE_URL).origin;
  const version = options.graphVersion ?? GRAPH_DEFAULT_VERSION;
  const phoneNumberId = options.phoneNumberId ?? FIXTURE_IDS.phoneNumberId;
  const waba = options.businessAccountId ?? FIXTURE_IDS.businessAccountId;
  const failures: FakeWhatsAppError[] = [];
  let sequence = 0;
  const state: FakeWhatsAppState = {
    templates: templateFixtures(),
    sent: [],
    requests: [],
    undeliverable: new Set(),
    failNext(error, count = 1) {
      for (let i = 0; i < count; i++) failures.push(error);
    },
    clearFailures() {
      failures.length = 0;
    },
  };
  const answer = (body: unknown, status = 200) =>
    HttpResponse.json(body as Record<string, unknown>, { status, headers: { 'x-fb-trace-id': `Fw${sequence}` } });
  const cloudError = (e: FakeWhatsAppError) => {
    const status = e.status ?? (e.code === 190 ? 401 : e.code === 130429 || e.code === 131056 ? 429 : 400);
    return answer(
      {
        error: {
          message: `(#${e.code}) fake error`,
          type: 'OAuthException',
          code: e.code,
          ...(e.subcode && { error_subcode: e.subcode }),
          error_data: { messaging_product: 'whatsapp', details: 'fake error details' },
          fbtrace_id: `Fw${e.code}`,
        },
      },
      status,
    );
  };
  const invalid = (code = 100) => cloudError({ code });

  async function record(request: Request, path: string): Promise<Response | undefined> {
    const url = new URL(request.url);
    let body: Record<string, unknown> | undefined;
    if (request.method === 'POST') {
      try {
        body = (await request.clone().json()) as Record<string, unknown>;
      } catch {
        body = undefined;
      }
    }
    const authorization = request.headers.get('authorization');
    state.requests.push({ method: request.method, path, query: Object.fromEntries(url.searchParams), body, authorization });
    sequence++;
    if (options.accessToken && authorization !== `Bearer ${options.accessToken}`) return cloudError({ code: 190 });
    const failure = failures.shift();
    return failure ? cloudError(failure) : undefined;
  }

  function send(body: Record<string, unknown>): Response {
    if (body.messaging_product !== 'whatsapp') return invalid();
    if (body.status === 'read') {
      return typeof body.message_id === 'string' && body.message_id.startsWith('wamid.') ? answer({ success: true }) : invalid();
    }
    const to = body.to;
    if (typeof to !== 'string' || !/^\+?\d{7,15}$/.test(to)) return invalid();
    if (body.recipient_type !== undefined && body.recipient_type !== 'individual') return invalid();
    if (body.type === 'text') {
      const text = body.text as { body?: unknown; preview_url?: unknown } | undefined;
      if (typeof text?.body !== 'string' || text.body.length === 0 || text.body.length > 4096) return invalid();
    } else if (body.type === 'template') {
      const template = body.template as { name?: unknown; language?: { code?: unknown }; components?: unknown } | undefined;
      const known = state.templates.find((t) => t.name === template?.name && t.language === template?.language?.code);
      // 132001: template does not exist (in this language); 132015: paused; 132016: disabled.
      if (!known || known.status === 'REJECTED' || known.status === 'PENDING') return cloudError({ code: 132001 });
      if (known.status === 'PAUSED') return cloudError({ code: 132015 });
      if (known.status === 'DISABLED') return cloudError({ code: 132016 });
      if (template?.components !== undefined && !Array.isArray(template.components)) return cloudError({ code: 132000 });
    } else {
      return invalid();
    }
    const waId = to.replace(/^\+/, '');
    if (state.undeliverable.has(waId)) return cloudError({ code: 131026 });
    const id = `wamid.${Buffer.from(`${waId}:${state.sent.length + 1}:${sequence}`).toString('base64')}`;
    state.sent.push({ id, to: waId, type: body.type as string, body });
    return answer({
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: waId }],
      messages: [{ id, ...(body.type === 'template' && { message_status: 'accepted' }) }],
    });
  }

  const base = `${origin}/${version}`;
  const handlers: HttpHandler[] = [
    http.post(`${base}/:node/messages`, async ({ request, params }) => {
      const path = `${String(params.node)}/messages`;
      const refused = await record(request, path);
      if (refused) return refused;
      if (params.node !== phoneNumberId) return invalid(100);
      const body = state.requests.at(-1)?.body;
      return body ? send(body) : invalid();
    }),
    http.get(`${base}/:node/message_templates`, async ({ request, params }) => {
      const refused = await record(request, `${String(params.node)}/message_templates`);
      if (refused) return refused;
      if (params.node !== waba) return invalid(100);
      const url = new URL(request.url);
      const limit = Number(url.searchParams.get('limit') ?? options.pageSize ?? 25);
      const start = positionOf(url.searchParams.get('after'));
      if (start === undefined || !Number.isInteger(limit) || limit < 1) return invalid();
      const page = state.templates.slice(start, start + limit);
      const end = start + page.length;
      const next = new URL(url);
      next.searchParams.set('after', cursorOf(end));
      next.searchParams.set('access_token', 'fake-token-in-next-link');
      return answer({
        data: page,
        paging: {
          cursors: { before: cursorOf(start), after: cursorOf(end) },
          ...(end < state.templates.length && { next: next.toString() }),
        },
      });
    }),
    http.get(`${base}/:node`, async ({ request, params }) => {
      const refused = await record(request, String(params.node));
      if (refused) return refused;
      return params.node === phoneNumberId ? answer({ id: phoneNumberId }) : invalid(100);
    }),
  ];
  return { handlers, state };
}
