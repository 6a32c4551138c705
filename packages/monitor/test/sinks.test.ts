import { ConfigError, createTelemetry } from '@hmi/core';
import { type Alert, logSink, webhookSink } from '@hmi/monitor';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackServer } from '@hmi/testing';

const alert: Alert = {
  id: 'consecutive-failures:ehr-patients',
  ruleId: 'consecutive-failures',
  rule: 'consecutive-failures',
  key: 'ehr-patients',
  severity: 'warning',
  status: 'firing',
  summary: '[warning] consecutive-failures: ehr-patients: 3 consecutive failures, threshold 3',
  value: 3,
  threshold: 3,
  errorCode: 'network_error',
  startedAt: 1_735_689_600_000,
  at: 1_735_689_600_000,
};

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('webhookSink', () => {
  it('POSTs the alert as JSON to the URL path, with an idempotency key', async () => {
    const server = await startLoopbackServer([{ status: 204 }]);
    closers.push(server.close);
    const sink = webhookSink({ url: `${server.url}/hooks/hmi?team=ops`, allowInsecureHttp: true });
    await sink.send(alert, {});
    expect(server.seen).toHaveLength(1);
    const [req] = server.seen;
    expect(req).toMatchObject({ method: 'POST', url: '/hooks/hmi?team=ops' });
    expect(req!.headers['content-type']).toContain('application/json');
    expect(req!.headers['idempotency-key']).toBe('consecutive-failures:ehr-patients:firing:1735689600000:1735689600000');
    expect(JSON.parse(req!.body)).toEqual(alert);
  });

  it('retries a 503 with the same idempotency key, and keeps its auth header out of telemetry', async () => {
    const server = await startLoopbackServer([{ status: 503 }, { status: 200 }]);
    closers.push(server.close);
    const telemetry = createTelemetry();
    const events: string[] = [];
    telemetry.onAny((name, payload) => events.push(`${name} ${JSON.stringify(payload)}`));
    const token = 'Bearer alert-hook-token-5f1e9c';
    const sink = webhookSink({
      url: `${server.url}/hook`,
      allowInsecureHttp: true,
      headers: { authorization: token },
      telemetry,
      http: { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 } },
      format: (a) => ({ text: a.summary }),
    });
    await sink.send(alert, {});
    expect(server.seen.map((s) => s.headers['idempotency-key'])).toEqual([
      server.seen[0]!.headers['idempotency-key'],
      server.seen[0]!.headers['idempotency-key'],
    ]);
    expect(server.seen[1]!.headers.authorization).toBe(token);
    expect(JSON.parse(server.seen[1]!.body)).toEqual({ text: alert.summary });
    expect(events.some((e) => e.startsWith('retry'))).toBe(true);
    expect(events.join('\n')).not.toContain('alert-hook-token');
  });

  it('a refused delivery rejects with a typed error (the manager reports it)', async () => {
    const server = await startLoopbackServer([{ status: 400 }]);
    closers.push(server.close);
    const sink = webhookSink({ url: `${server.url}/hook`, allowInsecureHttp: true });
    await expect(sink.send(alert, {})).rejects.toMatchObject({ name: 'ApiError', status: 400 });
  });

  it('refuses a bad URL and plain http without allowInsecureHttp', () => {
    expect(() => webhookSink({ url: 'not a url' })).toThrow(ConfigError);
    expect(() => webhookSink({ url: 'http://example.org/hook' })).toThrow();
  });
});

describe('logSink', () => {
  it('writes one line per alert to the logger, with the alert object', async () => {
    const lines: Array<[string, Alert]> = [];
    const sink = logSink((line, a) => lines.push([line, a]));
    await sink.send(alert, {});
    await sink.send({ ...alert, status: 'resolved', resolvedAt: alert.at + 1000, at: alert.at + 1000 }, {});
    expect(lines.map(([l]) => l)).toEqual([
      `2025-01-01T00:00:00.000Z alert firing: ${alert.summary}`,
      `2025-01-01T00:00:01.000Z alert resolved: ${alert.summary}`,
    ]);
    expect(lines[0]![1]).toBe(alert);
  });
});
