import net from 'node:net';
import tls from 'node:tls';
import { type HmiError, isHmiError, type Telemetry } from '@hmi/core';
import { type Hl7AckCode, buildAck } from '../ack.js';
import { Hl7ParseError } from '../hl7-error.js';
import type { Hl7Message } from '../parser/message.js';
import { parseHl7 } from '../parser/parse.js';
import { handlerFailure } from '../safe-error.js';
import { frameMllp, MllpDecoder } from './framing.js';
import { fallbackAck } from './fallback-ack.js';
import './telemetry.js';

/** Where a message came from. */
export interface MllpMessageContext {
  remoteAddress: string | undefined;
  remotePort: number | undefined;
}

/** Options of {@link startMllpServer}. */
export interface MllpServerOptions {
  /** Port to listen on; 0 (the default) picks a free one, see {@link MllpServer.port}. */
  port?: number;
  /** Interface to bind; `127.0.0.1` by default (set `0.0.0.0` to accept from the network). */
  host?: string;
  /**
   * Called once per message, in order per connection. Resolve to have it acknowledged with AA;
   * throw to have it answered AE (with a generic text: the error itself is not sent). Messages
   * that cannot be parsed are answered AR without reaching this handler.
   */
  onMessage(message: Hl7Message, context: MllpMessageContext): void | Promise<void>;
  /** Largest message accepted, in bytes; bigger frames are answered AR and skipped. Default 10 MiB. */
  maxMessageBytes?: number;
  /** Serve MLLP over TLS with these options (`key`, `cert`, `ca`, `requestCert`, …). */
  tls?: tls.TlsOptions;
  /**
   * Errors worth knowing about: unparseable or oversize frames, handler failures. They name what
   * went wrong, never the message content.
   */
  onError?(error: HmiError, context: MllpMessageContext): void;
  /** Telemetry bus for `hl7:message` and `error` events. */
  telemetry?: Telemetry;
  /** Frames waiting for the handler before reading from that socket pauses. Default 16. */
  maxQueuedPerConnection?: number;
}

/** A running MLLP listener. */
export interface MllpServer {
  /** The port actually bound. */
  readonly port: number;
  /** Stops listening and ends every open connection. */
  close(): Promise<void>;
}

const GENERIC_AE_TEXT = 'application error: message not processed';

/**
 * Starts an MLLP (TCP or TLS) listener. Each frame is parsed and handed to `onMessage`; the ACK
 * (AA, AE or AR) goes back on the same connection after the handler settles, in order.
 */
export async function startMllpServer(options: MllpServerOptions): Promise<MllpServer> {
  const maxBytes = options.maxMessageBytes ?? 10 * 1024 * 1024;
  const maxQueued = Math.max(1, options.maxQueuedPerConnection ?? 16);
  const sockets = new Set<net.Socket>();

  const report = (error: HmiError, context: MllpMessageContext) => {
    options.telemetry?.emit('error', { connector: 'hl7v2', operation: 'mllp:receive', error: error.toJSON() });
    try {
      options.onError?.(error, context);
    } catch {
      // A failing error callback must not take the connection down.
    }
  };

  const onConnection = (socket: net.Socket) => {
    sockets.add(socket);
    socket.setKeepAlive(true);
    const context: MllpMessageContext = { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort };
    const decoder = new MllpDecoder({ maxMessageBytes: maxBytes });
    let chain: Promise<void> = Promise.resolve();
    let queued = 0;

    const send = (ack: Hl7Message | string) => {
      if (!socket.destroyed && socket.writable) socket.write(frameMllp(ack.toString()));
    };

    const handle = async (payload: Buffer) => {
      const started = performance.now();
      let message: Hl7Message;
      try {
        message = parseHl7(payload);
      } catch (error) {
        send(fallbackAck(payload, 'AR', 'message rejected: not a parseable HL7 v2 message'));
        report(isHmiError(error) ? error : handlerFailure(error, 'mllp:parse'), context);
        return;
      }
      let code: Hl7AckCode = 'AA';
      try {
        await options.onMessage(message, context);
      } catch (error) {
        code = 'AE';
        report(handlerFailure(error, 'onMessage'), context);
      }
      const ack = code === 'AA' ? buildAck(message, 'AA') : buildAck(message, 'AE', { text: GENERIC_AE_TEXT, errorCode: '207' });
      send(ack);
      options.telemetry?.emit('hl7:message', {
        connector: 'hl7v2',
        operation: 'mllp:receive',
        direction: 'in',
        messageType: message.messageType,
        triggerEvent: message.triggerEvent,
        ackCode: code,
        bytes: payload.length,
        durationMs: performance.now() - started,
      });
    };

    const enqueue = (job: () => void | Promise<void>) => {
      queued++;
      if (queued >= maxQueued) socket.pause();
      chain = chain
        .then(job)
        .catch((error) => report(handlerFailure(error, 'mllp:ack'), context))
        .finally(() => {
          queued--;
          if (queued < maxQueued && !socket.destroyed) socket.resume();
        });
    };

    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        if (event.type === 'message') {
          const payload = event.payload;
          enqueue(() => handle(payload));
        } else if (event.type === 'oversize') {
          const head = event.head;
          enqueue(() => {
            send(fallbackAck(head, 'AR', 'message rejected: larger than the receiver accepts'));
            report(new Hl7ParseError(`frame larger than ${maxBytes} bytes refused`, { reason: 'invalid_input' }), context);
          });
        }
      }
    });
    socket.on('error', () => {
      // Resets and TLS failures end the connection; the peer resends what it got no ACK for.
    });
    socket.on('close', () => sockets.delete(socket));
  };

  const server = options.tls ? tls.createServer(options.tls, onConnection) : net.createServer(onConnection);
  // TLS handshake failures are per connection; they must not crash the listener.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Errors after listening (EMFILE, a failing accept) must not crash the host process.
  server.on('error', (error) =>
    report(handlerFailure(error, 'mllp:listen'), { remoteAddress: undefined, remotePort: undefined }),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  let closing: Promise<void> | undefined;
  return {
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      });
      return closing;
    },
  };
}
