import { HmiError, isHmiError } from '@hmi/core';

/**
 * Wraps an error thrown by user code (an `onMessage` handler) so that it can be reported without
 * its message: that message may quote patient data. HmiErrors are kept as the cause (they are
 * patient-data free by contract); anything else is reduced to its class name.
 */
export function handlerFailure(error: unknown, operation: string): HmiError {
  const kind = error instanceof Error ? error.name : typeof error;
  return new HmiError(`${operation} handler failed (${kind.replace(/[^\w.-]/g, '').slice(0, 40)})`, {
    code: 'hl7_handler_failed',
    connector: 'hl7v2',
    operation,
    retryable: false,
    ...(isHmiError(error) && { cause: error }),
  });
}
