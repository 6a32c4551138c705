import { randomBytes } from 'node:crypto';
import { type HttpHandler, HttpResponse, http } from 'msw';
import { z } from 'zod';
import { SURVEY_DEFAULT_BASE_URL } from '../survey-config.js';
import type { WireInvitation, WireResponse } from '../survey-model.js';
import { invitationFixture, surveyResponseFixtures } from './fixtures.js';

/** Options of {@link createFakeSurveyApi}. */
export interface FakeSurveyApiOptions {
  /** Default the production origin (MSW intercepts it; nothing goes out). */
  baseUrl?: string;
  /** When set, any other bearer token gets 401. */
  apiKey?: string;
  /** Responses the log starts with. Default {@link surveyResponseFixtures}. */
  responses?: WireResponse[];
  /** The fake's clock. Default `() => new Date()`. */
  now?: () => Date;
}

/** A request the fake received. */
export interface FakeSurveyRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  body: unknown;
}

/** The fake's state, for assertions and for steering it. Private to one {@link createFakeSurveyApi} call. */
export interface FakeSurveyState {
  readonly invitations: Map<string, WireInvitation>;
  /** The append-only response log. */
  readonly responses: WireResponse[];
  readonly requests: FakeSurveyRequest[];
  /** The next `count` requests get `status` with the API's error body. */
  failNext(status: number, count?: number, code?: string): void;
  /** Appends a response to the log (a patient answered). */
  submitResponse(partial?: Partial<WireResponse>): WireResponse;
}

const CreateInvitation = z.object({
  contact_ref: z.string().min(1),
  channel: z.enum(['sms', 'email']),
  recipient: z.string().min(3),
  language: z.enum(['ar', 'en']),
  survey: z.enum(['post-visit', 'nps']),
  appointment_ref: z.string().min(1).optional(),
});

const error = (status: number, code: string, message: string) =>
  HttpResponse.json(
    { error: { code, message } },
    { status, headers: { 'x-request-id': `req_${randomBytes(6).toString('hex')}` } },
  );

/** Cursors are opaque to clients; here they encode a position in the log. */
const cursorOf = (index: number) => Buffer.from(`pos:${index}`).toString('base64url');
function positionOf(cursor: string | null): number | undefined {
  if (cursor === null) return 0;
  const match = /^pos:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/**
 * A fake Clinic Survey API for MSW, following `openapi/clinic-survey.yaml`: bearer auth, invitations
 * with idempotency keys (a repeated key returns the first invitation; reused with another body,
 * 409), the response log with cursor paging, and injectable failures. Fresh state per call.
 */
export function createFakeSurveyApi(options: FakeSurveyApiOptions = {}): { handlers: HttpHandler[]; state: FakeSurveyState } {
  const base = (options.baseUrl ?? SURVEY_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  const invitations = new Map<string, WireInvitation>();
  const byKey = new Map<string, { body: string; invitation: WireInvitation }>();
  const responses = options.responses ?? surveyResponseFixtures();
  const requests: FakeSurveyRequest[] = [];
  const failures: Array<{ status: number; code: string }> = [];
  let counter = 0;

  const state: FakeSurveyState = {
    invitations,
    responses,
    requests,
    failNext(status, count = 1, code = status >= 500 ? 'unavailable' : 'invalid_request') {
      for (let i = 0; i < count; i++) failures.push({ status, code });
    },
    submitResponse(partial = {}) {
      counter++;
      const response: WireResponse = {
        id: `rsp_${2000 + counter}`,
        invitation_id: 'inv_9001',
        contact_ref: 'crm-contact-17',
        survey: 'post-visit',
        score: 9,
        comment: 'خدمة ممتازة',
        language: 'ar',
        submitted_at: now().toISOString(),
        ...partial,
      };
      responses.push(response);
      return response;
    },
  };

  /** Records the request, then answers auth failures and injected faults. */
  const gate = (request: Request, body: unknown) => {
    const url = new URL(request.url);
    requests.push({
      method: request.method,
      path: url.pathname + url.search,
      idempotencyKey: request.headers.get('idempotency-key'),
      body,
    });
    const auth = request.headers.get('authorization');
    if (!auth?.startsWith('Bearer ') || (options.apiKey !== undefined && auth !== `Bearer ${options.apiKey}`)) {
      return error(401, 'unauthorized', 'invalid API key');
    }
    const failure = failures.shift();
    return failure ? error(failure.status, failure.code, 'injected failure') : undefined;
  };

  const create = http.post(`${base}/v1/invitations`, async ({ request }) => {
    const raw = await request.text();
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      json = undefined;
    }
    const refused = gate(request, json);
    if (refused) return refused;
    const parsed = CreateInvitation.safeParse(json);
    if (!parsed.success) return error(400, 'invalid_request', 'the invitation is not valid');
    const key = request.headers.get('idempotency-key');
    const previous = key ? byKey.get(key) : undefined;
    if (previous) {
      return previous.body === raw
        ? HttpResponse.json(previous.invitation, { status: 201 })
        : error(409, 'idempotency_conflict', 'this Idempotency-Key was used with another request');
    }
    counter++;
    const created = now();
    const invitation = invitationFixture({
      id: `inv_${randomBytes(8).toString('hex')}`,
      channel: parsed.data.channel,
      language: parsed.data.language,
      survey: parsed.data.survey,
      contact_ref: parsed.data.contact_ref,
      appointment_ref: parsed.data.appointment_ref ?? null,
      created_at: created.toISOString(),
      expires_at: new Date(created.getTime() + 7 * 86_400_000).toISOString(),
    });
    invitations.set(invitation.id, invitation);
    if (key) byKey.set(key, { body: raw, invitation });
    return HttpResponse.json(invitation, { status: 201 });
  });

  const read = http.get(`${base}/v1/invitations/:id`, ({ request, params }) => {
    const refused = gate(request, undefined);
    if (refused) return refused;
    const invitation = invitations.get(String(params.id));
    return invitation ? HttpResponse.json(invitation) : error(404, 'not_found', 'no such invitation');
  });

  const list = http.get(`${base}/v1/responses`, ({ request }) => {
    const refused = gate(request, undefined);
    if (refused) return refused;
    const q = new URL(request.url).searchParams;
    const limit = Number(q.get('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return error(400, 'invalid_request', 'limit must be 1–100');
    const start = positionOf(q.get('after'));
    if (start === undefined || start > responses.length) return error(400, 'invalid_request', 'unknown cursor');
    const data = responses.slice(start, start + limit);
    const end = start + data.length;
    return HttpResponse.json({
      data,
      next_cursor: end === 0 ? null : cursorOf(end),
      has_more: end < responses.length,
    });
  });

  return { handlers: [create, read, list], state };
}
