import { attributeCall, type CallRecord, normalizeCall, q850Cause } from '@hmi/core';
import { describe, expect, it } from 'vitest';

// A stand-in for @hmi/phone's tryNormalizePhone (the core may not import it): Saudi local → E.164.
const normalize = (raw: string) => (/^05\d{8}$/.test(raw) ? `+966${raw.slice(1)}` : /^\+\d{8,15}$/.test(raw) ? raw : undefined);

const inbound: CallRecord = {
  id: 'c1',
  direction: 'inbound',
  from: '0555123456',
  to: '+966920001234',
  status: 'completed',
};

describe('attributeCall', () => {
  it('normalises, attributes the campaign from the tracking number and matches the caller', async () => {
    const looked: string[] = [];
    const out = await attributeCall(inbound, {
      normalize,
      trackingNumbers: { '+966920001234': 'cmp-ramadan' },
      lookupContact: (e164) => {
        looked.push(e164);
        return e164 === '+966555123456' ? 'patient-1' : undefined;
      },
    });
    expect(out).toMatchObject({
      from: '+966555123456',
      contactId: 'patient-1',
      campaignId: 'cmp-ramadan',
      trackingNumber: '+966920001234',
    });
    expect(looked).toEqual(['+966555123456']);
    expect(inbound.contactId).toBeUndefined(); // a new record, the input is untouched
  });

  it('looks up the callee of an outbound call and never attributes it to a campaign', async () => {
    const out = await attributeCall(
      { ...inbound, direction: 'outbound', from: '1001', to: '+966920001234' },
      { normalize, trackingNumbers: { '+966920001234': 'cmp' }, lookupContact: (n) => `contact:${n}` },
    );
    expect(out.campaignId).toBeUndefined();
    expect(out.contactId).toBe('contact:+966920001234');
    expect(out.from).toBe('1001'); // an extension is kept
  });

  it('leaves internal calls and non-numbers alone; a throwing lookup leaves the call unmatched', async () => {
    let reported = 0;
    const internal = await attributeCall(
      { ...inbound, direction: 'internal', from: '1001', to: '1002' },
      { normalize, lookupContact: () => 'x' },
    );
    expect(internal.contactId).toBeUndefined();
    const anonymous = await attributeCall({ ...inbound, from: 'anonymous' }, { normalize, lookupContact: () => 'x' });
    expect(anonymous.contactId).toBeUndefined();
    const failed = await attributeCall(inbound, {
      normalize,
      lookupContact: () => {
        throw new Error('db down for +966555123456');
      },
      onLookupError: () => reported++,
    });
    expect(failed.contactId).toBeUndefined();
    expect(reported).toBe(1);
  });

  it('keeps a campaign the record already has and ignores prototype keys', () => {
    expect(
      normalizeCall({ ...inbound, campaignId: 'own' }, { normalize, trackingNumbers: { '+966920001234': 'cmp' } }).campaignId,
    ).toBe('own');
    expect(normalizeCall({ ...inbound, to: 'constructor' }, { normalize, trackingNumbers: {} }).campaignId).toBeUndefined();
  });
});

describe('q850Cause', () => {
  it('names known causes, keeps vendor text for others, clamps nonsense', () => {
    expect(q850Cause(16)).toEqual({ code: 16, name: 'NORMAL_CLEARING' });
    expect(q850Cause(99, 'some odd thing')).toEqual({ code: 99, name: 'SOME_ODD_THING' });
    expect(q850Cause(500)).toEqual({ code: 0, name: 'NOT_DEFINED' });
  });
});
