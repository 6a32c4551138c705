import { createHash } from 'node:crypto';
import net from 'node:net';
import type tls from 'node:tls';
import {
  action,
  Contact,
  type ConnectorInstanceOptions,
  defineConnector,
  isHmiError,
  NetworkError,
  timingSafeEqualString,
  ValidationError,
  WebhookVerificationError,
  webhook,
} from '@hmi/core';
import { z } from 'zod';
import { ackCode } from './ack.js';
import { type Hl7v2ConfigInput, type Hl7v2ConfigOutput, Hl7v2Config } from './hl7v2-config.js';
import { type Hl7MappedMessage, mapHl7Message } from './mappers/map-message.js';
import { contactToAdt } from './mappers/contact-to-adt.js';
import { createMllpClient, type MllpClient } from './mllp/client.js';
import { type MllpServer, startMllpServer } from './mllp/server.js';
import type { Hl7Message } from './parser/message.js';
import { parseHl7 } from './parser/parse.js';
import { PACKAGE_VERSION } from './version.js';

const AckResult = z.object({
  /** MSA-1 of the answer: AA accepted, AE application error, AR rejected. */
  ackCode: z.enum(['AA', 'AE', 'AR', 'CA', 'CE', 'CR']),
  /** MSH-10 of the message sent (what MSA-2 answered). */
  controlId: z.string(),
});

interface Ctx {
  config: Hl7v2ConfigOutput;
  client(): MllpClient;
}

// MSH-10 is at most 20 characters before v2.7: a stable digest of the call's idempotency key, so
// repeating the call with the same key resends the same control ID and the receiver can drop it.
function controlIdFor(key: string | undefined): string | undefined {
  return key ? createHash('sha256').update(key).digest('hex').slice(0, 20).toUpperCase() : undefined;
}

async function deliver(ctx: Ctx, message: Hl7Message) {
  const ack = await ctx.client().send(message);
  const code = ackCode(ack);
  if (!code) throw new ValidationError('the answer is not an acknowledgement (no MSA-1)', { code: 'invalid_response' });
  return { ackCode: code, controlId: message.controlId ?? '' };
}

function toValidation(error: unknown): unknown {
  if (isHmiError(error) && error.code === 'hl7_parse_error') {
    return new ValidationError(error.message, {
      code: 'hl7_parse_error',
      issues: [{ path: ['message'], code: 'hl7_parse_error', message: 'not an HL7 v2 message' }],
      cause: error,
    });
  }
  return error;
}

// Built per instance so that each instance can close the MLLP client it created; `register`
// receives that client.
function buildConnector(register?: (client: MllpClient) => void) {
  return defineConnector({
    id: 'hl7v2',
    name: 'HL7 v2 (MLLP)',
    category: 'ehr',
    version: PACKAGE_VERSION,
    config: Hl7v2Config,
    auth: ['none', 'mtls'],
    setup(config): Ctx {
      let client: MllpClient | undefined;
      return {
        config,
        client: () => {
          if (!client) {
            client = createMllpClient({
              host: config.host,
              port: config.port,
              timeoutMs: config.timeoutMs,
              ...(config.tls && { tls: config.tls }),
            });
            register?.(client);
          }
          return client;
        },
      };
    },
    async check(ctx) {
      await new Promise<void>((resolve, reject) => {
        const socket = net.connect({ host: ctx.config.host, port: ctx.config.port });
        socket.setTimeout(ctx.config.timeoutMs, () => socket.destroy(new Error('timeout')));
        socket.once('connect', () => {
          socket.end();
          resolve();
        });
        socket.once('error', (error) =>
          reject(
            new NetworkError('MLLP peer not reachable', { connector: 'hl7v2', vendorCode: (error as { code?: string }).code }),
          ),
        );
      });
    },
    actions: {
      sendMessage: action({
        description: 'Sends an HL7 v2 message over MLLP and returns the ACK code',
        idempotent: false,
        input: z.object({ message: z.string().min(8) }),
        output: AckResult,
        async run(input, ctx: Ctx, call) {
          let message: Hl7Message;
          try {
            message = parseHl7(input.message);
          } catch (error) {
            throw toValidation(error);
          }
          const key = controlIdFor(call.idempotencyKey);
          if (!message.controlId && key) message.set('MSH-10', key);
          return deliver(ctx, message);
        },
      }),
      sendContact: action({
        description: 'Sends a Contact to the EHR as ADT A28 (new person) or A31 (update)',
        idempotent: false,
        input: z.object({ contact: Contact, trigger: z.enum(['A28', 'A31']).default('A31') }),
        output: AckResult,
        async run(input, ctx: Ctx, call) {
          const c = ctx.config;
          const message = contactToAdt(input.contact, {
            trigger: input.trigger,
            sendingApplication: c.sendingApplication,
            version: c.version,
            ...(c.sendingFacility && { sendingFacility: c.sendingFacility }),
            ...(c.receivingApplication && { receivingApplication: c.receivingApplication }),
            ...(c.receivingFacility && { receivingFacility: c.receivingFacility }),
            ...(controlIdFor(call.idempotencyKey) && { controlId: controlIdFor(call.idempotencyKey)! }),
          });
          return deliver(ctx, message);
        },
      }),
    },
    webhooks: {
      message: webhook({
        description: 'HL7 v2 over HTTP: the body is one message (or a batch); events carry the mapped records',
        async verify(request, ctx: Ctx) {
          const token = ctx.config.webhookToken;
          if (token) {
            const given =
              request.headers.get('x-hl7-token') ?? request.headers.get('authorization')?.replace(/^Bearer\s+/i, '') ?? '';
            if (!timingSafeEqualString(given, token)) throw new WebhookVerificationError('missing or wrong HL7 webhook token');
          }
          let message: Hl7Message;
          try {
            message = parseHl7(request.rawBody);
          } catch (error) {
            throw toValidation(error);
          }
          return [toEvent(message, mapHl7Message(message, mapOptions(ctx.config)))];
        },
      }),
    },
  });
}

/**
 * The connector definition (contract v1): actions `sendMessage` and `sendContact`, webhook
 * `message`. Prefer {@link createHl7v2Connector}, whose instances can `listen()` and `close()`.
 */
export const hl7v2Connector = buildConnector();

function mapOptions(config: Hl7v2ConfigOutput) {
  return {
    ...(config.defaultRegion && { defaultRegion: config.defaultRegion }),
    ...(config.defaultOffset && { defaultOffset: config.defaultOffset }),
  };
}

/** An inbound HL7 message as a webhook-style event. */
export interface Hl7InboundEvent {
  /** MSH-10. */
  id: string;
  /** `hl7.<type>.<trigger>`, e.g. `hl7.adt.a04`. */
  type: string;
  occurredAt?: string;
  data: Hl7MappedMessage;
}

function toEvent(message: Hl7Message, data: Hl7MappedMessage): Hl7InboundEvent {
  const type = `hl7.${(message.messageType ?? 'unknown').toLowerCase()}.${(message.triggerEvent ?? 'unknown').toLowerCase()}`;
  const occurred = 'contact' in data ? data.contact.updatedAt : undefined;
  return { id: message.controlId ?? '', type, ...(occurred && { occurredAt: occurred }), data };
}

/** Options of `Hl7v2ConnectorInstance.listen` ({@link Hl7v2ConnectorInstance}). */
export interface Hl7ListenOptions {
  port?: number;
  host?: string;
  tls?: tls.TlsOptions;
  maxMessageBytes?: number;
  /**
   * Receives each inbound message, mapped. Resolve to acknowledge AA; throw to answer AE. A
   * message that maps with an error (an ADT without PID) is answered AE and reported as an error
   * on the connector's telemetry, without its content.
   */
  onEvent(event: Hl7InboundEvent, message: Hl7Message): void | Promise<void>;
}

/** The connector instance plus an MLLP listener for inbound messages. */
export type Hl7v2ConnectorInstance = ReturnType<typeof hl7v2Connector.create> & {
  /** Starts an MLLP server whose messages are mapped and handed to `onEvent`. */
  listen(options: Hl7ListenOptions): Promise<MllpServer>;
  /** Closes the outbound MLLP connection (listeners are closed through their own `close()`). */
  close(): Promise<void>;
};

/**
 * Creates the HL7 v2 connector: `actions.sendMessage({ message })` and
 * `actions.sendContact({ contact, trigger })` over a persistent MLLP client (reconnecting, one
 * message in flight, ACK matched by MSA-2), `webhooks.message` for HL7 over HTTP, and `listen()`
 * for inbound MLLP. Throws a ConfigError naming the bad field.
 */
export function createHl7v2Connector(config: Hl7v2ConfigInput, options?: ConnectorInstanceOptions): Hl7v2ConnectorInstance {
  const clients: MllpClient[] = [];
  const instance = buildConnector((client) => clients.push(client)).create(config, options);
  const parsed = Hl7v2Config.parse(config);
  return Object.assign(instance, {
    async close() {
      await Promise.all(clients.splice(0).map((client) => client.close()));
    },
    listen(listenOptions: Hl7ListenOptions) {
      return startMllpServer({
        ...(listenOptions.port !== undefined && { port: listenOptions.port }),
        ...(listenOptions.host && { host: listenOptions.host }),
        ...(listenOptions.tls && { tls: listenOptions.tls }),
        ...(listenOptions.maxMessageBytes && { maxMessageBytes: listenOptions.maxMessageBytes }),
        telemetry: instance.telemetry,
        async onMessage(message) {
          const mapped = mapHl7Message(message, mapOptions(parsed));
          await listenOptions.onEvent(toEvent(message, mapped), message);
        },
      });
    },
  });
}
