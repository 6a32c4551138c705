import { createHash, randomUUID } from 'node:crypto';
import {
  timingSafeEqualString,
  ValidationError,
  type WebhookDefinition,
  type WebhookEvent,
  WebhookVerificationError,
  webhook,
} from '@hmi/core';
import { z } from 'zod';
import type { FhirContext } from '../fhir-context.js';

/** The streams a notification can ask the host to read. */
export const FHIR_STREAMS = ['patients', 'conditions', 'appointments'] as const;
/** A stream of the FHIR connector. */
export type FhirStreamName = (typeof FHIR_STREAMS)[number];

const STREAM_OF: Readonly<Record<string, FhirStreamName>> = {
  Patient: 'patients',
  Condition: 'conditions',
  Appointment: 'appointments',
};

/** Resource types that describe the notification itself, not a changed record. */
const ENVELOPE_TYPES = new Set(['Subscription', 'SubscriptionStatus', 'Parameters', 'OperationOutcome', 'Bundle']);

/** The event type of a Subscription notification. */
export const FHIR_NOTIFICATION_EVENT = 'fhir.subscription.notification';

/**
 * What a Subscription notification tells the host: which streams to read incrementally. It holds
 * resource types and `Type/id` references only — no resource content, so no patient data.
 */
export interface FhirSubscriptionNotification {
  /** Resource types named by the notification (empty for an empty-body ping). */
  resourceTypes: string[];
  /** The streams to run an incremental read on (all three for a ping that names nothing). */
  streams: FhirStreamName[];
  /** `Type/id` of the resources the notification carried or referenced. */
  references: string[];
}

/** Schema of {@link FhirSubscriptionNotification} (used to check an event handed back to the connector). */
export const FhirSubscriptionNotification: z.ZodType<FhirSubscriptionNotification> = z.object({
  resourceTypes: z.array(z.string()),
  streams: z.array(z.enum(FHIR_STREAMS)),
  references: z.array(z.string()),
});

const Resourceish = z.looseObject({
  resourceType: z.string(),
  id: z.string().optional(),
  meta: z.looseObject({ versionId: z.string().optional() }).optional(),
});
const Body = z.union([
  z.looseObject({
    resourceType: z.literal('Bundle'),
    id: z.string().optional(),
    entry: z.array(z.looseObject({ fullUrl: z.string().optional(), resource: Resourceish.optional() })).optional(),
  }),
  Resourceish,
]);

function checkSecret(headers: Headers, config: FhirContext['config']['subscription']): void {
  const secret = config?.secret;
  if (!secret) return;
  const value = headers.get(config.header)?.trim();
  if (!value) throw new WebhookVerificationError(`notification has no ${config.header} header`);
  const bare = /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, '') : value;
  if (!timingSafeEqualString(bare, secret))
    throw new WebhookVerificationError(`notification ${config.header} header does not match`);
}

function referenceOf(fullUrl: string | undefined): { type: string; id: string } | undefined {
  const match = fullUrl ? /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(fullUrl) : null;
  return match ? { type: match[1]!, id: match[2]! } : undefined;
}

/**
 * Accepts an R4 Subscription rest-hook notification (POST or PUT; an empty body, a Bundle, or the
 * changed resource itself). When `subscription.secret` is configured, the header set in the
 * Subscription's `channel.header` must carry it (`Authorization: Bearer <secret>` by default).
 * Returns one event telling the host which streams to read from their checkpoints (see
 * `readAfterNotification`); the notification's content is never trusted or passed on.
 */
export const subscriptionWebhook: WebhookDefinition<FhirContext> = webhook<FhirContext>({
  description: 'FHIR R4 Subscription rest-hook notification → incremental read',
  async verify(request, ctx): Promise<WebhookEvent<FhirSubscriptionNotification>[]> {
    const method = request.method.toUpperCase();
    if (method !== 'POST' && method !== 'PUT') throw new WebhookVerificationError(`notification method ${method} not accepted`);
    checkSecret(request.headers, ctx.config.subscription);
    const text = new TextDecoder().decode(request.rawBody).trim();
    const references: Array<{ type: string; id: string }> = [];
    let eventId: string | undefined;
    if (text.length > 0) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new ValidationError('notification body is not JSON', { code: 'invalid_payload' });
      }
      const parsed = Body.safeParse(json);
      if (!parsed.success) throw new ValidationError('notification body is not a FHIR resource', { code: 'invalid_payload' });
      const body = parsed.data;
      if (body.resourceType === 'Bundle' && 'entry' in body) {
        eventId = body.id ? `Bundle/${body.id}` : undefined;
        for (const entry of (body.entry as Array<{ fullUrl?: string; resource?: z.infer<typeof Resourceish> }>) ?? []) {
          const ref = entry.resource
            ? entry.resource.id
              ? { type: entry.resource.resourceType, id: entry.resource.id }
              : undefined
            : referenceOf(entry.fullUrl);
          if (ref) references.push(ref);
          else if (entry.resource) references.push({ type: entry.resource.resourceType, id: '' });
        }
      } else {
        const resource = body as z.infer<typeof Resourceish>;
        references.push({ type: resource.resourceType, id: resource.id ?? '' });
        if (resource.id && resource.meta?.versionId)
          eventId = `${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;
      }
      eventId ??= `sha256:${createHash('sha256').update(request.rawBody).digest('hex')}`;
    }
    const changed = references.filter((r) => !ENVELOPE_TYPES.has(r.type));
    const resourceTypes = [...new Set(changed.map((r) => r.type))];
    const streams =
      resourceTypes.length === 0 ? [...FHIR_STREAMS] : [...new Set(resourceTypes.flatMap((t) => STREAM_OF[t] ?? []))];
    return [
      {
        id: eventId ?? `ping:${randomUUID()}`,
        type: FHIR_NOTIFICATION_EVENT,
        occurredAt: new Date().toISOString(),
        data: {
          resourceTypes,
          streams,
          references: changed.filter((r) => r.id).map((r) => `${r.type}/${r.id}`),
        },
      },
    ];
  },
});
