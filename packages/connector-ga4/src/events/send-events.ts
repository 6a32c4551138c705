import { ConfigError, connectorKit, phi, ValidationError } from '@hmi/core';
import { z } from 'zod';
import type { Ga4Context } from '../ga4-context.js';
import { validateMeasurementProtocolBody } from './mp-validation.js';

const ParamValue = z.union([z.string().max(500), z.number(), z.boolean()]);
const Item = z.record(z.string(), ParamValue);

/** One Measurement Protocol event. Parameters pass the PHI firewall before anything is sent. */
export const Ga4Event = z.object({
  name: z.string().min(1).max(40),
  params: z.record(z.string(), z.union([ParamValue, z.array(Item).max(200)])).optional(),
});
/** One Measurement Protocol event. */
export type Ga4Event = z.infer<typeof Ga4Event>;

/** Input of `sendEvents`: a client id (the `_ga` cookie's) or a user id, and up to 25 events. */
export const SendEventsInput = z
  .object({
    clientId: phi(z.string().min(1).max(256)).optional(),
    /** Your user id; the firewall replaces it by an HMAC with the host secret, or drops it. */
    userId: phi(z.string().min(1).max(256)).optional(),
    events: z.array(Ga4Event).min(1).max(25),
    userProperties: z.record(z.string(), z.object({ value: ParamValue })).optional(),
    /** When the events happened (µs since the epoch); up to 72 h back. */
    timestampMicros: z.number().int().positive().optional(),
    nonPersonalizedAds: z.boolean().optional(),
  })
  .refine((input) => input.clientId !== undefined || input.userId !== undefined, {
    message: 'give clientId or userId',
    path: ['clientId'],
  });
/** Input of `sendEvents`. */
export type SendEventsInput = z.input<typeof SendEventsInput>;

/** What `sendEvents` did: counts only, never the removed values. */
export const SendEventsResult = z.object({
  /** False in the firewall's `report` mode: nothing was sent. */
  sent: z.boolean(),
  mode: z.enum(['enforce', 'report']),
  events: z.number().int(),
  /** Removals by kind. */
  removed: z.record(z.string(), z.number()),
  total: z.number().int(),
});
/** What `sendEvents` did. */
export type SendEventsResult = z.infer<typeof SendEventsResult>;

const { action } = connectorKit<Ga4Context>();

/**
 * Sends events with the Measurement Protocol (`POST /mp/collect?measurement_id=…&api_secret=…`),
 * always through the PHI firewall: what reaches Google is the cleaned body. The cleaned body is
 * then checked against the documented limits (the `/debug/mp/collect` rules) and refused with a
 * ValidationError (paths and codes, no values) before sending. Google answers 2xx whatever it
 * accepts, and does not deduplicate, so a failed send is not retried unless Google refused it
 * outright (`notProcessed`); otherwise the error says `outcomeUnknown`.
 */
export const sendEvents = action({
  description: 'Send GA4 Measurement Protocol events through the PHI firewall',
  idempotent: false,
  input: SendEventsInput,
  output: SendEventsResult,
  async run(input, ctx, call) {
    const { measurementId, apiSecret } = ctx.config;
    if (!measurementId || !apiSecret) {
      throw new ConfigError('sendEvents needs measurementId and apiSecret', {
        issues: [
          {
            path: [measurementId ? 'apiSecret' : 'measurementId'],
            code: 'required',
            message: 'required for the Measurement Protocol',
          },
        ],
      });
    }
    const body = {
      ...(input.clientId !== undefined && { client_id: input.clientId }),
      ...(input.userId !== undefined && { user_id: input.userId }),
      ...(input.timestampMicros !== undefined && { timestamp_micros: input.timestampMicros }),
      ...(input.nonPersonalizedAds !== undefined && { non_personalized_ads: input.nonPersonalizedAds }),
      ...(input.userProperties && { user_properties: input.userProperties }),
      events: input.events.map((e) => ({ name: e.name, ...(e.params && { params: e.params }) })),
    };
    const verdict = ctx.firewall.apply(body, { telemetry: ctx.telemetry, connector: 'ga4', operation: 'sendEvents' });
    const summary = { mode: verdict.mode, events: input.events.length, removed: verdict.removed, total: verdict.total };
    if (!verdict.forward) return { sent: false, ...summary };
    const cleaned = verdict.event as Record<string, unknown>;
    // A user id the firewall dropped leaves no identity: GA needs a client id then.
    if (cleaned.client_id === undefined && cleaned.user_id !== undefined) cleaned.client_id = cleaned.user_id;
    const messages = validateMeasurementProtocolBody(cleaned);
    if (messages.length > 0) {
      throw new ValidationError(
        `Measurement Protocol body refused: ${messages.map((m) => `${m.fieldPath} ${m.validationCode}`).join(', ')}`,
        {
          issues: messages.map((m) => ({ path: m.fieldPath.split('.'), code: m.validationCode, message: m.description })),
        },
      );
    }
    await ctx.mp.request({
      method: 'POST',
      path: '/mp/collect',
      query: { measurement_id: measurementId, api_secret: apiSecret },
      json: cleaned,
      responseType: 'text',
      operation: 'sendEvents',
      signal: call.signal,
    });
    return { sent: true, ...summary };
  },
});
