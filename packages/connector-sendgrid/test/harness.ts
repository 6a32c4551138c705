import type { ConsentOptions, Telemetry } from '@hmi/core';
import { createTelemetry } from '@hmi/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createSendGridHandlers, type SendGridMock } from '../src/msw/index.js';
import { createSendGridConnector, type SendGridConfigInput } from '../src/index.js';

/** A canary API key: it must never show up in telemetry or errors. */
export const API_KEY = 'SG.canary-key-9f8e7d.DO-NOT-LEAK-1b2c3d4e5f';
/** A canary patient: Arabic name and address. */
export const PATIENT_NAME = 'فاطمة الزهراء القحطاني';
export const PATIENT_EMAIL = 'fatima.canary.7731@patients.example';

/** An MSW server that lives for the test file; handlers are installed per test. */
export function useMsw() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** Installs a fresh fake SendGrid and returns a connector wired to it. */
export function fakeSendGrid(
  server: ReturnType<typeof setupServer>,
  config: Partial<SendGridConfigInput> & { consent?: ConsentOptions } = {},
  fetch?: typeof globalThis.fetch,
): { mock: SendGridMock; sendgrid: ReturnType<typeof createSendGridConnector>; telemetry: Telemetry; seen: unknown[] } {
  const mock = createSendGridHandlers({ apiKey: API_KEY });
  server.use(...mock.handlers);
  const telemetry = createTelemetry();
  const seen: unknown[] = [];
  telemetry.onAny((name, payload) => seen.push({ name, payload }));
  const sendgrid = createSendGridConnector(
    { apiKey: API_KEY, from: { email: 'noreply@hospital.example', name: 'مستشفى المثال' }, ...config },
    { telemetry, ...(fetch && { fetch }) },
  );
  return { mock, sendgrid, telemetry, seen };
}
