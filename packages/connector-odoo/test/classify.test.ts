import { ApiError, AuthError, RateLimitError, ValidationError } from '@hmi/core';
import { describe, expect, it } from 'vitest';
import { classifyOdooError } from '../src/index.js';

const ctx = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  body,
  headers: new Headers(headers),
  method: 'POST' as const,
  operation: 'op',
  requestId: undefined,
});

describe('classifyOdooError', () => {
  it('reads the class from a JSON-2 body and from a JSON-RPC envelope sent with an error status', () => {
    expect(classifyOdooError(ctx(403, { name: 'odoo.exceptions.AccessError', message: 'x', debug: 'y' }))).toSatisfy(
      AuthError.isInstance,
    );
    const rpc = classifyOdooError(
      ctx(500, { jsonrpc: '2.0', error: { code: 200, data: { name: 'odoo.exceptions.MissingError' } } }),
    );
    expect(ApiError.isInstance(rpc) && rpc.code).toBe('not_found');
  });

  it('statuses without an Odoo body: 502–504 transient, 500 not, 429 notProcessed with Retry-After', () => {
    expect(classifyOdooError(ctx(502, '<html>bad gateway</html>'))).toMatchObject({ retryable: true, code: 'transient' });
    expect(classifyOdooError(ctx(500, 'oops'))).toMatchObject({ retryable: false });
    const limited = classifyOdooError(ctx(429, {}, { 'retry-after': '3' }));
    expect(RateLimitError.isInstance(limited) && limited.notProcessed && limited.retryAfterMs).toBe(3_000);
  });

  it('a serialization failure is transient and flagged notProcessed (Odoo rolled the transaction back)', () => {
    expect(classifyOdooError(ctx(500, { name: 'psycopg2.errors.SerializationFailure' }))).toMatchObject({
      retryable: true,
      notProcessed: true,
    });
  });

  it('never trusts a "name" that is not a Python class path, and never copies message or debug', () => {
    const error = classifyOdooError(ctx(422, { name: 'فاطمة +966555123456', message: 'فاطمة', debug: 'Traceback' }))!;
    expect(error.vendorCode).toBeUndefined();
    expect(JSON.stringify(error) + error.message).not.toMatch(/فاطمة|966555123456|Traceback/);
    expect(classifyOdooError(ctx(422, { name: 'odoo.exceptions.UserError' }))).toSatisfy(ValidationError.isInstance);
  });
});
