import { formatIssues, type StreamPage, toValidationIssues, ValidationError } from '@hmi/core';
import type { Appointment, Condition, Contact } from '@hmi/core';
import type { FhirConnector } from '../fhir-connector.js';
import type { FhirCheckpoint } from '../search/incremental.js';
import { FHIR_STREAMS, type FhirStreamName, FhirSubscriptionNotification } from './subscription.js';

/** The record type of each FHIR stream. */
export interface FhirStreamRecords {
  patients: Contact;
  conditions: Condition;
  appointments: Appointment;
}

/** One page of {@link readAfterNotification}: which stream it came from, its records and checkpoint. */
export type NotificationReadPage = {
  [K in FhirStreamName]: { stream: K } & StreamPage<FhirStreamRecords[K], FhirCheckpoint>;
}[FhirStreamName];

/**
 * Runs the incremental reads a Subscription notification asks for: for each stream the event
 * names, a read from that stream's saved checkpoint. Save each page's checkpoint under its
 * `stream` as you go. `event` is one returned by the connector's `subscription` webhook. The notification's own content is never used as data: the records come
 * from the server, validated, as in any incremental read.
 */
export async function* readAfterNotification(
  connector: FhirConnector,
  event: { data: unknown },
  checkpoints: Partial<Record<FhirStreamName, FhirCheckpoint | undefined>> = {},
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<NotificationReadPage> {
  const parsed = FhirSubscriptionNotification.safeParse(event.data);
  if (!parsed.success) {
    const issues = toValidationIssues(parsed.error);
    throw new ValidationError(`not a FHIR subscription notification event: ${formatIssues(issues)}`, { issues });
  }
  const wanted = new Set(parsed.data.streams);
  for (const name of FHIR_STREAMS) {
    if (!wanted.has(name)) continue;
    const handle = connector.streams[name] as unknown as {
      read(o: { checkpoint?: FhirCheckpoint; signal?: AbortSignal }): AsyncIterable<StreamPage<never, FhirCheckpoint>>;
    };
    const checkpoint = checkpoints[name];
    for await (const page of handle.read({
      ...(checkpoint !== undefined && { checkpoint }),
      ...(options.signal && { signal: options.signal }),
    })) {
      yield { stream: name, ...page } as NotificationReadPage;
    }
  }
}
