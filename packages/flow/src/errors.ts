import { HmiError, type HmiErrorOptions, type SerializedHmiError, isHmiError, defineErrorMarker } from '@hmi/core';

const sync = defineErrorMarker('SyncError');

/** Options of {@link SyncError}. */
export interface SyncErrorOptions extends HmiErrorOptions {
  /** The sync id. */
  syncId: string;
  /** Where it failed: reading a page, mapping, writing, or saving the checkpoint. */
  stage: SyncStage;
  /** Pages committed (written and checkpointed) by this run before the failure. */
  pagesCommitted: number;
  /** Records written by this run before the failure. */
  recordsWritten: number;
}

/** The step of a sync that failed. */
export type SyncStage = 'read' | 'map' | 'write' | 'checkpoint';

/**
 * A sync run gave up. The checkpoint stays at the last committed page, so running the sync again
 * resumes from there. `cause` is the last underlying error (an HmiError, or a scrubbed foreign one).
 */
export class SyncError extends HmiError {
  /** @internal */
  readonly [sync.marker] = true;
  readonly syncId: string;
  readonly stage: SyncStage;
  readonly pagesCommitted: number;
  readonly recordsWritten: number;
  constructor(message: string, options: SyncErrorOptions) {
    super(message, { code: 'sync_failed', ...options });
    this.name = 'SyncError';
    this.syncId = options.syncId;
    this.stage = options.stage;
    this.pagesCommitted = options.pagesCommitted;
    this.recordsWritten = options.recordsWritten;
  }
  /** True for a SyncError from any installed copy of `@hmi/flow`. */
  static override isInstance(error: unknown): error is SyncError {
    return sync.is(error);
  }
  override toJSON(): SerializedHmiError {
    return {
      ...super.toJSON(),
      syncId: this.syncId,
      stage: this.stage,
      pagesCommitted: this.pagesCommitted,
      recordsWritten: this.recordsWritten,
    };
  }
}

/**
 * The safe JSON of any error, for the dead-letter queue, audit and telemetry: `HmiError.toJSON()`
 * for hmi errors; for anything else only its class name, because a foreign error's message may
 * quote patient data (`new Error('no patient Aisha …')`).
 */
export function toSafeErrorJson(error: unknown): SerializedHmiError {
  if (isHmiError(error)) return error.toJSON();
  const kind = error instanceof Error ? error.name.replace(/[^\w]/g, '').slice(0, 40) || 'Error' : typeof error;
  return { name: 'HmiError', code: 'delivery_failed', message: `failed with ${kind}`, retryable: true };
}

/** Whether an error may heal on retry: an HmiError says so; a foreign error is assumed to. */
export function isRetryable(error: unknown): boolean {
  return isHmiError(error) ? error.retryable : true;
}
