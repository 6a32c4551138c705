import { createServer } from 'node:http';
import { type LoopbackListener, listenOnLoopback } from '@hmi/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { action, defineConnector, type HmiError, type HttpClient, isHmiError } from '@hmi/core';

let listener: LoopbackListener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

async function keepAliveServer(): Promise<{ url: string; open: () => Promise<number> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  server.keepAliveTimeout = 60_000;
  listener = await listenOnLoopback(server);
  return {
    url: listener.url,
    open: () =>
      new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count)))),
  };
}

async function until(check: () => Promise<boolean>, ms = 2_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

function twoClientConnector(onClose: (ctx: { a: HttpClient; b: HttpClient }) => void | Promise<void>) {
  return defineConnector({
    id: 'closable',
    name: 'Closable',
    category: 'other',
    version: '0.0.0',
    config: z.object({ baseUrl: z.string() }),
    setup: (config, runtime) => ({
      a: runtime.createHttpClient({ baseUrl: config.baseUrl, allowInsecureHttp: true }),
      b: runtime.createHttpClient({ baseUrl: config.baseUrl, allowInsecureHttp: true }),
    }),
    close: onClose,
    actions: {
      ping: action({
        input: z.object({}),
        output: z.object({ ok: z.boolean() }),
        idempotent: true,
        async run(_input, ctx: { a: HttpClient; b: HttpClient }) {
          await ctx.b.request({ path: '/b' });
          return ctx.a.request<{ ok: boolean }>({ path: '/a' });
        },
      }),
    },
  });
}

describe('ConnectorInstance.close()', () => {
  it('closes the keep-alive pools of every HTTP client the connector created, and calls the definition close once', async () => {
    const { url, open } = await keepAliveServer();
    let closed = 0;
    const instance = twoClientConnector(() => {
      closed++;
    }).create({ baseUrl: url });
    await expect(instance.actions.ping({})).resolves.toEqual({ ok: true });
    // Two clients, two pooled sockets kept alive.
    expect(await open()).toBe(2);
    await instance.close();
    expect(await until(async () => (await open()) === 0)).toBe(true);
    expect(closed).toBe(1);
    // Idempotent: the same promise, no second definition close.
    await instance.close();
    expect(closed).toBe(1);
  });

  it('a failing definition close rejects with an HmiError naming the operation, without leaking its message', async () => {
    const { url } = await keepAliveServer();
    const instance = twoClientConnector(() => {
      throw new Error('could not close pool for +966555123456');
    }).create({ baseUrl: url });
    const error = (await instance.close().catch((e: unknown) => e)) as HmiError;
    expect(isHmiError(error)).toBe(true);
    expect(error).toMatchObject({ connector: 'closable', operation: 'close' });
    expect(JSON.stringify(error.toJSON())).not.toContain('966555123456');
  });

  it('a connector without a close definition still closes', async () => {
    const { url } = await keepAliveServer();
    const Bare = defineConnector({
      id: 'bare',
      name: 'Bare',
      category: 'other',
      version: '0.0.0',
      config: z.object({ baseUrl: z.string() }),
      setup: (config, runtime) => runtime.createHttpClient({ baseUrl: config.baseUrl, allowInsecureHttp: true }),
      actions: {},
    });
    await expect(Bare.create({ baseUrl: url }).close()).resolves.toBeUndefined();
  });
});
