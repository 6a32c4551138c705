import { canonicalPhiKeys, collectMarkedKeys } from '@hmi/core/internal';
import * as schemas from '@hmi/core/schemas';
import { describe, expect, it } from 'vitest';

describe('the canonical PHI keys the redactor uses', () => {
  it('are exactly the keys the zod model marks with phi()', () => {
    const walked = new Set<string>();
    for (const schema of [
      schemas.Contact,
      schemas.ContactUpdate,
      schemas.Consent,
      schemas.Appointment,
      schemas.Condition,
      schemas.Invoice,
      schemas.Payment,
      schemas.Employee,
      schemas.Message,
      schemas.CallRecord,
      schemas.Lead,
    ]) {
      collectMarkedKeys(schema, 'phi', walked);
    }
    expect([...canonicalPhiKeys()].sort()).toEqual([...walked].sort());
  });
});
