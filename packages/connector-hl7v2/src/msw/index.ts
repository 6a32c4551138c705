/**
 * A fake EHR for host apps' tests: a loopback MLLP peer that records what it receives and
 * acknowledges it. MLLP is TCP, not HTTP, so this is a real socket server rather than an MSW
 * handler; it keeps the `./msw` place every connector's fake has.
 * @packageDocumentation
 */
import type { Hl7Message } from '../parser/message.js';
import { type MllpServer, startMllpServer } from '../mllp/server.js';

/** Options of {@link startFakeMllpPeer}. */
export interface FakeMllpPeerOptions {
  /** How to answer each message: `AA` (the default) or `AE`. */
  answer?: (message: Hl7Message) => 'AA' | 'AE';
  /** Port to bind on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
}

/** A running fake EHR. */
export interface FakeMllpPeer {
  /** The port to configure the connector with. */
  readonly port: number;
  /** Every message received, in order. */
  readonly received: Hl7Message[];
  /** Connections open now (a connector keeps one persistent connection). */
  readonly connections: number;
  /** Stops the server and ends its connections. */
  close(): Promise<void>;
}

/** Starts a fake EHR on loopback that ACKs (AA, or what `answer` says) every message it gets. */
export async function startFakeMllpPeer(options: FakeMllpPeerOptions = {}): Promise<FakeMllpPeer> {
  const received: Hl7Message[] = [];
  const server: MllpServer = await startMllpServer({
    host: '127.0.0.1',
    port: options.port ?? 0,
    onMessage(message) {
      received.push(message);
      if (options.answer?.(message) === 'AE') throw new Error('fake EHR answers AE');
    },
  });
  return {
    port: server.port,
    received,
    get connections() {
      return server.connections;
    },
    close: () => server.close(),
  };
}
