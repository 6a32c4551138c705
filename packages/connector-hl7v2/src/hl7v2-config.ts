import type tls from 'node:tls';
import { secret } from '@hmi/core';
import { z } from 'zod';
import { isTimeZone } from './mappers/time-zone.js';

/** Configuration of the HL7 v2 connector. */
export const Hl7v2Config = z
  .object({
    /** The MLLP peer messages are sent to (the EHR's or interface engine's inbound port). */
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    /** Region for phone numbers without a country code (`SA`, `AE`, `EG`). */
    defaultRegion: z
      .string()
      .regex(/^[A-Za-z]{2}$/)
      .optional(),
    /**
     * The facility's time zone, an IANA name (`Asia/Riyadh`, `Asia/Dubai`, `Africa/Cairo`). HL7
     * times written without an offset (most of them) are wall-clock times there. Required (or the
     * older fixed `defaultOffset`): without it the connector refuses to start rather than read local
     * times as UTC.
     */
    timeZone: z.string().refine(isTimeZone, 'not an IANA time zone name (e.g. Asia/Riyadh)').optional(),
    /** A fixed UTC offset for HL7 times without one, e.g. `+03:00`. Prefer `timeZone` (it follows daylight saving). */
    defaultOffset: z
      .string()
      .regex(/^(Z|[+-]\d{2}:\d{2})$/)
      .optional(),
    /** Connect over TLS with these `node:tls` options (`ca`, `cert`, `key`, `servername`, …). */
    tls: z.custom<tls.ConnectionOptions>((v) => typeof v === 'object' && v !== null && !Array.isArray(v)).optional(),
    /** Time allowed for each ACK. Default 30 000 ms. */
    timeoutMs: z.number().int().positive().default(30_000),
    /** MSH-3/4 of messages this connector builds, and the expected receiver MSH-5/6. */
    sendingApplication: z.string().default('HMI'),
    sendingFacility: z.string().optional(),
    receivingApplication: z.string().optional(),
    receivingFacility: z.string().optional(),
    /** MSH-12 of messages this connector builds. Default `2.5.1`. */
    version: z.string().default('2.5.1'),
    /**
     * When set, HL7-over-HTTP deliveries to the `message` webhook must carry it in the
     * `x-hl7-token` header (or as a bearer token).
     */
    webhookToken: secret(z.string().min(16)).optional(),
  })
  .superRefine((config, ctx) => {
    if (config.timeZone === undefined && config.defaultOffset === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeZone'],
        message: "required: the facility's IANA time zone (e.g. Asia/Riyadh), applied to HL7 times without an offset",
      });
    }
  });

/** Configuration of the HL7 v2 connector, as written by callers. */
export type Hl7v2ConfigInput = z.input<typeof Hl7v2Config>;
/** Configuration of the HL7 v2 connector, validated. */
export type Hl7v2ConfigOutput = z.output<typeof Hl7v2Config>;
