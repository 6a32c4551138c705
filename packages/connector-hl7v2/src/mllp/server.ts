import net from 'node:net';
import tls from 'node:tls';
import { type HmiError, isHmiError, type Telemetry } from '@hmi/core';
import { type Hl7AckCode, buildAck } from '../ack.js';
import { Hl7ParseError, MllpProtocolError } from '../hl7v2-error.js';
import type { Hl7Message } from '../parser/message.js';
import { parseHl7 } from '../parser/parse.js';
import { handlerFailure } from '../safe-error.js';
import { frameMllp, MllpDecoder } from './framing.js';
import { fallbackAck } from './fallback-ack.js';
import { ByteBudget, Deadline, type MllpTimers, systemTimers } from './limits.js';
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
  /** Open connections accepted at once; further ones are closed on arrival. Default 100. */
  maxConnections?: number;
  /**
   * A connection that sends nothing for this long (and has nothing waiting for the handler) is
   * closed; senders reconnect on their next message. Default 300 000 ms; 0 disables.
   */
  idleTimeoutMs?: number;
  /**
   * A frame must end within this long of its start byte, or the connection is closed (a
   * slowloris sender trickling one byte at a time). Default 60 000 ms; 0 disables.
   */
  frameTimeoutMs?: number;
  /**
   * Bytes held across all connections (unfinished frames plus frames waiting for the handler).
   * A connection that takes the total over it is closed. Default 64 MiB.
   */
  maxBufferedBytes?: number;
  /** Timers for the timeouts; inject them to drive timeouts in tests. Default: the global ones. */
  timers?: MllpTimers;
}

/** A running MLLP listener. */
export interface MllpServer {
  /** The port actually bound. */
  readonly port: number;
  /** Connections open now. */
  readonly connections: number;
  /** Bytes held now across connections (unfinished frames, frames waiting for the handler). */
  readonly bufferedBytes: number;
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
  const timers = options.timers ?? systemTimers;
  const idleMs = options.idleTimeoutMs ?? 300_000;
  const frameMs = options.frameTimeoutMs ?? 60_000;
  const budget = new ByteBudget(options.maxBufferedBytes ?? 64 * 1024 * 1024);

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
    let queuedBytes = 0;
    let charged = 0; // this connection's share of the budget
    let paused = false;

    const recharge = () => {
      const now = socket.destroyed ? 0 : decoder.bufferedBytes + queuedBytes;
      const within = budget.adjust(now - charged);
      charged = now;
      return within;
    };
    const drop = (why: string) => {
      if (socket.destroyed) return;
      report(new MllpProtocolError(`connection closed: ${why}`, { operation: 'mllp:receive' }), context);
      socket.destroy();
      recharge(); // give its bytes back now, not at 'close', so other connections are not blamed
    };
    const idle = new Deadline(timers, idleMs, () => drop('idle timeout'));
    const frame = new Deadline(timers, frameMs, () => drop('frame not finished in time'));
    // Idle counts only while nothing is in progress; a frame's clock stops while we, not the
    // peer, hold up reading (the handler is behind).
    const rearm = () => {
      if (socket.destroyed) return;
      if (queued === 0 && !decoder.inFrame) idle.arm();
      else idle.disarm();
      if (decoder.inFrame && !paused) {
        if (!frame.armed) frame.arm();
      } else frame.disarm();
    };

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

    const enqueue = (job: () => void | Promise<void>, bytes: number) => {
      queued++;
      queuedBytes += bytes;
      if (queued >= maxQueued) {
        paused = true;
        socket.pause();
      }
      chain = chain
        .then(job)
        .catch((error) => report(handlerFailure(error, 'mllp:ack'), context))
        .finally(() => {
          queued--;
          queuedBytes -= bytes;
          recharge();
          if (queued < maxQueued && !socket.destroyed) {
            paused = false;
            socket.resume();
          }
          rearm();
        });
    };

    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        if (event.type === 'message') {
          const payload = event.payload;
          enqueue(() => handle(payload), payload.length);
        } else if (event.type === 'oversize') {
          const head = event.head;
          enqueue(() => {
            send(fallbackAck(head, 'AR', 'message rejected: larger than the receiver accepts'));
            report(new Hl7ParseError(`frame larger than ${maxBytes} bytes refused`, { reason: 'invalid_input' }), context);
          }, head.length);
        }
      }
      if (!recharge()) {
        drop('receiver buffer budget exhausted');
        return;
      }
      rearm();
    });
    socket.on('error', () => {
      // Resets and TLS failures end the connection; the peer resends what it got no ACK for.
    });
    socket.on('close', () => {
      idle.disarm();
      frame.disarm();
      queuedBytes = 0; // the jobs still queued hold their payloads only until they settle
      recharge();
      sockets.delete(socket);
    });
    rearm();
  };

  const server = options.tls
    ? // A peer that never finishes the handshake is held no longer than an idle one.
      tls.createServer({ handshakeTimeout: Math.min(idleMs || 120_000, 120_000), ...options.tls }, onConnection)
    : net.createServer(onConnection);
  // Node closes connections over the limit on arrival (before any TLS handshake) and emits 'drop'.
  server.maxConnections = options.maxConnections ?? 100;
  server.on('drop', () =>
    report(new MllpProtocolError('connection refused: too many connections', { operation: 'mllp:receive' }), {
      remoteAddress: undefined,
      remotePort: undefined,
    }),
  );
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
    get connections() {
      return sockets.size;
    },
    get bufferedBytes() {
      return budget.used;
    },
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
