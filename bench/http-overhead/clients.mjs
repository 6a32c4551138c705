// The clients the HTTP overhead benchmark compares. Each factory gets the loopback base URL and
// returns a function that performs one GET and parses the JSON body, as an API connector would.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const TOKEN = 'sk_test_bench_0123456789';
const PATH = '/v1/payment_intents/pi_123';
const coreDir = new URL('../../packages/core/', import.meta.url);
// ky is a dependency of @hmi/core; resolve it from there rather than adding a root copy.
const requireFromCore = createRequire(new URL('package.json', coreDir));

export const clients = {
  /** @hmi/core's client: bearer auth, default retry policy, telemetry bus with no listener. */
  async hmi(baseUrl) {
    const { createHttpClient } = await import(new URL('dist/index.js', coreDir).href);
    const client = createHttpClient({
      baseUrl,
      allowInsecureHttp: true,
      auth: { type: 'bearer', token: TOKEN },
      timeoutMs: 10_000,
    });
    return () => client.request({ path: PATH });
  },
  /** undici.request with its global keep-alive dispatcher: the floor. */
  async 'undici.request'(baseUrl) {
    const { request } = await import('undici');
    const url = baseUrl + PATH;
    const headers = { authorization: `Bearer ${TOKEN}`, accept: 'application/json' };
    return async () => {
      const { body } = await request(url, { headers });
      return body.json();
    };
  },
  /** Node's global fetch (the undici bundled with Node). */
  async fetch(baseUrl) {
    const url = baseUrl + PATH;
    const headers = { authorization: `Bearer ${TOKEN}`, accept: 'application/json' };
    return async () => (await fetch(url, { headers })).json();
  },
  /** ky over the global fetch, its retry off. */
  async ky(baseUrl) {
    const { default: ky } = await import(pathToFileURL(requireFromCore.resolve('ky')).href);
    const api = ky.create({ prefixUrl: baseUrl, retry: 0, headers: { authorization: `Bearer ${TOKEN}` } });
    return () => api.get(PATH.slice(1)).json();
  },
  /** The official Stripe SDK retrieving a PaymentIntent (only when stripe is installed at the root). */
  async 'stripe SDK'(baseUrl) {
    const { default: Stripe } = await import('stripe');
    const { hostname, port } = new URL(baseUrl);
    const stripe = new Stripe(TOKEN, {
      host: hostname,
      port: Number(port),
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
    });
    return () => stripe.paymentIntents.retrieve('pi_123');
  },
};

/** Reference only (not in the default table): node:http with a keep-alive Agent, no library. */
export const references = {
  async 'node:http'(baseUrl) {
    const http = await import('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
    const url = new URL(PATH, baseUrl);
    return () =>
      new Promise((resolve, reject) => {
        http
          .get(url, { agent, headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/json' } }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
            res.on('error', reject);
          })
          .on('error', reject);
      });
  },
};
