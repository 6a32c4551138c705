import net from 'node:net';
import { MllpDecoder, parseHl7, type Hl7Message } from '../src/index.js';

/** A raw TCP client that writes whatever bytes a test wants and collects the ACK frames. */
export async function rawClient(port: number) {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const decoder = new MllpDecoder({ maxMessageBytes: 1 << 20 });
  const acks: Hl7Message[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (chunk) => {
    for (const e of decoder.push(chunk)) if (e.type === 'message') acks.push(parseHl7(e.payload));
    wake?.();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  return {
    socket,
    acks,
    closed,
    write: (bytes: Uint8Array | string) => new Promise<void>((resolve) => socket.write(bytes, () => resolve())),
    async waitForAcks(n: number, timeoutMs = 5000): Promise<Hl7Message[]> {
      const deadline = Date.now() + timeoutMs;
      while (acks.length < n) {
        if (Date.now() > deadline) throw new Error(`only ${acks.length} of ${n} ACKs arrived`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      return acks.slice(0, n);
    },
    end: () => socket.destroy(),
  };
}

/** A small ADT message with an Arabic name and a Saudi mobile number. */
export function adt(controlId: string, name = 'الأحمد^محمد', phone = '0555123456'): string {
  return [
    `MSH|^~\\&|HIS|HOSP|CRM|HMI|20240101120000||ADT^A04^ADT_A01|${controlId}|P|2.5.1`,
    'EVN|A04|20240101120000',
    `PID|1||MRN${controlId}^^^HOSP^MR||${name}||19800101|M|||||${phone}^PRN^CP`,
    'PV1|1|O',
  ].join('\r');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
