// SendGrid Event Webhook signature verification: @hmi/connector-sendgrid's verifySendGridSignature
// (Node crypto / OpenSSL) against the official @sendgrid/eventwebhook (starkbank-ecdsa, pure JS).
// Run on demand (not in tests): `pnpm bench sendgrid` or `node --import tsx bench/sendgrid/index.ts`.
// Options: --seconds=1 (per measurement), --rounds=3 (best of).
import { generateKeyPairSync, sign } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  parseSendGridPublicKey,
  verifySendGridSignature,
} from '../../packages/connector-sendgrid/src/webhooks/verify-signature.js';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const SECONDS = arg('seconds', 1);
const ROUNDS = arg('rounds', 3);

type Official = {
  EventWebhook: new () => {
    convertPublicKeyToECDSA(key: string): unknown;
    verifySignature(key: unknown, payload: string, signature: string, timestamp: string): boolean;
  };
};
const { EventWebhook } = createRequire(import.meta.url)('@sendgrid/eventwebhook') as Official;

// A realistic delivery: 10 events with Arabic custom args, CRLF separated, ~3 KB.
const timestamp = String(Math.floor(Date.now() / 1000));
const events = Array.from({ length: 10 }, (_, i) => ({
  email: `patient${i}@example.com`,
  event: i % 2 ? 'delivered' : 'open',
  sg_event_id: `ZXZlbnQtaWQt${i}`,
  sg_message_id: `msg${i}.filterdrecv-5645d9c87f-6r2ch-1-5F5FC76C-9.0`,
  timestamp: Number(timestamp) - i,
  campaign: 'حملة الكشف المبكر عن السكري',
  hmi_contact_id: `contact-${i}`,
}));
const payload = `[${events.map((e) => JSON.stringify(e)).join(',\r\n')}]\r\n`;
const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const keyBase64 = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const signature = sign('sha256', Buffer.from(timestamp + payload), { key: privateKey, dsaEncoding: 'der' }).toString('base64');

function measure(fn: () => boolean): number {
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let n = 0;
    const end = performance.now() + SECONDS * 1000;
    while (performance.now() < end) {
      for (let i = 0; i < 10; i++) if (!fn()) throw new Error('verification failed in the benchmark');
      n += 10;
    }
    best = Math.max(best, n / SECONDS);
  }
  return best;
}

const official = new EventWebhook();
const officialKey = official.convertPublicKeyToECDSA(keyBase64);
const parsedKey = parseSendGridPublicKey(keyBase64)!;

const rows: Array<[string, number]> = [
  [
    '@sendgrid/eventwebhook 8 (key converted once)',
    measure(() => official.verifySignature(officialKey, payload, signature, timestamp)),
  ],
  [
    'hmi verifySendGridSignature (base64 key each call)',
    measure(() => verifySendGridSignature({ payload, signature, timestamp, publicKey: keyBase64 })),
  ],
  [
    'hmi verifySendGridSignature (KeyObject, as the connector)',
    measure(() => verifySendGridSignature({ payload, signature, timestamp, publicKey: parsedKey })),
  ],
];
const peer = rows[0]![1];
console.log(`payload ${Buffer.byteLength(payload)} bytes, best of ${ROUNDS} × ${SECONDS}s, node ${process.version}\n`);
console.log('| verifier | verifications/s | vs official |');
console.log('|---|---:|---:|');
for (const [name, rate] of rows)
  console.log(`| ${name} | ${Math.round(rate).toLocaleString('en')} | ${(rate / peer).toFixed(1)}× |`);
