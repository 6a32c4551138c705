// The README's example, kept runnable: if this file changes, update the README too.
import { createHttpClient } from '@hmi/core';
import { createOpenApiValidator, createSpecCache, createTestServer, fault, findSpecsDir } from '@hmi/testing';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

const server = createTestServer({ baseUrl: 'https://api.sendgrid.test' });
const sendgrid = createOpenApiValidator(`${findSpecsDir()}/sendgrid/tsg_mail_v3.json`, { cache: createSpecCache() });
beforeAll(() => server.listen());
afterEach(() => server.reset());
afterAll(() => server.close());

it('retries a 503 burst with one idempotency key and sends what SendGrid accepts', async () => {
  server.on('POST', '/v3/mail/send', [fault.status(503, 2), { status: 202 }]);
  const client = createHttpClient({
    baseUrl: server.baseUrl,
    auth: { type: 'bearer', token: 'SG.test-key' },
    retry: { retries: 3, minDelayMs: 10, maxDelayMs: 50 },
  });

  await client.request({
    method: 'POST',
    path: '/v3/mail/send',
    idempotencyKey: 'reminder-42',
    json: {
      personalizations: [{ to: [{ email: 'patient@example.test', name: 'فاطمة الحربي' }] }],
      from: { email: 'clinic@hospital.example' },
      subject: 'تذكير بالموعد',
      content: [{ type: 'text/plain', value: 'موعدك غدا الساعة ١٠ صباحا' }],
    },
  });

  expect(server.calls).toHaveLength(3);
  expect(server.calls.map((c) => c.headers['idempotency-key'])).toEqual(['reminder-42', 'reminder-42', 'reminder-42']);
  for (const call of server.calls) sendgrid.assertValidRequest(call);
});
