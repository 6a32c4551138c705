import { connectorKit } from '@hmi/core';
import type { KeyObject } from 'node:crypto';
import type { ConsentGate, HttpClient } from '@hmi/core';
import type { SendGridAddress } from './emails/mail-body.js';

/** What every SendGrid action and webhook receives (built once per connector instance). */
export interface SendGridContext {
  http: HttpClient;
  from: SendGridAddress;
  gate: ConsentGate;
  /** The parsed Event Webhook key, when configured. */
  publicKey: KeyObject | undefined;
  /** True when a key was configured but could not be read as a P-256 public key. */
  publicKeyInvalid: boolean;
  toleranceSec: number;
  connector: string;
  /** The clock used for signature tolerance checks. */
  now: () => Date;
}

/**
 * `action`, `stream` and `webhook` bound to {@link SendGridContext}, so no action, stream or webhook
 * of this connector repeats its context type.
 */
export const sendGridKit = connectorKit<SendGridContext>();
