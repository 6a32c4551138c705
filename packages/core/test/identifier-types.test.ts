import { describe, expect, it } from 'vitest';
import { identifierCodeFor, identifierTypeFromCode } from '@hmi/core';

describe('identifier type vocabulary (HL7 table 0203, shared by HL7 and FHIR)', () => {
  it('maps the codes real senders use', () => {
    expect(identifierTypeFromCode('MR')).toBe('mrn');
    expect(identifierTypeFromCode('ss')).toBe('national-id');
    expect(identifierTypeFromCode('NNSAU')).toBe('national-id');
    expect(identifierTypeFromCode('DL')).toBe('driver-license');
    expect(identifierTypeFromCode('PPN')).toBe('passport');
    expect(identifierTypeFromCode('PRC')).toBe('iqama');
    expect(identifierTypeFromCode('MB')).toBe('insurance');
    expect(identifierTypeFromCode('XX')).toBeUndefined();
    expect(identifierTypeFromCode('')).toBeUndefined();
  });

  it('writes back the code an identifier was read with, else the kind default', () => {
    expect(identifierCodeFor({ type: 'national-id', code: 'SS' })).toBe('SS');
    expect(identifierCodeFor({ type: 'national-id' })).toBe('NI');
    expect(identifierCodeFor({ type: 'national-id', code: 'MR' })).toBe('NI'); // a code that contradicts the kind
    expect(identifierCodeFor({ type: 'driver-license' })).toBe('DL');
    expect(identifierCodeFor({ type: 'other', code: 'XX' })).toBe('XX');
    expect(identifierCodeFor({ type: 'other' })).toBeUndefined();
  });
});
