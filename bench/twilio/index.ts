// Twilio webhook signature verification: @hmi/connector-twilio's verifyTwilioSignature against the
// official `twilio` library's validateRequest (both HMAC-SHA1 over Node crypto), on a realistic
// inbound SMS with an Arabic body. Also prints countSmsSegments throughput on Arabic and GSM text.
// Run on demand (not in tests): `pnpm bench twilio` (after `pnpm build`), or from source:
// `node --conditions=@hmi/source --import tsx bench/twilio/index.ts`.
// Options: --seconds=1 (per measurement), --rounds=3 (best of).
import { createRequire } from 'node:module';
import { countSmsSegments } from '../../packages/connector-twilio/src/sms/segments.js';
import { computeTwilioSignature, verifyTwilioSignature } from '../../packages/connector-twilio/src/webhooks/signature.js';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const SECONDS = arg('seconds', 1);
const ROUNDS = arg('rounds', 3);

type Official = { validateRequest(token: string, signature: string, url: string, params: Record<string, string>): boolean };
const twilio = createRequire(import.meta.url)('twilio') as Official;

const authToken = 'b7d1e0c2a9f84b6c8d3e5f1a2b3c4d5e';
const url = 'https://crm.hospital.sa/twilio/inbound?tenant=riyadh';
const params: Record<string, string> = {
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  ApiVersion: '2010-04-01',
  Body: 'شكراً لكم، سأحضر الموعد يوم الأحد الساعة العاشرة صباحاً إن شاء الله',
  From: '+966555123456',
  FromCity: 'RIYADH',
  FromCountry: 'SA',
  MessageSid: 'SM0123456789abcdef0123456789abcdef',
  MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
  NumMedia: '0',
  NumSegments: '1',
  SmsMessageSid: 'SM0123456789abcdef0123456789abcdef',
  SmsSid: 'SM0123456789abcdef0123456789abcdef',
  SmsStatus: 'received',
  To: '+966112345678',
  ToCountry: 'SA',
};
const good = computeTwilioSignature(authToken, url, params);
const bad = `${good.slice(0, -4)}AAA=`;

function measure(fn: () => boolean, expected: boolean): number {
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let n = 0;
    const end = performance.now() + SECONDS * 1000;
    while (performance.now() < end) {
      for (let i = 0; i < 50; i++) if (fn() !== expected) throw new Error('unexpected verification result in the benchmark');
      n += 50;
    }
    best = Math.max(best, n / SECONDS);
  }
  return best;
}

const rows: Array<[string, number]> = [
  ['twilio 6 validateRequest, valid signature', measure(() => twilio.validateRequest(authToken, good, url, params), true)],
  [
    'hmi verifyTwilioSignature, valid signature',
    measure(() => verifyTwilioSignature({ url, params, signature: good, authToken }), true),
  ],
  ['twilio 6 validateRequest, forged signature', measure(() => twilio.validateRequest(authToken, bad, url, params), false)],
  [
    'hmi verifyTwilioSignature, forged signature',
    measure(() => verifyTwilioSignature({ url, params, signature: bad, authToken }), false),
  ],
];

console.log('| verifier | ops/s | vs twilio |');
console.log('|---|---:|---:|');
for (let i = 0; i < rows.length; i++) {
  const [name, ops] = rows[i]!;
  const peer = rows[i - (i % 2)]![1];
  console.log(`| ${name} | ${Math.round(ops).toLocaleString('en-US')} | ${(ops / peer).toFixed(2)}× |`);
}

const arabic = 'عزيزي المريض، نذكركم بموعدكم في عيادة الأسنان يوم الأحد الساعة 10:30 صباحاً. للإلغاء أرسل إلغاء'.repeat(3);
const gsm = 'Dear patient, your dental appointment is on Sunday at 10:30 {room 4} - reply STOP to opt out. '.repeat(3);
const segmentRows: Array<[string, number]> = [
  [
    `countSmsSegments, Arabic ${arabic.length} chars (${countSmsSegments(arabic).segments} segments)`,
    measure(() => countSmsSegments(arabic).segments > 0, true),
  ],
  [
    `countSmsSegments, GSM-7 ${gsm.length} chars (${countSmsSegments(gsm).segments} segments)`,
    measure(() => countSmsSegments(gsm).segments > 0, true),
  ],
];
console.log('\n| segment count | ops/s |');
console.log('|---|---:|');
for (const [name, ops] of segmentRows) console.log(`| ${name} | ${Math.round(ops).toLocaleString('en-US')} |`);
