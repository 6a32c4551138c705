import { describe, expect, it } from 'vitest';
import { defineErrorMarker, HmiError, type HmiErrorOptions, isHmiError } from '@hmi/core';

/** Builds the class as a second installed copy of a package would: a distinct class, same name. */
function makeSurveyErrorClass() {
  const marker = defineErrorMarker('ClinicSurveyError');
  return class ClinicSurveyError extends HmiError {
    readonly [marker.marker] = true;
    constructor(message: string, options: HmiErrorOptions = {}) {
      super(message, { code: 'survey_error', ...options });
      this.name = 'ClinicSurveyError';
    }
    static override isInstance(error: unknown): error is ClinicSurveyError {
      return marker.is(error);
    }
  };
}

describe('defineErrorMarker', () => {
  it('isInstance holds across two copies of a subclass, where instanceof fails', () => {
    const CopyA = makeSurveyErrorClass();
    const CopyB = makeSurveyErrorClass();
    const error = new CopyA('survey failed');
    expect(error instanceof CopyB).toBe(false);
    expect(CopyB.isInstance(error)).toBe(true);
    expect(isHmiError(error)).toBe(true);
  });

  it('does not match other errors or other names', () => {
    const Survey = makeSurveyErrorClass();
    expect(Survey.isInstance(new HmiError('x'))).toBe(false);
    expect(Survey.isInstance(new Error('x'))).toBe(false);
    expect(Survey.isInstance(null)).toBe(false);
    expect(defineErrorMarker('Other').is(new Survey('x'))).toBe(false);
  });
});
