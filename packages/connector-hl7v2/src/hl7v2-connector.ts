import net from 'node:net';
import type tls from 'node:tls';
import { type ConnectorInstanceOptions, defineConnector, NetworkError } from '@hmi/core';
import { type Hl7v2ConfigInput, type Hl7v2ConfigOutput, Hl7v2Config } from './hl7v2-config.js';
import type { Hl7v2Context } from './hl7v2-context.js';
import type { Hl7MapOptions } from './mappers/datatypes.js';
import { mapHl7Message } from './mappers/map-message.js';
import { sendContact, sendMessage } from './messages/message-actions.js';
import { createMllpClient, type MllpClient } from './mllp/client.js';
import type { MllpTimers } from './mllp/limits.js';
import { type MllpServer, startMllpServer } from './mllp/server.js';
import type { Hl7Message } from './parser/message.js';
import { type Hl7InboundEvent, message, toInboundEvent } from './webhooks/message-webhook.js';
import { PACKAGE_VERSION } from './version.js';

/** The options inbound messages are mapped with, from the config. */
export function mapOptionsOf(config: Hl7v2ConfigOutput): Hl7MapOptions {
  return {
    ...(config.defaultRegion && { defaultRegion: config.defaultRegion }),
    ...(config.timeZone && { timeZone: config.timeZone }),
    ...(config.defaultOffset && { defaultOffset: config.defaultOffset }),
  };
}

/**
 * The HL7 v2 connector definition (contract v1): actions `sendMessage` and `sendContact` over a
 * persistent MLLP client, webhook `message` for HL7 over HTTP. Every instance (from
 * `hl7v2Connector.create` or {@link createHl7v2Connector}) closes its MLLP client in `close()`.
 */
export const hl7v2Connector = defineConnector({
  id: 'hl7v2',
  name: 'HL7 v2 (MLLP)',
  category: 'ehr',
  version: PACKAGE_VERSION,
  config: Hl7v2Config,
  auth: ['none', 'mtls'],
  setup(config): Hl7v2Context {
    let client: MllpClient | undefined;
    return {
      config,
      mapOptions: mapOptionsOf(config),
      client: () => {
        client ??= createMllpClient({
          host: config.host,
          port: config.port,
          timeoutMs: config.timeoutMs,
          ...(config.tls && { tls: config.tls }),
        });
        return client;
      },
      async closeClient() {
        const open = client;
        client = undefined;
        await open?.close();
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
  // The contract's close hook: runs in the instance's `close()`, whatever created the instance.
  async close(ctx) {
    await ctx.closeClient();
  },
  actions: { sendMessage, sendContact },
  webhooks: { message },
});

/** Options of `Hl7v2ConnectorInstance.listen` ({@link Hl7v2ConnectorInstance}). */
export interface Hl7ListenOptions {
  port?: number;
  host?: string;
  tls?: tls.TlsOptions;
  maxMessageBytes?: number;
  /** See `MllpServerOptions`: open connections at once. Default 100. */
  maxConnections?: number;
  /** See `MllpServerOptions`: close a silent connection after this long. Default 300 000 ms. */
  idleTimeoutMs?: number;
  /** See `MllpServerOptions`: a frame must end this long after it starts. Default 60 000 ms. */
  frameTimeoutMs?: number;
  /** See `MllpServerOptions`: bytes held across connections. Default 64 MiB. */
  maxBufferedBytes?: number;
  /** Timers for the timeouts (tests). */
  timers?: MllpTimers;
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
};

/**
 * Creates the HL7 v2 connector: `actions.sendMessage({ message })` and
 * `actions.sendContact({ contact, trigger })` over a persistent MLLP client (reconnecting, one
 * message in flight, ACK matched by MSA-2), `webhooks.message` for HL7 over HTTP, and `listen()`
 * for inbound MLLP. Throws a ConfigError naming the bad field (a missing `timeZone` included).
 */
export function createHl7v2Connector(config: Hl7v2ConfigInput, options?: ConnectorInstanceOptions): Hl7v2ConnectorInstance {
  const instance = hl7v2Connector.create(config, options);
  const mapOptions = mapOptionsOf(Hl7v2Config.parse(config));
  return Object.assign(instance, {
    listen(listenOptions: Hl7ListenOptions) {
      const { onEvent, ...serverOptions } = listenOptions;
      return startMllpServer({
        ...serverOptions,
        telemetry: instance.telemetry,
        async onMessage(received) {
          const mapped = mapHl7Message(received, mapOptions);
          await onEvent(toInboundEvent(received, mapped), received);
        },
      });
    },
  });
}
