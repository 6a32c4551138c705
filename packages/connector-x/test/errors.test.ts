// Error classification on X's real bodies, and the fixtures against X's OpenAPI description.
import { ApiError, AuthError, type ErrorResponseContext, RateLimitError, ValidationError } from '@hmi/core';
import { describe, expect, it } from 'vitest';
import { createXErrorClassifier } from '../src/index.js';
import { X_PROBLEMS, xAccountFixture, xMentionAuthorsFixture, xMentionsFixture, xPostsFixture } from '../src/msw/index.js';
import { server, setupOAuth2, spec } from './harness.js';

const now = Date.UTC(2025, 9, 3, 8, 0, 0);
const classify = createXErrorClassifier({ now: () => now });
const context = (status: number, body: unknown, headers: Record<string, string> = {}): ErrorResponseContext => ({
  status,
  body,
  headers: new Headers(headers),
  method: 'POST',
  operation: 'createPost',
  requestId: undefined,
});

describe('createXErrorClassifier', () => {
  it('403 duplicate content is a ValidationError; another 403 is forbidden', () => {
    const duplicate = classify(context(403, { ...X_PROBLEMS.duplicate, status: 403 }));
    expect(ValidationError.isInstance(duplicate) && duplicate.code).toBe('duplicate_content');
    const legacy = classify(context(403, { errors: [{ code: 187, message: 'Status is a duplicate.' }] }));
    expect(legacy?.code).toBe('duplicate_content');
    const forbidden = classify(
      context(403, { title: 'Forbidden', type: 'about:blank', detail: 'You are not permitted to perform this action.' }),
    );
    expect(AuthError.isInstance(forbidden) && forbidden.code).toBe('forbidden');
    expect(forbidden?.message).toBe('X Forbidden: You are not permitted to perform this action. (not permitted)');
  });

  it('never copies free text X writes: an unknown detail or title is dropped', () => {
    const error = classify(
      context(400, {
        type: 'https://api.x.com/2/problems/invalid-request',
        title: 'Bad text فاطمة الزهراني',
        detail: 'The text "call فاطمة الزهراني on +966555123456" is invalid',
      }),
    );
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(error?.vendorCode).toBe('invalid-request');
    const serialised = JSON.stringify([error?.message, error?.toJSON(), error?.stack]);
    expect(serialised).not.toContain('966555123456');
    expect(serialised).not.toContain('فاطمة');
  });

  it('401 auth, 404 not found, 5xx left to the core', () => {
    expect(AuthError.isInstance(classify(context(401, X_PROBLEMS.unauthorized)))).toBe(true);
    const missing = classify(
      context(404, {
        type: 'https://api.x.com/2/problems/resource-not-found',
        title: 'Not Found Error',
        detail: 'Could not find post with id: [123].',
        resource_type: 'post',
      }),
    );
    expect(ApiError.isInstance(missing) && missing.code).toBe('not_found');
    expect(missing?.message).toBe('X Not Found Error: Could not find post with id: […]. (not found)');
    expect(classify(context(503, X_PROBLEMS.unavailable))).toBeUndefined();
  });

  it('429 waits until x-rate-limit-reset (or Retry-After) and is marked not processed', () => {
    const reset = now / 1000 + 42;
    const limited = classify(
      context(429, X_PROBLEMS.tooMany, { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) }),
    );
    expect(RateLimitError.isInstance(limited) && limited.retryAfterMs).toBe(42_000);
    expect(limited?.notProcessed).toBe(true);
    const retryAfter = classify(context(429, X_PROBLEMS.tooMany, { 'retry-after': '7' }));
    expect((retryAfter as RateLimitError).retryAfterMs).toBe(7000);
  });
});

describe('fixtures against X’s OpenAPI description', () => {
  it('timeline pages, users/me, create and delete answers validate', () => {
    const account = xAccountFixture();
    const page = (data: unknown[]) => ({
      data,
      includes: { users: [account, ...xMentionAuthorsFixture()] },
      meta: { result_count: data.length },
    });
    const cases = [
      { method: 'GET', url: `/2/users/${account.id}/tweets`, status: 200, body: page(xPostsFixture()) },
      { method: 'GET', url: `/2/users/${account.id}/mentions`, status: 200, body: page(xMentionsFixture()) },
      { method: 'GET', url: '/2/users/me', status: 200, body: { data: account } },
      {
        method: 'POST',
        url: '/2/tweets',
        status: 201,
        body: { data: { id: '1900000000000000001', text: 'مرحبا', edit_history_post_ids: ['1900000000000000001'] } },
      },
      { method: 'DELETE', url: '/2/tweets/1900000000000000001', status: 200, body: { data: { deleted: true } } },
    ];
    for (const c of cases) expect(spec.validateResponse(c).errors).toEqual([]);
  });

  it('a fixture the description refuses is caught (the check can fail)', () => {
    const bad = { data: [{ ...xPostsFixture()[0], public_metrics: { like_count: 'many' } }] };
    expect(spec.validateResponse({ method: 'GET', url: '/2/users/1/tweets', status: 200, body: bad }).valid).toBe(false);
    const badRequest = spec.validateRequest({
      method: 'POST',
      url: '/2/tweets',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: { text: 'x', reply_settings: 'everyone' },
    });
    expect(badRequest.valid).toBe(false);
  });
});

describe('secrets and patient data stay out of telemetry', () => {
  it('a full session emits no token, secret or known-patient value', async () => {
    const { x, events } = setupOAuth2({ withAccessToken: false });
    server.listen();
    const knownPatient = { names: ['فاطمة الزهراني'], phones: ['+966555123456'], mrns: ['MRN-00774210'] };
    await x.actions.createPost({ replyToPostId: '1810000000000000003', knownPatient });
    await x.actions
      .createPost({ text: 'call 0555123456', replyMode: 'free-text', replyToPostId: '1810000000000000003', knownPatient })
      .catch(() => {});
    for await (const _ of x.streams.mentions.read()) {
      // drain
    }
    server.close();
    const json = JSON.stringify(events);
    for (const value of [
      'x-client-secret-CANARY-7f3a9c1e',
      'x-refresh-CANARY-2b8d4e6f0a1c',
      'fake-x-access-',
      'fake-x-refresh-',
      'فاطمة',
      '555123456',
      '774210',
    ]) {
      expect(json).not.toContain(value);
    }
    expect(events.length).toBeGreaterThan(3);
  });
});
