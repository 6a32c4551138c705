// Bad input gets a clear problem, never a 500: arbitrary JSON (and non-JSON) bodies, query strings
// and path segments against every documented operation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setup } from './helpers.js';

describe('arbitrary input', () => {
  it('never makes the gateway answer 5xx or echo a canary', async () => {
    const { gateway, call } = await setup({ limits: { rateLimit: { requests: 1_000_000 } } });
    const operations = gateway.routes.filter((r) => r.path !== '/v1/events');
    const canary = 'ZZCANARYZZ';
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations),
        fc.oneof(
          fc.json(),
          fc.string().map((s) => `${canary}${s}`),
          fc.jsonValue().map((v) => JSON.stringify({ v, [canary]: canary })),
        ),
        fc.string({ maxLength: 40 }),
        fc.option(fc.string({ maxLength: 40 })),
        async (op, body, segment, query) => {
          const path = op.path.replace('{id}', encodeURIComponent(segment || 'x'));
          const url = query === null ? path : `${path}?${encodeURIComponent(query)}=${canary}`;
          const res = await call(op.method, url, op.method === 'GET' ? {} : { raw: body });
          expect(res.status).toBeLessThan(500);
          expect(await res.text()).not.toContain(canary);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes any phone, name and email text in a lead without a 5xx or an echo', async () => {
    const { call } = await setup({ limits: { rateLimit: { requests: 1_000_000 } } });
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.option(fc.string({ minLength: 1, maxLength: 200 })),
        fc.option(fc.emailAddress()),
        async (phone, name, email) => {
          const res = await call('POST', '/v1/leads', {
            body: { phone: `ZZ${phone}`, ...(name && { name }), ...(email && { email }) },
          });
          expect([200, 201, 400]).toContain(res.status);
          expect(await res.text()).not.toContain(`ZZ${phone}`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
