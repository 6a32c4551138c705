import { ValidationError } from '@hmi/core';

/** The message lacks what the mapping needs (a PID, an SCH); names the segment, never values. */
export function mappingError(what: string, path: string): ValidationError {
  return new ValidationError(`HL7 message cannot be mapped: ${what}`, {
    code: 'hl7_mapping_error',
    connector: 'hl7v2',
    issues: [{ path: [path], code: 'hl7_mapping_error', message: what }],
  });
}
