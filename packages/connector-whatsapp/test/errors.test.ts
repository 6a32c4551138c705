import { OUTSIDE_WINDOW, UNDELIVERABLE } from '@hmi/connector-whatsapp';
import { ApiError, AuthError, RateLimitError, ValidationError } from '@hmi/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connectorFor, fakeTime, PATIENT, rejection, startFakeWhatsApp, T0 } from './harness.js';

const fake = startFakeWhatsApp();
afterEach(() => {
  fake.calls.length = 0;
  fake.state.requests.length = 0;
  fake.state.undeliverable.clear();
  fake.state.clearFailures();
});
afterAll(() => fake.close());

const reminder = { to: PATIENT, template: 'appointment_reminder', language: 'ar', category: 'UTILITY' as const };
const text = { to: PATIENT, text: 'مرحبا', lastInboundAt: new Date(T0 - 60_000) };

describe('Cloud API error codes', () => {
  it('131047 (re-engagement) is the same typed error as the local window check, not retried', async () => {
    fake.state.failNext({ code: 131047 });
    const error = await rejection(connectorFor(fake).actions.sendText(text));
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).code).toBe(OUTSIDE_WINDOW);
    expect((error as ValidationError).vendorCode).toBe('131047');
    expect(fake.calls).toHaveLength(1);
  });

  it('131026 (undeliverable) is an ApiError `undeliverable`, never retried', async () => {
    fake.state.undeliverable.add('966551234567');
    const error = await rejection(connectorFor(fake).actions.sendTemplate(reminder));
    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).code).toBe(UNDELIVERABLE);
    expect((error as ApiError).retryable).toBe(false);
    expect(fake.calls).toHaveLength(1);
  });

  it('131056 (pair rate limit) comes back at once with retryAfterMs: the same patient is not hammered', async () => {
    fake.state.failNext({ code: 131056 }, 5);
    const time = fakeTime();
    const error = await rejection(connectorFor(fake, { pairRateLimitRetryMs: 90_000 }, time).actions.sendTemplate(reminder));
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(90_000);
    expect((error as RateLimitError).notProcessed).toBe(true);
    expect(fake.calls).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
  });

  it('130429 (throughput) is retried by the core, with back-off, and then succeeds', async () => {
    fake.state.failNext({ code: 130429 }, 1);
    const time = fakeTime();
    const sent = await connectorFor(fake, {}, time).actions.sendTemplate(reminder);
    expect(sent.id).toMatch(/^wamid\./);
    expect(fake.calls).toHaveLength(2);
  });

  it('132000-series template errors are ValidationErrors, never retried', async () => {
    for (const code of [132000, 132001, 132012, 132015]) {
      fake.calls.length = 0;
      fake.state.failNext({ code });
      const error = await rejection(connectorFor(fake).actions.sendTemplate(reminder));
      expect(ValidationError.isInstance(error), String(code)).toBe(true);
      expect((error as ValidationError).code).toBe('template_error');
      expect(fake.calls).toHaveLength(1);
    }
    // The fake refuses a template that is not approved (132001), as Meta does.
    const error = await rejection(connectorFor(fake).actions.sendTemplate({ ...reminder, template: 'ramadan_offer' }));
    expect((error as ValidationError).vendorCode).toBe('132001');
  });

  it('190 is an AuthError `token_expired`', async () => {
    fake.state.failNext({ code: 190 });
    const error = await rejection(connectorFor(fake).actions.sendTemplate(reminder));
    expect(AuthError.isInstance(error)).toBe(true);
    expect((error as AuthError).code).toBe('token_expired');
  });

  it('never carries Meta’s error text (it may echo the message)', async () => {
    fake.state.failNext({ code: 131026 });
    const error = (await rejection(
      connectorFor(fake).actions.sendText({ ...text, text: 'نتيجة تحليل السكر: مرتفعة' }),
    )) as ApiError;
    const serialized = JSON.stringify(error.toJSON()) + error.message + String(error.stack);
    expect(serialized).not.toContain('fake error');
    expect(serialized).not.toContain('نتيجة');
  });
});
