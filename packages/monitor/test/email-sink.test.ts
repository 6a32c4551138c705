import { ConfigError } from '@hmi/core';
import { createSendGridConnector } from '@hmi/connector-sendgrid';
import { createSendGridHandlers } from '@hmi/connector-sendgrid/msw';
import { type Alert, emailSink } from '@hmi/monitor';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const API_KEY = 'SG.monitor-canary-key.DO-NOT-LEAK-77aa';

const alert: Alert = {
  id: 'dlq-depth:total',
  ruleId: 'dlq-depth',
  rule: 'dlq-depth',
  key: 'total',
  severity: 'critical',
  status: 'firing',
  summary: '[critical] dlq-depth: dead-letter queue holds 12 items, threshold 10',
  value: 12,
  threshold: 10,
  startedAt: Date.UTC(2025, 0, 1),
  at: Date.UTC(2025, 0, 1),
};

describe('emailSink through the SendGrid connector', () => {
  it('sends a transactional email to the on-call addresses (through the SendGrid fake)', async () => {
    const mock = createSendGridHandlers({ apiKey: API_KEY });
    server.use(...mock.handlers);
    const sendgrid = createSendGridConnector({ apiKey: API_KEY, from: { email: 'alerts@hospital.example' } });
    const sink = emailSink({ sendgrid, to: ['oncall@hospital.example', 'it@hospital.example'] });
    await sink.send(alert, {});
    expect(mock.sent).toHaveLength(1);
    const body = mock.sent[0]!.body as unknown as {
      subject?: string;
      personalizations: Array<{ to: Array<{ email: string }>; custom_args?: Record<string, string> }>;
      content: Array<{ type: string; value: string }>;
    };
    expect(body.personalizations.map((p) => p.to[0]!.email)).toEqual(['oncall@hospital.example', 'it@hospital.example']);
    expect(body.personalizations[0]!.custom_args?.hmi_purpose).toBe('transactional');
    expect(body.subject).toBe('[hmi] CRITICAL: dlq-depth total');
    expect(body.content[0]!.value).toContain(alert.summary);
    expect(body.content[0]!.value).toContain('threshold: 10');
  });

  it('skips alerts the filter rejects, and needs addresses and a connector', async () => {
    let calls = 0;
    const sendgrid = { actions: { sendEmail: async () => void calls++ } };
    const sink = emailSink({ sendgrid, to: 'oncall@hospital.example', filter: (a) => a.severity === 'critical' });
    await sink.send({ ...alert, severity: 'warning' }, {});
    expect(calls).toBe(0);
    await sink.send(alert, {});
    expect(calls).toBe(1);
    expect(() => emailSink({ sendgrid, to: [] })).toThrow(ConfigError);
    expect(() => emailSink({ sendgrid: {} as never, to: 'a@b.example' })).toThrow(ConfigError);
  });
});
