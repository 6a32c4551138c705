import { connectorKit } from '@hmi/core';
import { Condition } from '@hmi/core/schemas';
import type { FhirContext } from '../fhir-context.js';
import { CONDITION_ELEMENTS, fhirConditionToCondition } from '../mappers/condition.js';
import { FhirCheckpoint, readIncremental } from '../search/incremental.js';

const { stream } = connectorKit<FhirContext>();

/** FHIR Conditions, incremental by `_lastUpdated` and resumable from its checkpoint. */
export const conditions = stream({
  description: 'FHIR Conditions, by _lastUpdated',
  record: Condition,
  checkpoint: FhirCheckpoint,
  read: (ctx, { checkpoint, signal }) =>
    readIncremental(
      ctx,
      { resourceType: 'Condition', elements: CONDITION_ELEMENTS, map: (r) => fhirConditionToCondition(r as never, ctx.map) },
      checkpoint,
      signal,
    ),
});
