// Stripe webhook verify + parse of a ~2 KB event: @hmi/connector-stripe's verifyStripeWebhook
// against the official SDK's stripe.webhooks.constructEvent, same payload, header and secret.
// Interleaved rounds (peer, hmi, hmi, peer, …) so that load from the rest of the machine falls on
// both alike; the rate is per CPU-second of this process (process.cpuUsage), not wall time.
//
// Alone: `node --conditions=@hmi/source --import tsx bench/stripe/webhook.ts [--webhook-rounds=6] [--webhook-ms=200]`.
// `pnpm bench stripe` runs it first, then the rest of bench/stripe.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import Stripe from 'stripe';
import { mapStripeEvent, verifyStripeWebhook } from '../../packages/connector-stripe/src/index.js';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);

/** A `payment_intent.succeeded` event as Stripe sends it (pretty-printed, API 2025), ~2 KB. */
export function samplePaymentIntentEvent(): string {
  const created = 1_767_225_600;
  const event = {
    id: 'evt_3QxYzAbCdEfGhIjK0aBcDeFg',
    object: 'event',
    api_version: '2025-10-29.clover',
    created,
    data: {
      object: {
        id: 'pi_3QxYzAbCdEfGhIjK0aBcDeFg',
        object: 'payment_intent',
        amount: 15_050,
        amount_capturable: 0,
        amount_details: { tip: {} },
        amount_received: 15_050,
        application: null,
        application_fee_amount: null,
        automatic_payment_methods: null,
        canceled_at: null,
        cancellation_reason: null,
        capture_method: 'automatic_async',
        client_secret: 'pi_3QxYzAbCdEfGhIjK0aBcDeFg_secret_k1Lm2Nn3Oo4Pp5Qq6Rr7Ss8Tt',
        confirmation_method: 'automatic',
        created,
        currency: 'sar',
        customer: 'cus_RaBcDeFgHiJkLm',
        description: 'استشارة طبية — عيادة القلب',
        last_payment_error: null,
        latest_charge: 'ch_3QxYzAbCdEfGhIjK0aBcDeFg',
        livemode: false,
        metadata: { hmi_contact_id: 'contact-42', visit: 'v-9', hmi_invoice_id: 'inv-2026-0007' },
        next_action: null,
        on_behalf_of: null,
        payment_method: 'pm_1QxYzAbCdEfGhIjKlMnOpQrS',
        payment_method_configuration_details: null,
        payment_method_options: {
          card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
        },
        payment_method_types: ['card'],
        processing: null,
        receipt_email: 'patient@example.sa',
        review: null,
        setup_future_usage: null,
        shipping: null,
        source: null,
        statement_descriptor: null,
        statement_descriptor_suffix: null,
        status: 'succeeded',
        transfer_data: null,
        transfer_group: null,
      },
    },
    livemode: false,
    pending_webhooks: 2,
    request: { id: 'req_AbCdEfGhIjKlMn', idempotency_key: '8a0d6d1e-6a4f-4b43-9f0e-3c1d2b7a9e55' },
    type: 'payment_intent.succeeded',
  };
  return JSON.stringify(event, null, 2);
}

/** Calls per CPU-second of each function, interleaved over `rounds` rounds of ~`ms` CPU-ms each. */
export function interleaved(fns: Array<() => void>, rounds: number, ms: number): number[] {
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const calls = fns.map(() => 0);
  const spent = fns.map(() => 0);
  for (const fn of fns) for (let i = 0; i < 2000; i++) fn(); // warm-up: let both reach optimised code
  for (let round = 0; round < rounds; round++) {
    // Alternate the order each round: neither side always runs right after a GC of the other's garbage.
    const order = round % 2 === 0 ? fns.map((_, i) => i) : fns.map((_, i) => fns.length - 1 - i);
    for (const i of order) {
      const fn = fns[i]!;
      const started = cpu();
      let n = 0;
      do {
        for (let k = 0; k < 200; k++) fn();
        n += 200;
      } while (cpu() - started < ms);
      calls[i]! += n;
      spent[i]! += cpu() - started;
    }
  }
  return calls.map((n, i) => (n / spent[i]!) * 1000);
}

/** Runs the webhook rows and returns them as markdown table rows (measure, peer, hmi, ratio). */
export function webhookRows(rounds = arg('webhook-rounds', 6), ms = arg('webhook-ms', 200)): string[][] {
  const sdk = new Stripe('sk_test_bench');
  const secret = 'whsec_bench_0123456789abcdefghijklmnopqrstuv';
  const text = samplePaymentIntentEvent();
  const bytes = Buffer.from(text, 'utf8');
  const nowMs = Date.now();
  const header = sdk.webhooks.generateTestHeaderString({ payload: text, secret, timestamp: Math.floor(nowMs / 1000) });
  // Both sides must accept the payload and agree on it, or the figures compare nothing.
  const a = sdk.webhooks.constructEvent(text, header, secret, 300, undefined, nowMs);
  const b = verifyStripeWebhook({ payload: text, signature: header, secret, now: nowMs });
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('the SDK and hmi disagree on the event');

  const rows: string[][] = [];
  const row = (measure: string, [peer = 0, hmi = 0]: number[]) =>
    rows.push([
      measure,
      `${Math.round(peer).toLocaleString('en-US')}/CPU-s`,
      `${Math.round(hmi).toLocaleString('en-US')}/CPU-s`,
      `${(hmi / peer).toFixed(2)}×`,
    ]);
  let sink: unknown;
  row(
    `webhook verify + parse, ${(bytes.length / 1024).toFixed(1)} KB event, string body`,
    interleaved(
      [
        () => {
          sink = sdk.webhooks.constructEvent(text, header, secret);
        },
        () => {
          sink = verifyStripeWebhook({ payload: text, signature: header, secret });
        },
      ],
      rounds,
      ms,
    ),
  );
  row(
    `webhook verify + parse, ${(bytes.length / 1024).toFixed(1)} KB event, Buffer body (express.raw)`,
    interleaved(
      [
        () => {
          sink = sdk.webhooks.constructEvent(bytes, header, secret);
        },
        () => {
          sink = verifyStripeWebhook({ payload: bytes, signature: header, secret });
        },
      ],
      rounds,
      ms,
    ),
  );
  // The same event without its Arabic description: bytes that decode to a one-byte string, where
  // the SDK's decode costs little and the HMAC and JSON.parse (the same on both sides) weigh more.
  const ascii = Buffer.from(text.replace('استشارة طبية — عيادة القلب', 'Cardiology consultation'), 'utf8');
  const asciiHeader = sdk.webhooks.generateTestHeaderString({
    payload: ascii.toString('utf8'),
    secret,
    timestamp: Math.floor(nowMs / 1000),
  });
  row(
    `webhook verify + parse, ${(ascii.length / 1024).toFixed(1)} KB event, Buffer body, ASCII only`,
    interleaved(
      [
        () => {
          sink = sdk.webhooks.constructEvent(ascii, asciiHeader, secret);
        },
        () => {
          sink = verifyStripeWebhook({ payload: ascii, signature: asciiHeader, secret });
        },
      ],
      rounds,
      ms,
    ),
  );
  row(
    'same, Buffer body, hmi also maps to a canonical Payment (SDK: verify + parse only)',
    interleaved(
      [
        () => {
          sink = sdk.webhooks.constructEvent(bytes, header, secret);
        },
        () => {
          sink = mapStripeEvent(verifyStripeWebhook({ payload: bytes, signature: header, secret }));
        },
      ],
      rounds,
      ms,
    ),
  );
  if (sink === undefined) throw new Error('unreachable');
  return rows;
}

export function describeLoad(): string {
  return `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${cpus().length} CPUs, Node ${process.version}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const stripeVersion = JSON.parse(
    readFileSync(new URL('../../node_modules/stripe/package.json', import.meta.url), 'utf8'),
  ).version;
  console.log(`| measure | stripe ${stripeVersion} constructEvent | @hmi/connector-stripe verifyStripeWebhook | hmi / stripe |`);
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of webhookRows()) console.log(`| ${r.join(' | ')} |`);
  console.log(`\nInterleaved rounds, calls per CPU-second (process.cpuUsage); ${describeLoad()}.`);
}
