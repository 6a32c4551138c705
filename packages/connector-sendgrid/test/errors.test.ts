import { ApiError, AuthError, ConfigError, ConsentError, RateLimitError, TimeoutError, ValidationError } from '@hmi/core';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  classifySendGridError as classifyError,
  createSendGridConnector,
  rateLimitWaitMs,
  safeVendorMessage,
} from '../src/index.js';
import { API_KEY, fakeSendGrid, PATIENT_EMAIL, PATIENT_NAME, useMsw } from './harness.js';
import { errorResponseIssues } from './mail-spec.js';

const server = useMsw();
const URL_SEND = 'https://api.sendgrid.com/v3/mail/send';
const send = {
  to: { email: PATIENT_EMAIL, name: PATIENT_NAME },
  subject: 'نتائج التحاليل',
  text: 'جاهزة',
  purpose: 'transactional' as const,
};

function replyOnce(status: number, body: unknown, headers: Record<string, string> = {}) {
  let count = 0;
  server.use(
    http.post(URL_SEND, () => {
      count++;
      return HttpResponse.json(body as never, { status, headers });
    }),
  );
  return () => count;
}

/** Everything an error could leak through. */
function surface(error: unknown): string {
  const e = error as Error & { toJSON?: () => unknown; cause?: unknown };
  return [
    e.message,
    e.stack,
    JSON.stringify(e),
    JSON.stringify(e.toJSON?.()),
    String(e.cause && (e.cause as Error).message),
  ].join('\n');
}

describe('classifyError (sendgrid-error.ts), end to end through sendEmail', () => {
  it('400 with errors[] → ValidationError with SendGrid’s fields; the echoed address and Arabic text are scrubbed', async () => {
    const body = {
      errors: [
        { field: 'personalizations.0.to.0.email', message: `Does not contain a valid address: ${PATIENT_EMAIL}` },
        { field: 'subject', message: `The subject "${PATIENT_NAME}" is too long` },
        { field: null, message: 'Bad Request' },
      ],
    };
    expect(errorResponseIssues(body)).toEqual([]);
    const { sendgrid } = fakeSendGrid(server);
    const count = replyOnce(400, body);
    const error = await sendgrid.actions.sendEmail(send).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    const v = error as ValidationError;
    expect(v.status).toBe(400);
    expect(v.code).toBe('invalid_request');
    expect(v.issues.map((i) => i.path)).toEqual([['personalizations', 0, 'to', 0, 'email'], ['subject'], []]);
    expect(v.message).toContain('personalizations.0.to.0.email');
    expect(surface(error)).not.toContain(PATIENT_EMAIL);
    expect(surface(error)).not.toContain('فاطمة');
    expect(count()).toBe(1);
  });

  it.each([401, 403])('%i → AuthError, not retried', async (status) => {
    const { sendgrid } = fakeSendGrid(server);
    const count = replyOnce(status, { errors: [{ field: null, message: 'authorization required' }] });
    const error = await sendgrid.actions.sendEmail(send).catch((e: unknown) => e);
    expect(AuthError.isInstance(error)).toBe(true);
    expect((error as AuthError).status).toBe(status);
    expect(count()).toBe(1);
  });

  it('413 → ApiError payload_too_large, not retryable', async () => {
    const { sendgrid } = fakeSendGrid(server);
    replyOnce(413, { errors: [{ field: null, message: 'content too large' }] });
    const error = await sendgrid.actions.sendEmail(send).catch((e: unknown) => e);
    expect(ApiError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'payload_too_large', status: 413, retryable: false });
  });

  it('429 → RateLimitError (notProcessed) with the wait from X-RateLimit-Reset; a wait beyond the core limit is not retried', async () => {
    const reset = Math.floor(Date.now() / 1000) + 120;
    const { sendgrid } = fakeSendGrid(server);
    const count = replyOnce(
      429,
      { errors: [{ field: null, message: 'too many requests' }] },
      { 'X-RateLimit-Reset': String(reset) },
    );
    const error = await sendgrid.actions.sendEmail(send).catch((e: unknown) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true, notProcessed: true });
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(115_000);
    expect((error as RateLimitError).retryAfterMs).toBeLessThanOrEqual(120_000);
    expect(count()).toBe(1);
  });

  it('429 with a short wait: the core retries mail/send (SendGrid accepted nothing), one email sent', async () => {
    const { sendgrid } = fakeSendGrid(server);
    let limited = 0;
    server.use(
      http.post(
        URL_SEND,
        () => {
          limited++;
          return HttpResponse.json(
            { errors: [{ field: null, message: 'too many requests' }] },
            {
              status: 429,
              headers: { 'Retry-After': '0' },
            },
          );
        },
        { once: true },
      ),
    );
    // The second attempt reaches the fake's own mail/send handler, which accepts it.
    await expect(sendgrid.actions.sendEmail(send)).resolves.toMatchObject({ batches: [{ recipients: 1 }] });
    expect(limited).toBe(1);
  });

  it.each([500, 502, 503])(
    '%i on mail/send → ApiError outcome_unknown, NOT retryable, one request (no duplicate email)',
    async (status) => {
      const { sendgrid } = fakeSendGrid(server);
      const count = replyOnce(status, { errors: [{ message: 'internal server error' }] });
      const error = await sendgrid.actions.sendEmail(send).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'ApiError', code: 'outcome_unknown', status, retryable: false });
      expect(count()).toBe(1);
    },
  );

  it('a timeout on mail/send → TimeoutError after one attempt', async () => {
    let count = 0;
    const { sendgrid } = fakeSendGrid(server, { timeoutMs: 100 });
    server.use(
      http.post(URL_SEND, async () => {
        count++;
        await delay(2000);
        return new HttpResponse(null, { status: 202 });
      }),
    );
    const error = await sendgrid.actions.sendEmail(send).catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(count).toBe(1);
  });

  it('a GET (check) 5xx stays retryable; classifyError handles bodies that are not SendGrid’s shape', () => {
    const ctx = (status: number, body: unknown, method: 'GET' | 'POST' = 'GET') => ({
      status,
      headers: new Headers(),
      body,
      method,
      operation: 'x',
      requestId: undefined,
    });
    expect(classifyError(ctx(503, 'gateway html')).retryable).toBe(true);
    expect(classifyError(ctx(501, null)).retryable).toBe(false);
    expect(classifyError(ctx(400, { errors: 'nope' }))).toMatchObject({ code: 'invalid_request', issues: [] });
    expect(classifyError(ctx(404, undefined))).toMatchObject({ name: 'ApiError', status: 404, retryable: false });
    expect(classifyError(ctx(400, { errors: [{ field: `x"${PATIENT_EMAIL}`, message: 'm' }] })).message).not.toContain(
      PATIENT_EMAIL,
    );
  });

  it('rateLimitWaitMs reads Retry-After first, then X-RateLimit-Reset (Unix seconds)', () => {
    const now = 1_700_000_000_000;
    expect(rateLimitWaitMs(new Headers({ 'x-ratelimit-reset': '1700000010' }), now)).toBe(10_000);
    expect(rateLimitWaitMs(new Headers({ 'x-ratelimit-reset': '1699999990' }), now)).toBe(0);
    expect(rateLimitWaitMs(new Headers({ 'retry-after': '3', 'x-ratelimit-reset': '1700000010' }), now)).toBe(3000);
    expect(rateLimitWaitMs(new Headers({ 'x-ratelimit-reset': 'soon' }), now)).toBeUndefined();
  });

  it('safeVendorMessage keeps only known value-free texts; free text is dropped', () => {
    expect(safeVendorMessage('Does not contain a valid address.')).toBe('does not contain a valid address');
    expect(safeVendorMessage('  The from email does not contain a valid address. ')).toBe(
      'the from email does not contain a valid address',
    );
    expect(safeVendorMessage('Invalid type. Expected: string, given: integer.')).toBe(
      'invalid type. expected: string, given: integer',
    );
    for (const free of [
      'Recipient Zarqa Canarya +966555123456 is on a suppression list',
      `Does not contain a valid address: ${PATIENT_EMAIL}`,
      `bad address <${PATIENT_EMAIL}> for 'x' and "${PATIENT_NAME}"`,
      `الاسم ${PATIENT_NAME}`,
      'Invalid type. Expected: string, given: Zarqa.',
      'x'.repeat(500),
    ]) {
      expect(safeVendorMessage(free)).toBeUndefined();
    }
  });

  it('keeps SendGrid field paths only as its own property names and small indexes', () => {
    const issues = (field: string) =>
      (classifyError(ctx400({ errors: [{ field, message: 'x' }] })) as ValidationError).issues[0]?.path;
    expect(issues('personalizations.0.to.1.email')).toEqual(['personalizations', 0, 'to', 1, 'email']);
    expect(issues('personalizations[0].custom_args.Zarqa_Canarya')).toEqual(['personalizations', 0, 'custom_args', '*']);
    expect(issues('to.966555123456')).toEqual(['to', '*']);
  });
});

function ctx400(body: unknown) {
  return { status: 400, headers: new Headers(), body, method: 'POST', operation: 'x', requestId: undefined } as Parameters<
    typeof classifyError
  >[0];
}

describe('config', () => {
  it('invalid config → ConfigError naming fields, never the key', () => {
    const error = (() => {
      try {
        createSendGridConnector({ apiKey: API_KEY, from: 'not-an-address', baseUrl: 'ftp:/x' } as never);
      } catch (e) {
        return e;
      }
    })();
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(surface(error)).not.toContain(API_KEY);
    expect((error as ConfigError).issues.map((i) => i.path[0])).toContain('from');
  });

  it('http:// is refused unless allowInsecureHttp', () => {
    expect(() => createSendGridConnector({ apiKey: API_KEY, from: 'a@example.com', baseUrl: 'http://127.0.0.1:1' })).toThrow();
    expect(() =>
      createSendGridConnector({ apiKey: API_KEY, from: 'a@example.com', baseUrl: 'http://127.0.0.1:1', allowInsecureHttp: true }),
    ).not.toThrow();
  });

  it('check() calls /v3/scopes with the key; a bad key → ok:false AuthError', async () => {
    const { sendgrid } = fakeSendGrid(server);
    await expect(sendgrid.check()).resolves.toEqual({ ok: true });
    const wrong = createSendGridConnector({ apiKey: 'SG.wrong', from: 'a@example.com' });
    const result = await wrong.check();
    expect(result.ok).toBe(false);
    expect(!result.ok && AuthError.isInstance(result.error)).toBe(true);
  });

  it('ConsentError and ValidationError are typed HmiErrors with the connector and operation', async () => {
    const { sendgrid } = fakeSendGrid(server);
    const error = await sendgrid.actions.sendEmail({ ...send, purpose: 'marketing', asmGroupId: 1 }).catch((e: unknown) => e);
    expect(ConsentError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ connector: 'sendgrid', operation: 'sendEmail' });
  });
});
