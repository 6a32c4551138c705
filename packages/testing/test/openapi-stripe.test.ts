import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '@hmi/core';
import { createOpenApiValidator, createSpecCache, createTestServer, SpecValidationError } from '@hmi/testing';
import { spec } from './helpers/specs.js';

// OpenAPI 3.0, 4 MB of YAML, form-encoded bodies with bracket notation.
const cache = createSpecCache();
const stripe = createOpenApiValidator(spec('stripe/spec3.2023-08-16.yaml'), { cache });
const auth = { authorization: 'Bearer sk_test_canary', 'content-type': 'application/x-www-form-urlencoded' };
const createPaymentIntent = (body: string) =>
  stripe.validateRequest({ method: 'POST', url: 'https://api.stripe.com/v1/payment_intents', headers: auth, body });

describe('OpenAPI 3.0: Stripe requests (form bodies, bracket notation)', () => {
  it('a valid PaymentIntent create with metadata[key] and payment_method_types[0] passes', () => {
    const result = createPaymentIntent(
      'amount=2000&currency=sar&payment_method_types[0]=card&payment_method_types[1]=mada&metadata[order]=42&metadata[ward]=%D8%A8',
    );
    expect(result.errors).toEqual([]);
    expect(result.operation).toMatchObject({ method: 'POST', path: '/v1/payment_intents', operationId: 'PostPaymentIntents' });
  });

  it('a missing required field fails, naming it', () => {
    const result = createPaymentIntent('amount=2000');
    expect(result.valid).toBe(false);
    expect(result.errors).toContainEqual({ path: 'body.currency', message: 'is required' });
  });

  it('a wrong type fails (amount must be an integer)', () => {
    expect(createPaymentIntent('amount=twenty&currency=sar').errors).toContainEqual({
      path: 'body.amount',
      message: 'must be integer',
    });
  });

  it('an unknown enum value fails and lists the allowed ones', () => {
    expect(createPaymentIntent('amount=1&currency=sar&capture_method=sometimes').errors).toContainEqual({
      path: 'body.capture_method',
      message: 'must be one of "automatic", "automatic_async", "manual"',
    });
  });

  it('an unknown top-level parameter fails (Stripe rejects unknown parameters)', () => {
    expect(createPaymentIntent('amount=1&currency=sar&amount_cents=1').errors).toContainEqual({
      path: 'body.amount_cents',
      message: 'is not allowed here (unknown property)',
    });
  });

  it('metadata sent as a scalar fails: it must be a map (or "" to unset)', () => {
    const result = createPaymentIntent('amount=1&currency=sar&metadata=5');
    expect(result.errors.map((e) => e.path)).toEqual(['body.metadata']);
  });

  it('accepts a body already parsed into an object, or as URLSearchParams', () => {
    const parsed = { amount: '2000', currency: 'sar', metadata: { order: '42' } };
    expect(stripe.validateRequest({ method: 'POST', url: '/v1/payment_intents', headers: auth, body: parsed }).valid).toBe(true);
    const flat = { amount: '2000', currency: 'sar', 'metadata[order]': '42' };
    expect(stripe.validateRequest({ method: 'POST', url: '/v1/payment_intents', headers: auth, body: flat }).valid).toBe(true);
    const params = new URLSearchParams({ amount: '2000', currency: 'sar' });
    expect(stripe.validateRequest({ method: 'POST', url: '/v1/payment_intents', headers: auth, body: params }).valid).toBe(true);
  });

  it('query parameters: deepObject ranges, expand[] and limit are checked, unknown ones refused', () => {
    const get = (query: string) => stripe.validateRequest({ method: 'GET', url: `/v1/customers?${query}`, headers: auth });
    expect(get('limit=3&created[gt]=1690000000&expand[]=data.default_source').errors).toEqual([]);
    expect(get('limit=lots').errors).toContainEqual({ path: 'query.limit', message: 'must be integer' });
    expect(get('limt=3').errors).toContainEqual({ path: 'query.limt', message: 'is not a parameter of this operation' });
  });

  it('templated paths: the literal /v1/customers/search wins over /v1/customers/{customer}', () => {
    expect(stripe.findOperation('GET', '/v1/customers/search?query=x')?.operationId).toBe('GetCustomersSearch');
    expect(stripe.findOperation('GET', '/v1/customers/cus_123')).toMatchObject({
      path: '/v1/customers/{customer}',
      params: { customer: 'cus_123' },
    });
  });

  it('an unknown path or method is an issue, not a crash', () => {
    expect(stripe.validateRequest({ method: 'POST', url: '/v1/teleport', headers: auth }).errors[0]!.path).toBe('url');
    const wrongMethod = stripe.validateRequest({ method: 'PUT', url: '/v1/payment_intents', headers: auth });
    expect(wrongMethod.errors[0]).toMatchObject({ path: 'method', message: expect.stringMatching(/documented: GET, POST/) });
  });

  it('a request without credentials fails the security requirement', () => {
    const result = stripe.validateRequest({ method: 'GET', url: '/v1/customers', headers: {} });
    expect(result.errors).toContainEqual({
      path: 'header.authorization',
      message: expect.stringMatching(/basicAuth \| bearerAuth/),
    });
  });

  it('assertValidRequest throws a readable SpecValidationError', () => {
    expect(() =>
      stripe.assertValidRequest({ method: 'POST', url: '/v1/payment_intents', headers: auth, body: 'amount=x' }),
    ).toThrowError(SpecValidationError);
    try {
      stripe.assertValidRequest({ method: 'POST', url: '/v1/payment_intents', headers: auth, body: 'amount=x' });
    } catch (error) {
      expect((error as Error).message).toMatch(/^request POST \/v1\/payment_intents does not match Stripe API/);
      expect((error as Error).message).toMatch(/- body\.currency: is required/);
    }
  });
});

describe('OpenAPI 3.0: Stripe responses', () => {
  const fixtures = JSON.parse(readFileSync(spec('stripe/fixtures3.json'), 'utf8')).resources;
  const respond = (body: unknown, status = 200) =>
    stripe.validateResponse({
      method: 'POST',
      url: '/v1/refunds',
      status,
      headers: { 'content-type': 'application/json' },
      body,
    });

  it("Stripe's own refund fixture validates (nullable fields included)", () => {
    expect(respond(fixtures.refund).errors).toEqual([]);
  });

  it('a refund with a missing field, a wrong enum or a wrong type fails (JSON is not coerced)', () => {
    const { amount: _amount, ...noAmount } = fixtures.refund;
    expect(respond(noAmount).errors).toContainEqual({ path: 'body.amount', message: 'is required' });
    expect(respond({ ...fixtures.refund, object: 'charge' }).errors).toContainEqual({
      path: 'body.object',
      message: 'must be one of "refund"',
    });
    expect(respond({ ...fixtures.refund, amount: '100' }).errors).toContainEqual({
      path: 'body.amount',
      message: 'must be integer',
    });
  });

  it('errors are checked against the documented default error schema', () => {
    expect(respond({ error: { type: 'card_error', code: 'card_declined', message: 'declined' } }, 402).valid).toBe(true);
    expect(respond({ error: { type: 'meteor_error' } }, 402).errors[0]!.path).toBe('body.error.type');
  });
});

describe('Stripe: requests captured by the test server, sent by the core HTTP client', () => {
  const server = createTestServer({ baseUrl: 'https://api.stripe.test' });
  beforeAll(() => server.listen());
  afterEach(() => server.reset());
  afterAll(() => server.close());

  it('createHttpClient form bodies with bracket keys validate as captured', async () => {
    server.on('POST', '/v1/payment_intents', { json: { id: 'pi_1', object: 'payment_intent' } });
    const client = createHttpClient({ baseUrl: server.baseUrl, auth: { type: 'bearer', token: 'sk_test_canary' } });
    await client.request({
      method: 'POST',
      path: '/v1/payment_intents',
      form: { amount: 2000, currency: 'sar', 'payment_method_types[0]': 'card', 'metadata[order]': '42' },
    });
    const [call] = server.calls;
    expect(stripe.validateRequest(call!).errors).toEqual([]);
    expect(stripe.validateResponse({ ...call!, status: 200, body: call!.response!.body }).valid).toBe(false);
  });
});
