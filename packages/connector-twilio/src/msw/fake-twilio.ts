import { http, HttpResponse, type HttpHandler } from 'msw';
import {
  FIXTURE_ACCOUNT_SID,
  type TwilioErrorFixture,
  type TwilioMessageFixture,
  messageSid,
  rfc2822,
  twilioErrorFixture,
  twilioMessageFixture,
} from './fixtures.js';
import { type FakeTwilioVoiceState, createVoiceHandlers } from './fake-twilio-voice.js';

/**
 * Twilio's magic test numbers (used with test credentials): sending to them fails with the same
 * error the real API returns. The fake honours them so hosts can test their error paths.
 */
export const TWILIO_MAGIC_NUMBERS: Readonly<Record<string, { code: number; message: string }>> = {
  '+15005550001': { code: 21211, message: "The 'To' number +15005550001 is not a valid phone number." },
  '+15005550002': { code: 21612, message: "The 'To' phone number: +15005550002, is not currently reachable." },
  '+15005550003': { code: 21408, message: 'Permission to send an SMS has not been enabled for the region +15005550003.' },
  '+15005550004': { code: 21610, message: 'Attempt to send to unsubscribed recipient +15005550004' },
  '+15005550009': { code: 21614, message: "'To' number +15005550009 is not a valid mobile number" },
};

/** One request the fake received. */
export interface FakeTwilioRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** The decoded form body of a POST (repeated keys keep the last value). */
  form: Record<string, string> | undefined;
  /** The raw form body of a POST. */
  rawBody: string | undefined;
  authorization: string | null;
}

/** An error the next request(s) will get, as Twilio would send it. */
export interface FakeTwilioFailure {
  status: number;
  code: number;
  message?: string;
  headers?: Record<string, string>;
}

/** Options of {@link createFakeTwilio}. */
export interface FakeTwilioOptions {
  /** Default `https://api.twilio.com`. */
  baseUrl?: string;
  /** The account the fake serves. Default the fixtures' account. */
  accountSid?: string;
  /**
   * Accepted Basic credentials (`accountSid:authToken` or `apiKeySid:apiKeySecret`). When given,
   * other credentials get Twilio's 401 / 20003.
   */
  credentials?: ReadonlyArray<{ username: string; password: string }>;
  /** Final delivery outcome per recipient: a 3000x error code makes the message `undelivered`. */
  deliveryFailures?: Readonly<Record<string, number>>;
  /** The fake's clock. Default `() => new Date()`. */
  now?: () => Date;
}

/**
 * The fake's state, for assertions and for steering it (messages here; calls and recordings from
 * {@link FakeTwilioVoiceState}). Private to one {@link createFakeTwilio} call.
 */
export interface FakeTwilioState extends FakeTwilioVoiceState {
  /** Messages by SID, in creation order. */
  readonly messages: Map<string, TwilioMessageFixture>;
  /** Every request received, in order. */
  readonly requests: FakeTwilioRequest[];
  /** Makes the next `count` requests fail with `failure`. */
  failNext(failure: FakeTwilioFailure, count?: number): void;
  /** Drops failures queued by `failNext` that no request has consumed. */
  clearFailures(): void;
  /** Moves a message one step along queued → sending → sent → delivered (or undelivered). */
  advance(sid: string): TwilioMessageFixture | undefined;
  /** Adds a message directly (an inbound SMS, an older message for list tests). */
  seed(message: Partial<TwilioMessageFixture>): TwilioMessageFixture;
}

const NEXT: Partial<Record<TwilioMessageFixture['status'], TwilioMessageFixture['status']>> = {
  accepted: 'queued',
  queued: 'sending',
  sending: 'sent',
  sent: 'delivered',
};

function errorResponse(error: TwilioErrorFixture, headers?: Record<string, string>) {
  return HttpResponse.json(error, { status: error.status, ...(headers && { headers }) });
}

function utcDay(rfc: string | null): string | undefined {
  if (!rfc) return undefined;
  return new Date(Date.parse(rfc)).toISOString().slice(0, 10);
}

/**
 * A fake Twilio Messages API for MSW: creates messages (honouring the magic test numbers and
 * scheduling), moves them along their delivery statuses on each read, lists them newest first
 * with `next_page_uri` paging and DateSent filters, and answers errors in Twilio's JSON shape.
 * Each call returns fresh, private state.
 */
export function createFakeTwilio(options: FakeTwilioOptions = {}): { handlers: HttpHandler[]; state: FakeTwilioState } {
  const base = (options.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const accountSid = options.accountSid ?? FIXTURE_ACCOUNT_SID;
  const now = options.now ?? (() => new Date());
  const messages = new Map<string, TwilioMessageFixture>();
  const requests: FakeTwilioRequest[] = [];
  const failures: FakeTwilioFailure[] = [];
  let counter = 0;
  const accountPath = `/2010-04-01/Accounts/${accountSid}`;

  // The voice routes share the gate (credentials, account, queued failures), declared below.
  const voice = createVoiceHandlers({ base, accountSid, gate: (request, account) => gate(request, account) });
  const state: FakeTwilioState = {
    ...voice.state,
    messages,
    requests,
    failNext(failure, count = 1) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    clearFailures() {
      failures.length = 0;
    },
    advance(sid) {
      const message = messages.get(sid);
      if (!message) return undefined;
      const next = NEXT[message.status];
      if (!next) return message;
      const failure = options.deliveryFailures?.[message.to];
      const stamp = rfc2822(now());
      message.status = next === 'delivered' && failure !== undefined ? 'undelivered' : next;
      if (message.status === 'undelivered') {
        message.error_code = failure ?? 30008;
        message.error_message = 'Unknown error';
      }
      if (next === 'sent') message.date_sent = stamp;
      message.date_updated = stamp;
      return message;
    },
    seed(partial) {
      counter++;
      const message = twilioMessageFixture({ account_sid: accountSid, sid: messageSid(counter), ...partial });
      message.uri = `${accountPath}/Messages/${message.sid}.json`;
      message.subresource_uris = { media: `${accountPath}/Messages/${message.sid}/Media.json` };
      messages.set(message.sid, message);
      return message;
    },
  };

  const authorised = (header: string | null): boolean => {
    if (!options.credentials) return true;
    if (!header?.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    return options.credentials.some((c) => `${c.username}:${c.password}` === decoded);
  };

  const gate = async (request: Request, pathAccount: string | readonly string[] | undefined) => {
    const url = new URL(request.url);
    const rawBody = request.method === 'POST' ? await request.text() : undefined;
    const form = rawBody === undefined ? undefined : Object.fromEntries(new URLSearchParams(rawBody));
    requests.push({
      method: request.method,
      url: url.pathname + url.search,
      form,
      rawBody,
      authorization: request.headers.get('authorization'),
    });
    if (!authorised(request.headers.get('authorization'))) {
      return { error: errorResponse(twilioErrorFixture(20003, 401, 'Authenticate')) };
    }
    if (pathAccount !== accountSid) {
      return { error: errorResponse(twilioErrorFixture(20404, 404, 'The requested resource was not found')) };
    }
    const failure = failures.shift();
    if (failure) {
      return {
        error: errorResponse(
          twilioErrorFixture(failure.code, failure.status, failure.message ?? 'Too Many Requests'),
          failure.headers,
        ),
      };
    }
    return { form };
  };

  const create = http.post(`${base}/2010-04-01/Accounts/:account/Messages.json`, async ({ request, params }) => {
    const { error, form } = await gate(request, params.account);
    if (error) return error;
    const f = form ?? {};
    if (!f.To) return errorResponse(twilioErrorFixture(21604, 400, "A 'To' phone number is required."));
    if (!f.Body) return errorResponse(twilioErrorFixture(21602, 400, 'Message body is required.'));
    if (!f.From && !f.MessagingServiceSid) {
      return errorResponse(twilioErrorFixture(21603, 400, "A 'From' phone number is required."));
    }
    const magic = TWILIO_MAGIC_NUMBERS[f.To];
    if (magic) return errorResponse(twilioErrorFixture(magic.code, 400, magic.message));
    if (f.ScheduleType !== undefined) {
      const sendAt = Date.parse(f.SendAt ?? '');
      const ahead = sendAt - now().getTime();
      if (f.ScheduleType !== 'fixed' || !f.MessagingServiceSid || Number.isNaN(sendAt)) {
        return errorResponse(twilioErrorFixture(35111, 400, 'Invalid scheduling parameters'));
      }
      if (ahead < 15 * 60 * 1000 || ahead > 35 * 24 * 60 * 60 * 1000) {
        return errorResponse(twilioErrorFixture(35114, 400, 'Scheduling does not support this timestamp'));
      }
    }
    const message = state.seed({
      to: f.To,
      from: f.From ?? null,
      body: f.Body,
      messaging_service_sid: f.MessagingServiceSid ?? null,
      status: f.ScheduleType ? 'scheduled' : f.MessagingServiceSid ? 'accepted' : 'queued',
      num_segments: f.ScheduleType ? '0' : '1',
      date_created: rfc2822(now()),
      date_updated: rfc2822(now()),
    });
    return HttpResponse.json(message, { status: 201 });
  });

  const fetchOne = http.get(`${base}/2010-04-01/Accounts/:account/Messages/:sid`, async ({ request, params }) => {
    const { error } = await gate(request, params.account);
    if (error) return error;
    const sid = String(params.sid).replace(/\.json$/, '');
    const found = messages.get(sid);
    if (!found) return errorResponse(twilioErrorFixture(20404, 404, `The requested resource ${request.url} was not found`));
    // Each read moves the message one status along: a poller sees the progression.
    const current = { ...found };
    state.advance(sid);
    return HttpResponse.json(current);
  });

  const list = http.get(`${base}/2010-04-01/Accounts/:account/Messages.json`, async ({ request, params }) => {
    const { error } = await gate(request, params.account);
    if (error) return error;
    const url = new URL(request.url);
    const q = url.searchParams;
    const pageSize = Math.min(1000, Math.max(1, Number(q.get('PageSize') ?? 50) || 50));
    const page = Math.max(0, Number(q.get('Page') ?? 0) || 0);
    const matches = [...messages.values()].reverse().filter((m) => {
      const day = utcDay(m.date_sent);
      if (q.get('To') && m.to !== q.get('To')) return false;
      if (q.get('From') && m.from !== q.get('From')) return false;
      if (q.get('DateSent') && day !== q.get('DateSent')) return false;
      if (q.get('DateSent>') && (!day || day < (q.get('DateSent>') as string))) return false;
      if (q.get('DateSent<') && (!day || day > (q.get('DateSent<') as string))) return false;
      return true;
    });
    const slice = matches.slice(page * pageSize, (page + 1) * pageSize);
    const hasNext = (page + 1) * pageSize < matches.length;
    const pageUri = (n: number) => {
      const next = new URLSearchParams(q);
      next.set('PageSize', String(pageSize));
      next.set('Page', String(n));
      if (n > 0) next.set('PageToken', `PA${(slice.at(-1)?.sid ?? '').slice(2)}`);
      else next.delete('PageToken');
      return `${accountPath}/Messages.json?${next.toString()}`;
    };
    return HttpResponse.json({
      end: page * pageSize + Math.max(0, slice.length - 1),
      first_page_uri: pageUri(0),
      next_page_uri: hasNext ? pageUri(page + 1) : null,
      page,
      page_size: pageSize,
      previous_page_uri: page > 0 ? pageUri(page - 1) : null,
      start: page * pageSize,
      uri: `${url.pathname}${url.search}`,
      messages: slice,
    });
  });

  return { handlers: [create, list, fetchOne, ...voice.handlers], state };
}
