import { z } from 'zod';
import { CurrencyCode, IsoDateTime, Recipient, SourceRef } from './common.js';
import { phi } from './registry.js';

/** Money as an integer in the currency's minor unit (halalas, fils, cents) plus the currency. */
export const Money = z.object({
  /** Integer amount in minor units: 150.5 SAR is 15050, 1.234 KWD is 1234. */
  amountMinor: z.number().int(),
  currency: CurrencyCode,
});
/** Money in minor units. */
export type Money = z.infer<typeof Money>;

/** An invoice line. */
export const InvoiceLine = z.object({
  description: phi(z.string()).optional(),
  quantity: z.number().default(1),
  unitAmountMinor: z.number().int(),
  totalMinor: z.number().int(),
});
/** One line of an invoice. */
export type InvoiceLine = z.infer<typeof InvoiceLine>;

/** An invoice (ERP, Stripe). */
export const Invoice = z.object({
  id: z.string().optional(),
  source: SourceRef.optional(),
  number: z.string().optional(),
  contactId: z.string().optional(),
  status: z.enum(['draft', 'open', 'paid', 'void', 'uncollectible', 'partially_paid']),
  currency: CurrencyCode,
  totalMinor: z.number().int(),
  amountDueMinor: z.number().int().optional(),
  amountPaidMinor: z.number().int().optional(),
  lines: z.array(InvoiceLine).default([]),
  issuedAt: IsoDateTime.optional(),
  dueAt: IsoDateTime.optional(),
  updatedAt: IsoDateTime.optional(),
});
/** An invoice. */
export type Invoice = z.infer<typeof Invoice>;

/**
 * How a patient paid, as the processor reports it: a card scheme (`mada`, `visa`, `mastercard`,
 * `amex`), a wallet (`applepay`, `stcpay`, …) or a local debit network (`knet`, `benefit`, …).
 * `card` is a card whose scheme the processor did not name.
 */
export const PaymentMethod = z.enum([
  'card',
  'mada',
  'visa',
  'mastercard',
  'amex',
  'applepay',
  'googlepay',
  'samsungpay',
  'stcpay',
  'knet',
  'benefit',
  'benefitpay',
  'omannet',
  'naps',
  'fawry',
  'meeza',
  'sadad',
  'bank_transfer',
  'cash',
  'other',
]);
/** How a patient paid. */
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/** A patient payment, refund or dispute state. */
export const Payment = z.object({
  id: z.string(),
  source: SourceRef.optional(),
  contactId: z.string().optional(),
  invoiceId: z.string().optional(),
  status: z.enum([
    'pending',
    'requires_action',
    'processing',
    'succeeded',
    'failed',
    'canceled',
    'refunded',
    'partially_refunded',
    'disputed',
  ]),
  amountMinor: z.number().int(),
  currency: CurrencyCode,
  refundedMinor: z.number().int().optional(),
  /**
   * How the patient paid: a {@link PaymentMethod} value where the processor says which (Moyasar,
   * Tap); other connectors may report their own method names (Stripe's `payment_method_types`).
   */
  method: z.string().optional(),
  /** The processor's fees for this payment (VAT included where the processor includes it), minor units. */
  feeMinor: z.number().int().nonnegative().optional(),
  /** The processor's failure or decline code, never card data. */
  failureCode: z.string().optional(),
  receiptEmail: phi(z.string()).optional(),
  createdAt: IsoDateTime.optional(),
  updatedAt: IsoDateTime.optional(),
});
/** A patient payment. */
export type Payment = z.infer<typeof Payment>;

/** A member of staff (the marketing team, from the ERP). */
export const Employee = z.object({
  id: z.string().optional(),
  source: SourceRef.optional(),
  name: phi(z.string()),
  jobTitle: z.string().optional(),
  department: z.string().optional(),
  workEmail: phi(z.string()).optional(),
  workPhone: phi(z.string()).optional(),
  active: z.boolean().default(true),
  updatedAt: IsoDateTime.optional(),
});
/** A member of staff. */
export type Employee = z.infer<typeof Employee>;

/** A marketing campaign (ads, email, SMS). */
export const Campaign = z.object({
  id: z.string(),
  source: SourceRef.optional(),
  name: z.string(),
  channel: z.enum(['social', 'ads', 'email', 'sms', 'web', 'other']),
  status: z.enum(['draft', 'scheduled', 'active', 'paused', 'completed', 'archived']),
  objective: z.string().optional(),
  budget: z.object({ amountMinor: z.number().int(), currency: CurrencyCode }).optional(),
  startAt: IsoDateTime.optional(),
  endAt: IsoDateTime.optional(),
  updatedAt: IsoDateTime.optional(),
});
/** A marketing campaign. */
export type Campaign = z.infer<typeof Campaign>;

/** A post on a social platform. */
export const SocialPost = z.object({
  id: z.string(),
  source: SourceRef.optional(),
  platform: z.enum(['facebook', 'instagram', 'x', 'linkedin', 'youtube', 'tiktok', 'other']),
  text: z.string().optional(),
  language: z.string().optional(),
  url: z.string().optional(),
  status: z.enum(['draft', 'scheduled', 'published', 'failed', 'deleted']),
  publishedAt: IsoDateTime.optional(),
  scheduledAt: IsoDateTime.optional(),
});
/** A post on a social platform. */
export type SocialPost = z.infer<typeof SocialPost>;

/** One engagement figure for a post, page or campaign over a period. */
export const EngagementMetric = z.object({
  subjectId: z.string(),
  subjectType: z.enum(['post', 'page', 'campaign', 'message', 'ad']),
  metric: z.string(),
  value: z.number(),
  /** The unit of `value` when it is not a count: an ISO 4217 currency for spend and costs (major units). */
  unit: z.string().optional(),
  periodStart: IsoDateTime.optional(),
  periodEnd: IsoDateTime.optional(),
  source: SourceRef.optional(),
});
/** One engagement figure. */
export type EngagementMetric = z.infer<typeof EngagementMetric>;

/** A web analytics report: dimension and metric headers with rows of values. */
export const AnalyticsReport = z.object({
  property: z.string(),
  dateRange: z.object({ start: z.string(), end: z.string() }),
  dimensions: z.array(z.string()),
  metrics: z.array(z.string()),
  rows: z.array(z.object({ dimensions: z.array(z.string()), metrics: z.array(z.number()) })),
  source: SourceRef.optional(),
});
/** A web analytics report. */
export type AnalyticsReport = z.infer<typeof AnalyticsReport>;

/** Delivery status of a message, in the order a message normally moves through them. */
export const MessageStatus = z.enum([
  'scheduled',
  'queued',
  'accepted',
  'sending',
  'sent',
  'delivered',
  'read',
  'opened',
  'clicked',
  'undelivered',
  'failed',
  'bounced',
  'dropped',
  'deferred',
  'spam-reported',
  'received',
  'canceled',
]);
/** Delivery status of a message. */
export type MessageStatus = z.infer<typeof MessageStatus>;

/** An SMS or email, outbound or inbound, with its delivery status. */
export const Message = z.object({
  id: z.string(),
  source: SourceRef.optional(),
  /** `social`: a public mention, comment or direct message on a social platform (X, Facebook, Instagram). */
  channel: z.enum(['sms', 'email', 'whatsapp', 'voice', 'social']),
  direction: z.enum(['outbound', 'inbound']),
  purpose: z.enum(['transactional', 'marketing']).optional(),
  to: Recipient,
  from: z.string().optional(),
  subject: phi(z.string()).optional(),
  body: phi(z.string()).optional(),
  status: MessageStatus,
  contactId: z.string().optional(),
  /** SMS only: encoding and segment count, so cost is known before sending. */
  segments: z.object({ encoding: z.enum(['GSM-7', 'UCS-2']), segments: z.number().int(), units: z.number().int() }).optional(),
  errorCode: z.string().optional(),
  createdAt: IsoDateTime.optional(),
  updatedAt: IsoDateTime.optional(),
});
/** An SMS or email with its delivery status. */
export type Message = z.infer<typeof Message>;

/** The ITU-T Q.850 cause of a call's end: code (0–127) and name (e.g. `NORMAL_CLEARING`). */
export const CallHangupCause = z.object({ code: z.number().int().min(0).max(127), name: z.string().max(64) });
/** A Q.850 hangup cause. */
export type CallHangupCause = z.infer<typeof CallHangupCause>;

/** A phone call from the PBX or a cloud telephony provider. */
export const CallRecord = z.object({
  id: z.string(),
  source: SourceRef.optional(),
  direction: z.enum(['inbound', 'outbound', 'internal']),
  from: phi(z.string()),
  to: phi(z.string()),
  status: z.enum(['ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled']),
  startedAt: IsoDateTime.optional(),
  answeredAt: IsoDateTime.optional(),
  endedAt: IsoDateTime.optional(),
  /** Talk time in seconds: answered → ended (0 for a call never answered). */
  durationSec: z.number().nonnegative().optional(),
  /** Seconds before the call was answered (or before it ended, if never answered). */
  ringSec: z.number().nonnegative().optional(),
  /** Why the call ended: the ITU-T Q.850 cause code (16 normal clearing, 17 busy, …) and its name. */
  hangupCause: CallHangupCause.optional(),
  recordingUrl: phi(z.string()).optional(),
  /** True when the caller heard the recording announcement (consent to record), false when not; absent if unknown. */
  recordingConsent: z.boolean().optional(),
  contactId: z.string().optional(),
  agent: z.string().optional(),
  /** The campaign the call is attributed to (from the dialled tracking number). */
  campaignId: z.string().optional(),
  /** The tracking number that was dialled, E.164. A public marketing number, not PHI. */
  trackingNumber: z.string().optional(),
});
/** A phone call. */
export type CallRecord = z.infer<typeof CallRecord>;
