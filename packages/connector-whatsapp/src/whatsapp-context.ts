import { type ConsentGate, connectorKit, type HttpClient, type KeywordClassifier } from '@hmi/core';
import type { UsageGate } from '@hmi/connector-meta/graph';
import type { WhatsAppConfig } from './whatsapp-config.js';

/** What every action, stream and webhook of the WhatsApp connector receives (built once per instance). */
export interface WhatsAppContext {
  connector: string;
  http: HttpClient;
  config: WhatsAppConfig;
  usage: UsageGate;
  /** The configured Graph origin: `paging.next` is followed only there. */
  origin: string;
  gate: ConsentGate;
  /** The shared Arabic/English keyword list plus the config's words and WhatsApp's "Stop promotions". */
  keywords: KeywordClassifier;
  /** The clock, ms since the epoch. */
  now: () => number;
}

/** `action`, `stream` and `webhook` bound to {@link WhatsAppContext}. */
export const whatsAppKit = connectorKit<WhatsAppContext>();
