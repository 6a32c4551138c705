import { AuthError, RateLimitError, ValidationError, isHmiError } from '@hmi/core';
import { afterEach, describe, expect, it } from 'vitest';
import { STRIPE_API_VERSION, StripeApiError, createStripeConnector } from '@hmi/connector-stripe';
import { paymentIntentFixture, stripeErrorBody } from '@hmi/connector-stripe/msw';
import { type LoopbackReply as Reply, type LoopbackServer, startLoopbackServer as startLoopback } from '@hmi/testing';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connectorFor(replies: Reply[], maxRetries = 2) {
  server = await startLoopback(replies);
  return createStripeConnector({ apiKey: 'sk_test_http', baseUrl: server.url, allowInsecureHttp: true, maxRetries });
}

const ok = (body: unknown = paymentIntentFixture()): Reply => ({
  status: 200,
  body: JSON.stringify(body),
  headers: { 'request-id': 'req_ok' },
});
const err = (status: number, error: Parameters<typeof stripeErrorBody>[0], headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(stripeErrorBody(error)),
  headers: { 'request-id': 'req_failed_1', ...headers },
});
const params = { amount: 15050, currency: 'sar' };

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isHmiError(error)).toBe(true);
  return error as StripeApiError;
}

describe('headers and idempotency', () => {
  it('bearer auth, pinned Stripe-Version, form content type, POST to /v1/payment_intents', async () => {
    const stripe = await connectorFor([ok()]);
    await stripe.actions.createPaymentIntent(params);
    const [req] = server!.seen;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/v1/payment_intents');
    expect(req!.headers.authorization).toBe('Bearer sk_test_http');
    expect(req!.headers['stripe-version']).toBe(STRIPE_API_VERSION);
    expect(req!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req!.body).toBe('amount=15050&currency=sar');
  });

  it('apiVersion in config overrides the pinned version', async () => {
    server = await startLoopback([ok()]);
    const stripe = createStripeConnector({
      apiKey: 'sk_test_x',
      baseUrl: server.url,
      allowInsecureHttp: true,
      apiVersion: '2024-06-20',
    });
    await stripe.actions.retrievePaymentIntent('pi_123');
    expect(server.seen[0]!.headers['stripe-version']).toBe('2024-06-20');
  });

  it('every POST has an Idempotency-Key, generated when none is given, different per call', async () => {
    const stripe = await connectorFor([ok()]);
    await stripe.actions.createPaymentIntent(params);
    await stripe.actions.createPaymentIntent(params);
    await stripe.actions.cancelPaymentIntent({ id: 'pi_1' });
    const keys = server!.seen.map((r) => r.headers['idempotency-key']);
    expect(keys.every((k) => typeof k === 'string' && k.length >= 16)).toBe(true);
    expect(new Set(keys).size).toBe(3);
  });

  it('500 then 200: two attempts with the same generated key, one result', async () => {
    const stripe = await connectorFor([err(500, { type: 'api_error' }), ok()]);
    const pi = await stripe.actions.createPaymentIntent(params);
    expect(pi.object).toBe('payment_intent');
    expect(server!.seen).toHaveLength(2);
    const [first, second] = server!.seen.map((r) => r.headers['idempotency-key']);
    expect(first).toBeTruthy();
    expect(second).toBe(first);
    expect(server!.seen[1]!.body).toBe(server!.seen[0]!.body);
  });

  it("the caller's idempotencyKey is sent on every attempt", async () => {
    const stripe = await connectorFor([err(503, { type: 'api_error' }), err(502, { type: 'api_error' }), ok()]);
    await stripe.actions.createPaymentIntent(params, { idempotencyKey: 'order-42-attempt' });
    expect(server!.seen.map((r) => r.headers['idempotency-key'])).toEqual([
      'order-42-attempt',
      'order-42-attempt',
      'order-42-attempt',
    ]);
  });

  it('an idempotency key Stripe would refuse (too long, spaces) is a ValidationError before any request', async () => {
    const stripe = await connectorFor([ok()]);
    await expect(stripe.actions.createPaymentIntent(params, { idempotencyKey: 'x'.repeat(256) })).rejects.toSatisfy(
      ValidationError.isInstance,
    );
    await expect(stripe.actions.createPaymentIntent(params, { idempotencyKey: 'has space' })).rejects.toSatisfy(
      ValidationError.isInstance,
    );
    expect(server!.seen).toHaveLength(0);
  });

  it('GETs carry no idempotency key and encode queries like the SDK', async () => {
    const stripe = await connectorFor([ok()]);
    await stripe.actions.retrievePaymentIntent({ id: 'pi_abc', expand: ['latest_charge'] });
    expect(server!.seen[0]!.url).toBe('/v1/payment_intents/pi_abc?expand[0]=latest_charge');
    expect(server!.seen[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('ids that are not Stripe ids never reach the URL', async () => {
    const stripe = await connectorFor([ok()]);
    await expect(stripe.actions.retrievePaymentIntent('pi_../../v1/customers')).rejects.toSatisfy(ValidationError.isInstance);
    await expect(stripe.actions.cancelPaymentIntent({ id: 'cus_123' })).rejects.toSatisfy(ValidationError.isInstance);
    expect(server!.seen).toHaveLength(0);
  });
});

describe('Stripe errors', () => {
  it('card_error (402): not retried, decline code kept as vendorCode, request id kept, message not copied', async () => {
    const stripe = await connectorFor([
      err(402, {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Card 4000 0000 0000 9995 declined',
      }),
      ok(),
    ]);
    const error = await failure(stripe.actions.createPaymentIntent(params));
    expect(server!.seen).toHaveLength(1);
    expect(StripeApiError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(error.code).toBe('card_error');
    expect(error.vendorCode).toBe('insufficient_funds');
    expect(error.stripeCode).toBe('card_declined');
    expect(error.declineCode).toBe('insufficient_funds');
    expect(error.requestId).toBe('req_failed_1');
    expect(error.status).toBe(402);
    expect(JSON.stringify(error.toJSON()) + error.message + String(error.stack)).not.toContain('4000');
  });

  it('rate_limit_error (429) → RateLimitError, retried after Retry-After, same key', async () => {
    const stripe = await connectorFor([err(429, { type: 'rate_limit_error' }, { 'retry-after': '0' }), ok()]);
    await stripe.actions.createPaymentIntent(params);
    expect(server!.seen).toHaveLength(2);
    expect(server!.seen[1]!.headers['idempotency-key']).toBe(server!.seen[0]!.headers['idempotency-key']);
    const limited = await connectorFor([err(429, { type: 'invalid_request_error', code: 'rate_limit' })], 0);
    const error = await failure(limited.actions.createPaymentIntent(params));
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error.requestId).toBe('req_failed_1');
    expect(error.vendorCode).toBe('rate_limit');
  });

  it('api_error and 5xx are retried until the retries run out', async () => {
    const stripe = await connectorFor([err(500, { type: 'api_error' })], 2);
    const error = await failure(stripe.actions.createPaymentIntent(params));
    expect(server!.seen).toHaveLength(3);
    expect(error.retryable).toBe(true);
    expect(error.requestId).toBe('req_failed_1');
  });

  it('Stripe-Should-Retry: false stops a 500 from being retried; true makes a 400 retried', async () => {
    const no = await connectorFor([err(500, { type: 'api_error' }, { 'stripe-should-retry': 'false' }), ok()]);
    const error = await failure(no.actions.createPaymentIntent(params));
    expect(error.retryable).toBe(false);
    expect(server!.seen).toHaveLength(1);
    const yes = await connectorFor([
      err(400, { type: 'invalid_request_error', code: 'lock_timeout' }, { 'stripe-should-retry': 'true' }),
      ok(),
    ]);
    await expect(yes.actions.createPaymentIntent(params)).resolves.toMatchObject({ object: 'payment_intent' });
    expect(server!.seen).toHaveLength(2);
  });

  it('Stripe-Should-Retry: false wins over a 429', async () => {
    const stripe = await connectorFor([err(429, { type: 'rate_limit_error' }, { 'stripe-should-retry': 'false' }), ok()]);
    const error = await failure(stripe.actions.createPaymentIntent(params));
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(server!.seen).toHaveLength(1);
  });

  it('idempotency_error is not retried', async () => {
    const stripe = await connectorFor([err(400, { type: 'idempotency_error' }), ok()]);
    const error = await failure(stripe.actions.createPaymentIntent(params, { idempotencyKey: 'reused-key' }));
    expect(error.code).toBe('idempotency_error');
    expect(error.retryable).toBe(false);
    expect(server!.seen).toHaveLength(1);
  });

  it('409 (a concurrent request with the same key still in flight) is retried with the same key', async () => {
    const stripe = await connectorFor([err(409, { type: 'invalid_request_error', code: 'idempotency_key_in_use' }), ok()]);
    await expect(stripe.actions.createPaymentIntent(params)).resolves.toMatchObject({ object: 'payment_intent' });
    expect(server!.seen).toHaveLength(2);
    expect(server!.seen[1]!.headers['idempotency-key']).toBe(server!.seen[0]!.headers['idempotency-key']);
  });

  it('authentication_error → AuthError; permission_error → AuthError; never retried', async () => {
    const stripe = await connectorFor([err(401, { type: 'authentication_error' }), ok()]);
    const error = await failure(stripe.actions.createPaymentIntent(params));
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error.requestId).toBe('req_failed_1');
    expect(server!.seen).toHaveLength(1);
    const denied = await connectorFor([err(403, { type: 'permission_error' })]);
    expect(AuthError.isInstance(await failure(denied.actions.retrievePaymentIntent('pi_1')))).toBe(true);
  });

  it('invalid_request_error: not retried, the param name kept, never its value', async () => {
    const stripe = await connectorFor([
      err(400, {
        type: 'invalid_request_error',
        code: 'parameter_invalid_integer',
        param: 'amount',
        message: 'Invalid integer: فاطمة',
      }),
    ]);
    const error = await failure(stripe.actions.createPaymentIntent(params));
    expect(error.param).toBe('amount');
    expect(error.vendorCode).toBe('parameter_invalid_integer');
    expect(error.retryable).toBe(false);
    expect(JSON.stringify(error) + error.message).not.toContain('فاطمة');
    const odd = await connectorFor([err(400, { type: 'invalid_request_error', param: 'metadata[فاطمة الحربي]' })]);
    expect((await failure(odd.actions.createPaymentIntent(params))).param).toBeUndefined();
  });

  it('a 404 resource_missing on retrieve keeps code and request id', async () => {
    const stripe = await connectorFor([err(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'intent' })]);
    const error = await failure(stripe.actions.retrievePaymentIntent('pi_missing'));
    expect(error.status).toBe(404);
    expect(error.vendorCode).toBe('resource_missing');
    expect(error.requestId).toBe('req_failed_1');
    expect(error.operation).toBe('retrievePaymentIntent');
    expect(error.connector).toBe('stripe');
  });

  it('a non-JSON 502 from a proxy is retried and ends as a typed error with the request id', async () => {
    const stripe = await connectorFor(
      [{ status: 502, body: '<html>bad gateway</html>', headers: { 'request-id': 'req_proxy' } }],
      1,
    );
    const error = await failure(stripe.actions.createPaymentIntent(params));
    expect(error.retryable).toBe(true);
    expect(error.requestId).toBe('req_proxy');
    expect(server!.seen).toHaveLength(2);
  });

  it('a 200 whose body is not a PaymentIntent is a ValidationError (invalid_response), not a crash', async () => {
    const stripe = await connectorFor([
      { status: 200, body: JSON.stringify({ object: 'payment_intent', id: 5 }), headers: { 'request-id': 'req_bad' } },
    ]);
    const error = await failure(stripe.actions.createPaymentIntent(params));
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(error.code).toBe('invalid_response');
    expect(error.requestId).toBe('req_bad');
  });
});

describe('issue 11 #8: a write that succeeded is not reported as failed for a field nobody reads', () => {
  it('a created PaymentIntent without canceled_at, cancellation_reason, capture_method or livemode is returned', async () => {
    const {
      canceled_at: _a,
      cancellation_reason: _b,
      capture_method: _c,
      livemode: _d,
      amount_received: _e,
      ...trimmed
    } = paymentIntentFixture({ id: 'pi_trimmed' });
    const stripe = await connectorFor([ok(trimmed)]);
    const pi = await stripe.actions.createPaymentIntent(params, { idempotencyKey: 'k-trim' });
    expect(pi).toMatchObject({ id: 'pi_trimmed', status: 'requires_payment_method' });
    expect(server!.seen).toHaveLength(1);
  });

  it('a response missing what the connector does read (the status) is still a ValidationError', async () => {
    const { status: _s, ...broken } = paymentIntentFixture();
    const stripe = await connectorFor([ok(broken)], 0);
    const error = await failure(stripe.actions.createPaymentIntent(params, { idempotencyKey: 'k-broken' }));
    expect(ValidationError.isInstance(error)).toBe(true);
  });
});
