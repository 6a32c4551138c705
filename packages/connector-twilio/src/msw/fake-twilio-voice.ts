import { http, HttpResponse, type HttpHandler } from 'msw';
import { twilioErrorFixture } from './fixtures.js';
import {
  type TwilioCallFixture,
  type TwilioRecordingFixture,
  callSid,
  recordingSid,
  twilioCallFixture,
  twilioRecordingFixture,
} from './voice-fixtures.js';

/** Where the fake's recording media redirect leads (Twilio's media storage is another origin). */
export const FAKE_TWILIO_MEDIA_ORIGIN = 'https://media.twilio-storage.test';

/** The voice half of the fake's state. */
export interface FakeTwilioVoiceState {
  /** Calls by SID, in creation order. */
  readonly calls: Map<string, TwilioCallFixture>;
  /** Recordings by SID, in creation order. */
  readonly recordings: Map<string, TwilioRecordingFixture>;
  /** Adds a call (defaults: a completed inbound call); returns it. */
  seedCall(call?: Partial<TwilioCallFixture>): TwilioCallFixture;
  /** Adds a recording with its audio bytes (default 64 KiB of silence); returns it. */
  seedRecording(recording?: Partial<TwilioRecordingFixture>, media?: Uint8Array): TwilioRecordingFixture;
  /** Authorization headers the media storage origin received (must stay empty). */
  readonly mediaAuthorizations: string[];
}

type Gate = (request: Request, account: string | readonly string[] | undefined) => Promise<{ error?: Response }>;

function errorResponse(code: number, status: number, message: string) {
  return HttpResponse.json(twilioErrorFixture(code, status, message), { status });
}

/** Newest first, as Twilio lists. */
function newestFirst<T extends { date_created: string }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => Date.parse(b.date_created) - Date.parse(a.date_created));
}

function onOrAfter(value: string | null, bound: string | null): boolean {
  if (bound === null) return true;
  if (!value) return false;
  // Twilio compares a YYYY-MM-DD bound by day; a date-time bound is compared as an instant.
  const b = /^\d{4}-\d{2}-\d{2}$/.test(bound) ? Date.parse(`${bound}T00:00:00Z`) : Date.parse(bound);
  return Date.parse(value) >= b;
}

/**
 * The fake's Calls and Recordings routes: list (newest first, `StartTime>` / `DateCreated>`
 * filters, `next_page_uri` paging), fetch, and recording media behind a redirect to another
 * origin, which refuses any request carrying credentials.
 */
export function createVoiceHandlers(options: { base: string; accountSid: string; gate: Gate }): {
  handlers: HttpHandler[];
  state: FakeTwilioVoiceState;
} {
  const { base, accountSid, gate } = options;
  const accountPath = `/2010-04-01/Accounts/${accountSid}`;
  const calls = new Map<string, TwilioCallFixture>();
  const recordings = new Map<string, TwilioRecordingFixture>();
  const media = new Map<string, Uint8Array>();
  const mediaAuthorizations: string[] = [];
  let callCounter = 0;
  let recordingCounter = 0;

  const state: FakeTwilioVoiceState = {
    calls,
    recordings,
    mediaAuthorizations,
    seedCall(partial = {}) {
      callCounter++;
      const call = twilioCallFixture({ account_sid: accountSid, sid: callSid(callCounter), ...partial });
      call.uri = `${accountPath}/Calls/${call.sid}.json`;
      calls.set(call.sid, call);
      return call;
    },
    seedRecording(partial = {}, bytes = new Uint8Array(64 * 1024)) {
      recordingCounter++;
      const recording = twilioRecordingFixture({ account_sid: accountSid, sid: recordingSid(recordingCounter), ...partial });
      recording.uri = `${accountPath}/Recordings/${recording.sid}.json`;
      recording.media_url = `${base}${accountPath}/Recordings/${recording.sid}`;
      recordings.set(recording.sid, recording);
      media.set(recording.sid, bytes);
      return recording;
    },
  };

  const page = <T>(request: Request, key: 'calls' | 'recordings', all: T[]) => {
    const url = new URL(request.url);
    const q = url.searchParams;
    const pageSize = Math.min(1000, Math.max(1, Number(q.get('PageSize') ?? 50) || 50));
    const n = Math.max(0, Number(q.get('Page') ?? 0) || 0);
    const slice = all.slice(n * pageSize, (n + 1) * pageSize);
    const uri = (k: number) => {
      const next = new URLSearchParams(q);
      next.set('PageSize', String(pageSize));
      next.set('Page', String(k));
      if (k > 0) next.set('PageToken', `PA${k}`);
      else next.delete('PageToken');
      return `${url.pathname}?${next.toString()}`;
    };
    return HttpResponse.json({
      end: n * pageSize + Math.max(0, slice.length - 1),
      first_page_uri: uri(0),
      next_page_uri: (n + 1) * pageSize < all.length ? uri(n + 1) : null,
      page: n,
      page_size: pageSize,
      previous_page_uri: n > 0 ? uri(n - 1) : null,
      start: n * pageSize,
      uri: `${url.pathname}${url.search}`,
      [key]: slice,
    });
  };

  const listCalls = http.get(`${base}/2010-04-01/Accounts/:account/Calls.json`, async ({ request, params }) => {
    const { error } = await gate(request, params.account);
    if (error) return error;
    const q = new URL(request.url).searchParams;
    const matches = newestFirst(calls.values()).filter(
      (c) => onOrAfter(c.start_time, q.get('StartTime>')) && (!q.get('Status') || c.status === q.get('Status')),
    );
    return page(request, 'calls', matches);
  });

  const fetchCall = http.get(`${base}/2010-04-01/Accounts/:account/Calls/:sid`, async ({ request, params }) => {
    const { error } = await gate(request, params.account);
    if (error) return error;
    const found = calls.get(String(params.sid).replace(/\.json$/, ''));
    return found ? HttpResponse.json(found) : errorResponse(20404, 404, 'The requested resource was not found');
  });

  const listRecordings = http.get(`${base}/2010-04-01/Accounts/:account/Recordings.json`, async ({ request, params }) => {
    const { error } = await gate(request, params.account);
    if (error) return error;
    const q = new URL(request.url).searchParams;
    const matches = newestFirst(recordings.values()).filter((r) => onOrAfter(r.date_created, q.get('DateCreated>')));
    return page(request, 'recordings', matches);
  });

  const fetchRecording = http.get(`${base}/2010-04-01/Accounts/:account/Recordings/:file`, async ({ request, params }) => {
    const { error } = await gate(request, params.account);
    if (error) return error;
    const match = /^(RE[0-9a-f]{32})\.(json|mp3|wav)$/i.exec(String(params.file));
    const found = match ? recordings.get(match[1]!) : undefined;
    if (!match || !found) return errorResponse(20404, 404, 'The requested resource was not found');
    if (match[2] === 'json') return HttpResponse.json(found);
    // Twilio serves media from its storage: a redirect to a pre-signed URL on another origin.
    return new HttpResponse(null, {
      status: 302,
      headers: { location: `${FAKE_TWILIO_MEDIA_ORIGIN}/${accountSid}/${found.sid}.${match[2]}?X-Amz-Signature=fake` },
    });
  });

  const storage = http.get(`${FAKE_TWILIO_MEDIA_ORIGIN}/:account/:file`, ({ request, params }) => {
    const auth = request.headers.get('authorization');
    if (auth) {
      mediaAuthorizations.push(auth);
      return new HttpResponse('credentials sent to the storage origin', { status: 400 });
    }
    const [sid, ext] = String(params.file).split('.');
    const bytes = sid ? media.get(sid) : undefined;
    if (!bytes) return new HttpResponse(null, { status: 404 });
    // Streamed in 16 KiB chunks, as a real download arrives.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 16 * 1024) controller.enqueue(bytes.slice(i, i + 16 * 1024));
        controller.close();
      },
    });
    return new HttpResponse(body, {
      headers: { 'content-type': ext === 'wav' ? 'audio/x-wav' : 'audio/mpeg', 'content-length': String(bytes.length) },
    });
  });

  return { handlers: [listCalls, fetchCall, listRecordings, fetchRecording, storage], state };
}
