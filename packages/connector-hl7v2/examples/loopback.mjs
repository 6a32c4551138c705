// Runnable: pnpm --filter @hmi/connector-hl7v2 build && node packages/connector-hl7v2/examples/loopback.mjs
import { ackCode, createMllpClient, mapHl7Message, parseHl7, sendMllp, startMllpServer } from '@hmi/connector-hl7v2';

// 1. An MLLP listener on loopback: each message is parsed, mapped, and ACKed after the handler.
const server = await startMllpServer({
  host: '127.0.0.1',
  port: 0, // any free port
  onMessage(message) {
    const mapped = mapHl7Message(message, { defaultRegion: 'SA', timeZone: 'Asia/Riyadh' });
    if (mapped.kind === 'patient') {
      console.log('patient', mapped.contact.names[0]?.text, mapped.contact.phones[0]?.value);
    }
  },
  onError: (error) => console.error('refused:', error.code), // never the message content
});

const adt = [
  'MSH|^~\\&|HIS|KFSH|CRM|HMI|20240315103000+0300||ADT^A04^ADT_A01|MSG-1|P|2.5.1',
  'EVN|A04|20240315103000+0300',
  'PID|1||MRN-1^^^KFSH^MR~1002003004^^^MOH^NI||الأحمد^محمد^^^^^L||19850214|M|||||0555123456^PRN^CP',
  'PV1|1|O',
].join('\r');

// 2. One-shot send: resolves with the ACK.
const ack = await sendMllp({ host: '127.0.0.1', port: server.port, message: adt, timeoutMs: 5000 });
console.log('ACK', ackCode(ack), 'for', ack.get('MSA-2'));

// 3. A persistent client for a stream: one connection, one message in flight, reconnects.
const client = createMllpClient({ host: '127.0.0.1', port: server.port });
for (const id of ['MSG-2', 'MSG-3']) {
  const msg = parseHl7(adt);
  msg.set('MSH-10', id);
  console.log('ACK', ackCode(await client.send(msg)), 'for', id);
}

await client.close();
await server.close();
