import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ga4For, ga4Specs, MEASUREMENT_ID, PROPERTY_ID, startFakeGa4 } from './harness.js';

let fake: ReturnType<typeof startFakeGa4>;
const specs = ga4Specs();
beforeAll(() => {
  fake = startFakeGa4();
});
afterEach(() => {
  fake.state.requests.length = 0;
});
afterAll(() => fake.close());

describe('Admin API (read-only)', () => {
  it('lists properties and data streams; requests match the Admin Discovery document', async () => {
    const ga4 = ga4For();
    const properties = await ga4.actions.listProperties({ account: '987654' });
    expect(properties).toEqual([
      expect.objectContaining({ id: PROPERTY_ID, name: `properties/${PROPERTY_ID}`, timeZone: 'Asia/Riyadh' }),
    ]);
    const streams = await ga4.actions.listDataStreams({});
    expect(streams).toEqual([expect.objectContaining({ id: '5550001', measurementId: MEASUREMENT_ID, type: 'WEB_DATA_STREAM' })]);
    expect(await ga4.actions.listProperties({ account: '1' })).toEqual([]);
    const ids = fake.state.requests.map((r) => specs.admin.matchRequest(r.method, r.url)?.method.id);
    expect(ids).toEqual([
      'analyticsadmin.properties.list',
      'analyticsadmin.properties.dataStreams.list',
      'analyticsadmin.properties.list',
    ]);
    for (const r of fake.state.requests) expect(new URL(r.url).searchParams.get('pageSize')).toBe('200');
  });

  it('check() reads the property metadata (and fails with an AuthError on a bad token)', async () => {
    expect(await ga4For().check()).toEqual({ ok: true });
    const bad = await ga4For({ accessToken: 'ya29.not-a-valid-token' }).check();
    expect(bad.ok ? 'ok' : bad.error.name).toBe('AuthError');
    const call = fake.state.requests[0]!;
    expect(specs.data.matchRequest(call.method, call.url)?.method.id).toBe('analyticsdata.properties.getMetadata');
  });

  it('the fake’s admin answers match the Discovery schemas', async () => {
    const auth = { authorization: 'Bearer ya29.CANARY_host_token_51b2' };
    const list = await (
      await fetch('https://analyticsadmin.googleapis.com/v1beta/properties?filter=parent:accounts/987654', { headers: auth })
    ).json();
    expect(specs.admin.validateResponse('analyticsadmin.properties.list', list).errors).toEqual([]);
    const streams = await (
      await fetch(`https://analyticsadmin.googleapis.com/v1beta/properties/${PROPERTY_ID}/dataStreams`, { headers: auth })
    ).json();
    expect(specs.admin.validateResponse('analyticsadmin.properties.dataStreams.list', streams).errors).toEqual([]);
    expect(specs.admin.validateResponse('analyticsadmin.properties.list', { properties: [{ name: 1 }] }).valid).toBe(false);
  });
});
