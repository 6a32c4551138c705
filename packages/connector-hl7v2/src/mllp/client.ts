import { AbortedError, type HmiError, isHmiError, type Telemetry } from '@hmi/core';
import { backoffDelay, sleep } from '@hmi/core/internal';
import { ackCode } from '../ack.js';
import type { Hl7Message } from '../parser/message.js';
import { parseHl7 } from '../parser/parse.js';
import { type MllpEndpoint, MllpConnection } from './connection.js';
import './telemetry.js';

/** Options of {@link sendMllp}. */
export interface SendMllpOptions extends MllpEndpoint {
  /** The message: text (LF or CRLF line ends are sent as CR) or a parsed message. */
  message: string | Hl7Message;
  /** Time allowed for connecting and receiving the ACK. Default 30 000 ms. */
  timeoutMs?: number;
}

function toMessage(message: string | Hl7Message): Hl7Message {
  return typeof message === 'string' ? parseHl7(message) : message;
}

/**
 * Sends one message over a new MLLP connection and resolves with the ACK (whatever its code: read
 * it with {@link ackCode}). Rejects with TimeoutError (no ACK in time), NetworkError (connection
 * failed or closed) or Hl7ParseError (the message or the answer is not HL7).
 */
export async function sendMllp(options: SendMllpOptions): Promise<Hl7Message> {
  const message = toMessage(options.message);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const connection = await MllpConnection.open(options, timeoutMs);
  try {
    return await connection.exchange(message, Math.max(1, deadline - Date.now()));
  } finally {
    connection.close();
  }
}

/** Options of {@link createMllpClient}. */
export interface MllpClientOptions extends MllpEndpoint {
  /** Time allowed for each ACK (and each connect). Default 30 000 ms. */
  timeoutMs?: number;
  /**
   * Reconnection after a failed connect, a dropped connection or a timeout. The unacknowledged
   * message is sent again with the same MSH-10, which receivers use to drop duplicates.
   */
  reconnect?: {
    /** Further attempts per message after the first. Default 5; 0 disables. */
    retries?: number;
    /** Base of the exponential backoff. Default 200 ms. */
    minDelayMs?: number;
    /** Cap of one wait. Default 10 000 ms. */
    maxDelayMs?: number;
  };
  /** Telemetry bus for `hl7:message` events. */
  telemetry?: Telemetry;
}

/** A persistent MLLP sender. */
export interface MllpClient {
  /** Queues a message; resolves with its ACK once sent (one at a time, in order). */
  send(message: string | Hl7Message): Promise<Hl7Message>;
  /** Closes the connection; queued messages are rejected. */
  close(): Promise<void>;
}

function closedError(): AbortedError {
  return new AbortedError('MLLP client is closed', { connector: 'hl7v2', operation: 'mllp:send' });
}

interface Job {
  message: Hl7Message;
  resolve(ack: Hl7Message): void;
  reject(error: unknown): void;
}

/**
 * Opens a persistent MLLP client for a stream of messages: one connection reused, one message in
 * flight at a time, each ACK matched to its message by MSA-2. When the connection fails or drops it
 * reconnects with exponential backoff and full jitter.
 */
export function createMllpClient(options: MllpClientOptions): MllpClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = Math.max(0, options.reconnect?.retries ?? 5);
  const policy = { minDelayMs: options.reconnect?.minDelayMs ?? 200, maxDelayMs: options.reconnect?.maxDelayMs ?? 10_000 };
  const queue: Job[] = [];
  const closer = new AbortController();
  let connection: MllpConnection | undefined;
  let pumping = false;

  const connected = async (): Promise<MllpConnection> => {
    if (connection && !connection.closed) return connection;
    connection = await MllpConnection.open(options, timeoutMs);
    return connection;
  };

  const deliver = async (message: Hl7Message): Promise<Hl7Message> => {
    for (let attempt = 1; ; attempt++) {
      if (closer.signal.aborted) throw closedError();
      try {
        const started = performance.now();
        const ack = await (await connected()).exchange(message, timeoutMs);
        options.telemetry?.emit('hl7:message', {
          connector: 'hl7v2',
          operation: 'mllp:send',
          direction: 'out',
          messageType: message.messageType,
          triggerEvent: message.triggerEvent,
          ackCode: ackCode(ack),
          bytes: Buffer.byteLength(message.toString()),
          durationMs: performance.now() - started,
        });
        return ack;
      } catch (error) {
        connection?.close();
        connection = undefined;
        const retryable = isHmiError(error) && (error as HmiError).retryable;
        if (!retryable || attempt > retries || closer.signal.aborted) throw error;
        const waitMs = backoffDelay(attempt, policy);
        options.telemetry?.emit('retry', {
          connector: 'hl7v2',
          operation: 'mllp:send',
          requestId: '',
          attempt,
          reason: (error as HmiError).code,
          waitMs,
        });
        await sleep(waitMs, closer.signal).catch(() => {});
        if (closer.signal.aborted) throw error;
      }
    }
  };

  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      while (queue.length > 0) {
        const job = queue[0]!;
        try {
          job.resolve(await deliver(job.message));
        } catch (error) {
          job.reject(error);
        }
        queue.shift();
      }
    } finally {
      pumping = false;
    }
  };

  return {
    send(message) {
      if (closer.signal.aborted) return Promise.reject(closedError());
      let parsed: Hl7Message;
      try {
        parsed = toMessage(message);
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise<Hl7Message>((resolve, reject) => {
        queue.push({ message: parsed, resolve, reject });
        void pump();
      });
    },
    async close() {
      closer.abort();
      connection?.close();
      connection = undefined;
    },
  };
}
