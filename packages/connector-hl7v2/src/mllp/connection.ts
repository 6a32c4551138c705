import net from 'node:net';
import tls from 'node:tls';
import { type HmiError, NetworkError, TimeoutError } from '@hmi/core';
import { MllpProtocolError } from '../hl7v2-error.js';
import type { Hl7Message } from '../parser/message.js';
import { parseHl7 } from '../parser/parse.js';
import { frameMllp, MllpDecoder } from './framing.js';

/** Where to connect. */
export interface MllpEndpoint {
  host: string;
  port: number;
  /** Connect over TLS with these options (`ca`, `cert`, `key`, `servername`, …). */
  tls?: tls.ConnectionOptions;
  /** Largest ACK accepted, in bytes. Default 1 MiB. */
  maxAckBytes?: number;
}

// Certificate problems do not go away by retrying.
const PERMANENT_TLS = /CERT|SELF_SIGNED|ALTNAME|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

function connectionError(error: unknown): HmiError {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'unknown';
  const permanent = PERMANENT_TLS.test(code);
  return new NetworkError(`MLLP connection failed (${code.replace(/[^\w]/g, '').slice(0, 60)})`, {
    connector: 'hl7v2',
    operation: 'mllp:connect',
    retryable: !permanent,
    vendorCode: code,
  });
}

interface Waiter {
  controlId: string | undefined;
  resolve(ack: Hl7Message): void;
  reject(error: unknown): void;
}

/**
 * One MLLP connection that sends a message and waits for its ACK, one at a time. ACKs whose MSA-2
 * names another message (a late answer to an earlier, timed-out send) are ignored.
 * @internal
 */
export class MllpConnection {
  readonly #socket: net.Socket;
  #waiter: Waiter | undefined;
  #closed = false;

  private constructor(socket: net.Socket, maxAckBytes: number) {
    this.#socket = socket;
    const decoder = new MllpDecoder({ maxMessageBytes: maxAckBytes });
    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        const waiter = this.#waiter;
        if (!waiter) continue;
        if (event.type === 'oversize') {
          this.#settle((w) => w.reject(new MllpProtocolError('ACK larger than maxAckBytes', { operation: 'mllp:send' })));
          this.close();
          continue;
        }
        if (event.type !== 'message') continue;
        let ack: Hl7Message;
        try {
          ack = parseHl7(event.payload);
        } catch (error) {
          this.#settle((w) => w.reject(error));
          continue;
        }
        const answers = ack.get('MSA-2');
        if (waiter.controlId !== undefined && answers !== waiter.controlId) continue; // stale ACK
        this.#settle((w) => w.resolve(ack));
      }
    });
    socket.on('error', () => {
      // 'close' follows and rejects the waiter; the error itself may quote addresses only.
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#settle((w) =>
        w.reject(
          new NetworkError('MLLP connection closed before the ACK arrived', {
            connector: 'hl7v2',
            operation: 'mllp:send',
            retryable: true,
          }),
        ),
      );
    });
  }

  /** Opens a connection; rejects with NetworkError or TimeoutError. */
  static open(endpoint: MllpEndpoint, timeoutMs: number): Promise<MllpConnection> {
    return new Promise((resolve, reject) => {
      const socket = endpoint.tls
        ? tls.connect({
            host: endpoint.host,
            port: endpoint.port,
            ...(net.isIP(endpoint.host) === 0 && { servername: endpoint.host }),
            ...endpoint.tls,
          })
        : net.connect({ host: endpoint.host, port: endpoint.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new TimeoutError(`MLLP connect timed out after ${timeoutMs} ms`, { connector: 'hl7v2', operation: 'mllp:connect' }),
        );
      }, timeoutMs);
      const onError = (error: unknown) => {
        clearTimeout(timer);
        socket.destroy();
        reject(connectionError(error));
      };
      socket.once('error', onError);
      socket.once(endpoint.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.setKeepAlive(true);
        resolve(new MllpConnection(socket, endpoint.maxAckBytes ?? 1024 * 1024));
      });
    });
  }

  /** True once the socket has closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Sends one message and resolves with its ACK. */
  exchange(message: Hl7Message, timeoutMs: number): Promise<Hl7Message> {
    if (this.#waiter) return Promise.reject(new MllpProtocolError('a message is already waiting for its ACK'));
    if (this.#closed) {
      return Promise.reject(new NetworkError('MLLP connection is closed', { connector: 'hl7v2', retryable: true }));
    }
    return new Promise<Hl7Message>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#settle((w) =>
          w.reject(new TimeoutError(`no ACK within ${timeoutMs} ms`, { connector: 'hl7v2', operation: 'mllp:send' })),
        );
        // The stream may still carry the late ACK; a fresh connection is simpler than telling.
        this.close();
      }, timeoutMs);
      this.#waiter = {
        controlId: message.controlId || undefined,
        resolve: (ack) => {
          clearTimeout(timer);
          resolve(ack);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#socket.write(frameMllp(message.toString()));
    });
  }

  /** Ends the connection. */
  close(): void {
    this.#closed = true;
    this.#socket.destroy();
  }

  #settle(fn: (waiter: Waiter) => void): void {
    const waiter = this.#waiter;
    if (!waiter) return;
    this.#waiter = undefined;
    fn(waiter);
  }
}
