// Regression suite over 850 real HL7 v2 messages from seven public projects (shared/corpora,
// provenance in its SOURCES.md): every mapper change runs it. Invariants, not hand-written
// expectations, plus a snapshot of the counts so that any change in what maps is seen in review.
import { isHmiError } from '@hmi/core';
import { describe, expect, it } from 'vitest';
import { Hl7ParseError, type Hl7MappedMessage, mapHl7Message, parseHl7 } from '../src/index.js';
import { hl7Corpus } from './specs.js';

const corpus = hl7Corpus();
const E164 = /^\+[1-9]\d{6,14}$/;

interface Outcome {
  name: string;
  mapped?: Hl7MappedMessage;
  parseError?: string;
  mappingError?: string;
}

// US sources mostly; the zone only places local times, the invariants hold for any zone.
const outcomes: Outcome[] = corpus.map(({ name, bytes }) => {
  let msg: ReturnType<typeof parseHl7>;
  try {
    msg = parseHl7(bytes);
  } catch (error) {
    if (!Hl7ParseError.isInstance(error)) throw error;
    return { name, parseError: error.reason };
  }
  try {
    return { name, mapped: mapHl7Message(msg, { timeZone: 'America/New_York', defaultRegion: 'US' }) };
  } catch (error) {
    // Only typed errors: a crash (TypeError) fails the suite here.
    if (!isHmiError(error)) throw error;
    return { name, mappingError: error.code };
  }
});

describe(`HL7 v2 corpus (${corpus.length} messages)`, () => {
  it('is the corpus the suite was written for', () => {
    expect(corpus.length).toBe(850);
  });

  it('counts per outcome and kind (snapshot)', () => {
    const counts: Record<string, number> = {};
    for (const o of outcomes) {
      const key = o.parseError
        ? `parse-error:${o.parseError}`
        : o.mappingError
          ? `mapping-error:${o.mappingError}`
          : `${o.mapped!.kind}:${o.mapped!.trigger}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    expect(Object.fromEntries(Object.entries(counts).sort())).toMatchSnapshot();
  });

  it('never produces HL7 null "" as text, anywhere in any mapped record', () => {
    const offenders = outcomes.filter((o) => o.mapped && JSON.stringify(o.mapped).includes('\\"\\"'));
    expect(offenders.map((o) => o.name)).toEqual([]);
  });

  it('no empty patient: every mapped patient has an identifier, a name or a phone', () => {
    const empty = outcomes.filter(
      (o) =>
        o.mapped?.kind === 'patient' &&
        o.mapped.contact.identifiers.length === 0 &&
        o.mapped.contact.names.length === 0 &&
        o.mapped.contact.phones.length === 0,
    );
    expect(empty.map((o) => o.name)).toEqual([]);
  });

  it('every phone is E.164, or reported as an issue (never silently dropped or kept raw)', () => {
    let phones = 0;
    for (const o of outcomes) {
      const m = o.mapped;
      if (!m || (m.kind !== 'patient' && m.kind !== 'appointment')) continue;
      const contact = m.kind === 'patient' ? m.contact : m.patient;
      for (const p of [...(contact?.phones ?? []), ...(contact?.relatedPersons ?? []).flatMap((r) => r.phones)]) {
        phones++;
        expect(p.value).toMatch(E164);
      }
    }
    expect(phones).toBeGreaterThanOrEqual(30); // 32 in this corpus: the assertion above really ran
  });

  it('every time carries an offset (the facility zone applied, never a bare local time)', () => {
    const ISO_WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;
    for (const o of outcomes) {
      const m = o.mapped;
      if (m?.kind === 'appointment') {
        for (const t of [m.appointment.start, m.appointment.end]) if (t) expect(t).toMatch(ISO_WITH_OFFSET);
      }
      if (m?.kind === 'patient' && m.contact.updatedAt) expect(m.contact.updatedAt).toMatch(ISO_WITH_OFFSET);
    }
  });

  it('the canonical update agrees with the contact and validates', () => {
    for (const o of outcomes) {
      if (o.mapped?.kind !== 'patient') continue;
      const { contact, update } = o.mapped;
      expect(update.identifiers).toEqual(contact.identifiers);
      if (Array.isArray(update.phones)) expect(update.phones).toEqual(contact.phones);
      if (update.phones === null) expect(contact.phones).toEqual([]);
    }
  });
});
