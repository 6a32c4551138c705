import { createPhiFirewall, createTelemetry, isHmiError } from '@hmi/core';
import { MP_LIMITS, validateMeasurementProtocolBody } from '@hmi/connector-ga4';
import fc from 'fast-check';
import { http } from 'msw';
import { fictionalPatient, leakedKinds } from '@hmi/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API_SECRET, ga4For, MEASUREMENT_ID, rejection, startFakeGa4 } from './harness.js';

// Fictional patient data of each kind; none may reach the fake Google.
const CANARIES = fictionalPatient;
const NAMES = [CANARIES.name, 'فاطمة الحربي'];

let fake: ReturnType<typeof startFakeGa4>;
beforeAll(() => {
  fake = startFakeGa4();
});
afterEach(() => {
  fake.state.requests.length = 0;
  fake.state.mpHits.length = 0;
});
afterAll(() => fake.close());

/** The kinds of canary found in what reached the fake: URLs and bodies, raw and decoded, any case, name parts too. */
const canariesReceived = (): string[] =>
  leakedKinds(
    fake.state.requests.map((r) => `${r.url}\n${r.body}`),
    CANARIES,
    { ignoreCase: true, wordParts: true },
  );

const firewall = createPhiFirewall({ knownNames: NAMES, userIdSecret: 'hospital-hmac-secret-0001' });

describe('sendEvents: nothing the firewall removes reaches Google', () => {
  it('canaries in URLs, titles and parameters: 0 reach the fake; the hit is valid and useful', async () => {
    const ga4 = ga4For({ firewall });
    const result = await ga4.actions.sendEvents({
      clientId: '1234567.1700000000',
      userId: CANARIES.mrn,
      events: [
        {
          name: 'page_view',
          params: {
            page_location: `https://hospital.sa/en/campaigns/ramadan-checkup/patients/${CANARIES.mrn}?email=${encodeURIComponent(CANARIES.email)}&nid=${CANARIES.saudiId}`,
            page_title: `Results for ${CANARIES.name}`,
            page_referrer: `https://portal.hospital.sa/records/${CANARIES.egyptId}`,
            search_term: `call me ${CANARIES.phone}`,
            engagement_time_msec: 1200,
          },
        },
        { name: 'generate_lead', params: { form_id: 'booking', note: `${CANARIES.email} ${CANARIES.name}` } },
      ],
    });
    expect(result).toMatchObject({ sent: true, mode: 'enforce', events: 2 });
    expect(result.total).toBeGreaterThan(5);
    expect(fake.state.mpHits).toHaveLength(1);
    expect(canariesReceived()).toEqual([]);
    const hit = fake.state.mpHits[0]!;
    expect(hit.validationMessages).toEqual([]);
    const body = hit.body as { user_id: string; events: Array<{ params: Record<string, unknown> }> };
    expect(body.events[0]?.params.page_location).toBe('https://hospital.sa/en/campaigns/ramadan-checkup/patients/:id');
    expect(body.user_id).toMatch(/^[0-9a-f]{64}$/);
    expect(body.events[0]?.params.page_title).toBeUndefined();
  });

  it('the default firewall is on when none is configured', async () => {
    await ga4For().actions.sendEvents({
      clientId: '1234567.1700000000',
      events: [
        {
          name: 'page_view',
          params: { page_location: `https://hospital.sa/x/${CANARIES.saudiId}?mrn=${CANARIES.mrn}`, note: CANARIES.email },
        },
      ],
    });
    expect(fake.state.mpHits).toHaveLength(1);
    expect(canariesReceived()).toEqual([]);
  });

  it('property: no canary reaches Google from any placement', async () => {
    const ga4 = ga4For({ firewall });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.values(CANARIES)),
        fc.constantFrom('path', 'query', 'title', 'param', 'referrer', 'userId', 'item'),
        fc.stringMatching(/^[a-z -]{0,8}$/),
        async (canary, where, pad) => {
          fake.state.requests.length = 0;
          const text = `${pad}${canary}${pad}`;
          const params: Record<string, string | Array<Record<string, string>>> = {
            page_location: 'https://hospital.sa/en/clinics',
            page_title: 'Home',
          };
          if (where === 'path') params.page_location = `https://hospital.sa/en/${encodeURIComponent(text)}/x`;
          if (where === 'query') params.page_location = `https://hospital.sa/en/?q=${encodeURIComponent(text)}`;
          if (where === 'title') params.page_title = text;
          if (where === 'param') params.search_term = text;
          if (where === 'referrer') params.page_referrer = `https://hospital.sa/${encodeURIComponent(text)}`;
          if (where === 'item') params.items = [{ item_name: text }];
          await ga4.actions.sendEvents({
            clientId: '1234567.1700000000',
            ...(where === 'userId' && { userId: text }),
            events: [{ name: 'page_view', params }],
          });
          expect(canariesReceived()).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('report mode sends nothing and reports counts only', async () => {
    const telemetry = createTelemetry();
    const events: unknown[] = [];
    telemetry.onAny((name, payload) => events.push({ name, payload }));
    const ga4 = ga4For({ firewall: createPhiFirewall({ mode: 'report', knownNames: NAMES }) }, telemetry);
    const result = await ga4.actions.sendEvents({
      clientId: '1.2',
      events: [{ name: 'page_view', params: { page_location: `https://h.sa/p/${CANARIES.mrn}` } }],
    });
    expect(result).toMatchObject({ sent: false, mode: 'report', total: 1, removed: { urlSegment: 1 } });
    expect(fake.state.requests).toHaveLength(0);
    expect(events).toContainEqual({
      name: 'privacy:firewall',
      payload: expect.objectContaining({ mode: 'report', forwarded: false, total: 1 }),
    });
    expect(JSON.stringify(events)).not.toContain(CANARIES.mrn);
  });

  it('a body that breaks the documented limits is refused before sending, without values', async () => {
    const ga4 = ga4For();
    const error = await rejection(ga4.actions.sendEvents({ clientId: '1.2', events: [{ name: 'session_start' }] }));
    expect(isHmiError(error) && error.code).toBe('validation_error');
    expect(String((error as Error).message)).toContain('NAME_RESERVED');
    expect(fake.state.requests).toHaveLength(0);
    const tooMany = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`p${i}`, i]));
    expect(await rejection(ga4.actions.sendEvents({ clientId: '1.2', events: [{ name: 'x', params: tooMany }] }))).toBeDefined();
    expect(fake.state.requests).toHaveLength(0);
  });

  it('the api_secret never appears in errors or telemetry, even when Google fails', async () => {
    const telemetry = createTelemetry();
    const seen: unknown[] = [];
    telemetry.onAny((name, payload) => seen.push({ name, payload }));
    let hits = 0;
    fake.server.use(
      http.post('https://www.google-analytics.com/mp/collect', () => {
        hits++;
        return new Response('boom', { status: 500 });
      }),
    );
    const error = await rejection(ga4For({}, telemetry).actions.sendEvents({ clientId: '1.2', events: [{ name: 'page_view' }] }));
    const json = JSON.stringify({
      seen,
      error: isHmiError(error) ? error.toJSON() : String(error),
      message: (error as Error).message,
      stack: (error as Error).stack,
    });
    expect(json).not.toContain(API_SECRET);
    expect(json).toContain('request:end');
    // Not retried: Google does not deduplicate, so a failed keyless hit is an unknown outcome.
    expect(isHmiError(error) && error.toJSON()).toMatchObject({ outcomeUnknown: true });
    expect(hits).toBe(1);
    fake.server.resetHandlers();
  });
});

describe('validateMeasurementProtocolBody: the /debug/mp/collect rules', () => {
  const ok = { client_id: '1.2', events: [{ name: 'page_view', params: { page_location: 'https://h.sa/' } }] };
  const codes = (body: unknown) => validateMeasurementProtocolBody(body).map((m) => `${m.fieldPath}:${m.validationCode}`);

  it('accepts a valid body and agrees with the fake’s debug endpoint', async () => {
    expect(codes(ok)).toEqual([]);
    const response = await fetch(
      `https://www.google-analytics.com/debug/mp/collect?measurement_id=${MEASUREMENT_ID}&api_secret=${API_SECRET}`,
      {
        method: 'POST',
        body: JSON.stringify({ ...ok, events: [{ name: 'ga_custom' }] }),
      },
    );
    expect(await response.json()).toEqual({
      validationMessages: [{ fieldPath: 'events[0].name', validationCode: 'NAME_RESERVED', description: 'the name is reserved' }],
    });
  });

  it('names, reserved names and prefixes, counts and lengths', () => {
    expect(codes({ events: ok.events })).toEqual(['client_id:VALUE_REQUIRED']);
    expect(codes({ ...ok, events: [] })).toEqual(['events:VALUE_REQUIRED']);
    expect(codes({ ...ok, events: Array.from({ length: 26 }, () => ({ name: 'a' })) })).toEqual(['events:EXCEEDED_MAX_ENTITIES']);
    expect(codes({ ...ok, events: [{ name: '1abc' }] })).toEqual(['events[0].name:NAME_INVALID']);
    expect(codes({ ...ok, events: [{ name: 'a-b' }] })).toEqual(['events[0].name:NAME_INVALID']);
    expect(codes({ ...ok, events: [{ name: 'x'.repeat(41) }] })).toEqual(['events[0].name:VALUE_OUT_OF_BOUNDS']);
    expect(codes({ ...ok, events: [{ name: 'x'.repeat(40) }] })).toEqual([]);
    expect(codes({ ...ok, events: [{ name: 'first_visit' }] })).toEqual(['events[0].name:NAME_RESERVED']);
    expect(codes({ ...ok, events: [{ name: 'firebase_x' }] })).toEqual(['events[0].name:NAME_RESERVED']);
    expect(codes({ ...ok, events: [{ name: 'e', params: { google_x: 1 } }] })).toEqual([
      'events[0].params.google_x:NAME_RESERVED',
    ]);
    expect(codes({ ...ok, events: [{ name: 'e', params: { firebase_conversion: 1 } }] })).toEqual([
      'events[0].params.firebase_conversion:NAME_RESERVED',
    ]);
    expect(codes({ ...ok, events: [{ name: 'e', params: { v: 'x'.repeat(101) } }] })).toEqual([
      'events[0].params.v:VALUE_OUT_OF_BOUNDS',
    ]);
    expect(codes({ ...ok, events: [{ name: 'e', params: { v: 'x'.repeat(100) } }] })).toEqual([]);
    const params = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, i]));
    expect(codes({ ...ok, events: [{ name: 'e', params: params(MP_LIMITS.params) }] })).toEqual([]);
    expect(codes({ ...ok, events: [{ name: 'e', params: params(26) }] })).toEqual(['events[0].params:EXCEEDED_MAX_ENTITIES']);
    expect(codes({ ...ok, user_properties: { first_open_time: { value: 1 } } })).toEqual([
      'user_properties.first_open_time:NAME_RESERVED',
    ]);
    expect(codes({ ...ok, user_properties: { x: { value: 'v'.repeat(37) } } })).toEqual([
      'user_properties.x.value:VALUE_OUT_OF_BOUNDS',
    ]);
    expect(codes({ ...ok, user_properties: { ['u'.repeat(25)]: { value: 'v' } } })).toEqual([
      `user_properties.${'u'.repeat(25)}:VALUE_OUT_OF_BOUNDS`,
    ]);
  });
});
