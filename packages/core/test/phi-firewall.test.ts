import { ConfigError, createPhiFirewall, createTelemetry, phi } from '@hmi/core';
import fc from 'fast-check';
import { fictionalPatient, leakedKinds } from '@hmi/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// Canaries: fictional patient data of each kind the firewall must stop.
const CANARIES = { ...fictionalPatient, arabicName: 'فاطمة الحربي' };
const NAMES = [CANARIES.name, CANARIES.arabicName];

/** The kinds of canary in a value: raw, JSON-escaped, percent-encoded or decoded, any case, name parts too. */
const leaks = (value: unknown): string[] => leakedKinds([value], CANARIES, { ignoreCase: true, wordParts: true });

describe('createPhiFirewall: default policy', () => {
  const firewall = createPhiFirewall({ knownNames: NAMES });

  it('strips queries, fragments and identifier segments from URLs but keeps the page', () => {
    const { event, removed } = firewall.apply({
      page_location: `https://hospital.sa/ar/cardiology/patients/fatima-alharbi/results/${CANARIES.mrn}?email=${encodeURIComponent(CANARIES.email)}#tab`,
      page_referrer: `https://search.example/q/${CANARIES.saudiId}`,
    });
    expect(event.page_location).toBe('https://hospital.sa/ar/cardiology/patients/:id/results/:id');
    expect(event.page_referrer).toBe('https://search.example/q/:id');
    expect(removed.urlQuery).toBe(1);
    expect(removed.urlFragment).toBe(1);
    expect(removed.urlSegment).toBe(3);
    expect(leaks(event)).toEqual([]);
  });

  it('removes each identifier kind from free text, including Arabic-Indic digits and spaced phones', () => {
    const inputs = [
      `call ${CANARIES.phone} today`,
      'هاتف +٩٦٦٥٥٥١٢٣٤٥٦',
      'tel +20 100 123 4567',
      '(055) 512-3456',
      `id ${CANARIES.egyptId}`,
      `nid ${CANARIES.saudiId}`,
      `mail ${CANARIES.email}`,
      'record 3f2b8c1e-9d4a-4f6b-8e2c-1a2b3c4d5e6f',
      'MRN-4521',
      `${CANARIES.arabicName} حجزت موعد`,
    ];
    const { event, removed } = firewall.apply({ notes: inputs });
    expect(event.notes.every((t: string) => t.includes('[redacted]'))).toBe(true);
    expect(event.notes.join(' ')).not.toMatch(/\d{5,}|[٠-٩]{5,}/u);
    expect(event.notes[0]).toBe('call [redacted] today');
    expect(removed.email).toBe(1);
    expect(removed.knownName).toBe(2);
    expect(leaks(event)).toEqual([]);
  });

  it('known names: parts of 3+ letters are removed, particles and hosts are left alone', () => {
    const firewall = createPhiFirewall({ knownNames: ['Noura Al-Otaibi', 'نورة العتيبي'] });
    const { event } = firewall.apply({
      page_location: 'https://hospital.example/en/noura-al-otaibi/x',
      note: 'Noura al otaibi called; also العتيبي',
    });
    expect(event.page_location).toBe('https://hospital.example/en/:id/x');
    expect(event.note).toBe('[redacted] al [redacted] called; also [redacted]');
  });

  it('cleans URLs inside free text', () => {
    const { event } = createPhiFirewall().apply({ note: 'see https://hospital.sa/en/results?patient=fatima and call' });
    expect(event.note).toBe('see https://hospital.sa/en/results and call');
  });

  it('drops titles unless a rule maps them to a category or they are allow-listed', () => {
    const strict = createPhiFirewall({
      titleCategories: [
        { path: /^\/(ar|en)\/doctors\//, category: 'Doctor profile' },
        { title: /oncology|أورام/i, category: 'Oncology' },
      ],
      allowTitles: ['Home', /^Book an appointment$/],
    });
    const apply = (page_title: string, page_location = 'https://hospital.sa/en/x') =>
      strict.apply({ page_title, page_location }).event.page_title;
    expect(apply('Dr. Sara Al-Qahtani — Hospital', 'https://hospital.sa/en/doctors/sara-al-qahtani')).toBe('Doctor profile');
    expect(apply('علاج الأورام')).toBe('Oncology');
    expect(apply('Home')).toBe('Home');
    expect(apply('Book an appointment')).toBe('Book an appointment');
    expect(apply('HIV test results for Fatima')).toBeUndefined();
  });

  it('hashes user ids with the host secret (stable, keyed) or drops them; drops IP and location', () => {
    const secret = 'host-secret-0123456789abcdef';
    const keyed = createPhiFirewall({ userIdSecret: secret });
    const a = keyed.apply({ user_id: CANARIES.mrn, ip_override: '203.0.113.7', user_location: { city: 'Riyadh' }, lat: 24.7 });
    const b = keyed.apply({ user_id: CANARIES.mrn });
    const other = createPhiFirewall({ userIdSecret: `${secret}x` }).apply({ user_id: CANARIES.mrn });
    expect(a.event.user_id).toMatch(/^[0-9a-f]{64}$/);
    expect(a.event.user_id).toBe(b.event.user_id);
    expect(other.event.user_id).not.toBe(a.event.user_id);
    expect(a.event).toEqual({ user_id: a.event.user_id });
    expect(a.removed).toMatchObject({ userId: 1, ip: 1, location: 2 });
    expect(createPhiFirewall().apply({ user_id: CANARIES.mrn }).event).toEqual({});
    expect(() => createPhiFirewall({ userIdSecret: 'short' })).toThrow(ConfigError);
  });

  it('drops the keys a zod model marks phi(), and keys that carry identifiers', () => {
    const Visit = z.object({ diagnosisNote: phi(z.string()), clinic: z.string() });
    const result = createPhiFirewall({ model: Visit }).apply({
      diagnosisNote: 'x',
      clinic: 'cardiology',
      [CANARIES.email]: 'y',
      nested: { diagnosisNote: 'z' },
    });
    expect(result.event).toEqual({ clinic: 'cardiology', nested: {} });
    expect(result.removed).toMatchObject({ phiField: 2, key: 1 });
  });

  it('keeps event names but drops a personal name under `name` or `patient`', () => {
    const { event, removed } = createPhiFirewall().apply({
      events: [
        { name: 'page_view' },
        { name: CANARIES.name },
        { name: 'generate_lead', params: { patient: CANARIES.arabicName } },
      ],
    });
    expect(event).toEqual({ events: [{ name: 'page_view' }, {}, { name: 'generate_lead', params: {} }] });
    expect(removed.phiField).toBe(2);
  });

  it('emits counts, never values, to telemetry; report mode says not to forward', () => {
    const telemetry = createTelemetry();
    const seen: unknown[] = [];
    telemetry.onAny((name, payload) => seen.push({ name, payload }));
    const reports: unknown[] = [];
    const report = createPhiFirewall({ mode: 'report', knownNames: NAMES, onReport: (r) => reports.push(r) });
    const result = report.apply(
      { page_location: `https://h.sa/p?mrn=${CANARIES.mrn}`, text: CANARIES.name },
      { telemetry, connector: 'ga4' },
    );
    expect(result.forward).toBe(false);
    expect(result.total).toBe(3);
    expect(seen).toEqual([
      {
        name: 'privacy:firewall',
        payload: { connector: 'ga4', mode: 'report', removed: { urlQuery: 1, knownName: 2 }, total: 3, forwarded: false },
      },
    ]);
    expect(leaks([seen, reports])).toEqual([]);
    expect(createPhiFirewall().apply({ a: 1 }).forward).toBe(true);
  });

  it('a failing knownNames callback drops free text rather than letting names through', () => {
    const failing = createPhiFirewall({
      knownNames: () => {
        throw new Error('lookup failed');
      },
    });
    expect(failing.apply({ text: CANARIES.name }).event.text).toBe('[redacted]');
  });
});

describe('property: no canary survives any placement', () => {
  const firewall = createPhiFirewall({ knownNames: NAMES, userIdSecret: 'host-secret-0123456789abcdef' });
  const filler = fc.stringMatching(/^[a-z \-/]{0,12}$/);
  const canary = fc.constantFrom(...Object.values(CANARIES));
  const placement = fc.constantFrom('path', 'query', 'fragment', 'title', 'param', 'userId', 'nestedParam', 'referrer');

  it('URLs, titles, parameters, user ids', () => {
    fc.assert(
      fc.property(canary, filler, filler, placement, (value, before, after, where) => {
        const text = `${before}${value}${after}`;
        const enc = encodeURIComponent(text);
        const base = {
          name: 'page_view',
          params: { page_location: 'https://hospital.sa/en/clinics', page_title: 'Home' } as Record<string, unknown>,
        };
        if (where === 'path') base.params.page_location = `https://hospital.sa/en/${enc}/x`;
        if (where === 'query') base.params.page_location = `https://hospital.sa/en/clinics?q=${enc}`;
        if (where === 'fragment') base.params.page_location = `https://hospital.sa/en/clinics#${enc}`;
        if (where === 'referrer') base.params.page_referrer = `https://hospital.sa/${enc}`;
        if (where === 'title') base.params.page_title = text;
        if (where === 'param') base.params.search_term = text;
        if (where === 'nestedParam') base.params.items = [{ item_name: text }];
        const event = where === 'userId' ? { ...base, user_id: text } : base;
        expect(leaks(firewall.apply(event).event)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});
