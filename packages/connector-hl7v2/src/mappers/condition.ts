import { Condition } from '@hmi/core/schemas';
import type { Hl7Message } from '../parser/message.js';
import { codings, hl7DateTime, type Hl7MapOptions, type Hl7MappingIssue, value } from './datatypes.js';

const VERIFICATION: Record<string, Condition['verificationStatus']> = {
  F: 'confirmed',
  W: 'provisional',
  A: 'provisional',
};

/**
 * One Condition per DG1: DG1-3 codings (system from DG1-3.3, else the deprecated DG1-2), text
 * from DG1-4 or the code's text, onset DG1-5, verification from DG1-6 (F confirmed, W/A
 * provisional; action code D in DG1-21 → entered-in-error), recorded date DG1-19, id DG1-20.
 */
export function dg1ToConditions(msg: Hl7Message, options: Hl7MapOptions = {}, issues: Hl7MappingIssue[] = []): Condition[] {
  const out: Condition[] = [];
  const count = msg.count('DG1');
  for (let i = 1; i <= count; i++) {
    const dg1 = `DG1[${i}]`;
    const code = codings(msg.repetitions(`${dg1}-3`)[0], value(msg, `${dg1}-2`) ?? '');
    const text = value(msg, `${dg1}-4`) ?? code[0]?.display;
    if (code.length === 0 && !text) {
      issues.push({ path: `${dg1}-3`, reason: 'diagnosis_without_code' });
      continue;
    }
    const action = (value(msg, `${dg1}-21`) ?? '').toUpperCase();
    const verificationStatus = action === 'D' ? 'entered-in-error' : VERIFICATION[(value(msg, `${dg1}-6`) ?? '').toUpperCase()];
    const onset = hl7DateTime(msg.get(`${dg1}-5.1`), options);
    const recordedDate = hl7DateTime(msg.get(`${dg1}-19.1`), options);
    const id = value(msg, `${dg1}-20.1`);
    const setId = value(msg, `${dg1}-1`) ?? String(i);
    out.push(
      Condition.parse({
        ...(id && { id }),
        ...(msg.controlId && { source: { system: 'hl7v2', id: `${msg.controlId}/DG1/${setId}` } }),
        code,
        ...(text && { text }),
        ...(verificationStatus && { verificationStatus }),
        category: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }],
        ...(onset && { onset }),
        ...(recordedDate && { recordedDate }),
      }),
    );
  }
  return out;
}
