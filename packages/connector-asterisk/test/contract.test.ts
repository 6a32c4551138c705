// The connector contract for the REST actions, against the fake ARI's MSW handlers; every request
// and fixture response is also checked against ARI's own Swagger 1.2 descriptions (../shared/specs).
import { join } from 'node:path';
import { findSpecsDir } from '@hmi/testing';
import { runConnectorContract } from '@hmi/testing/vitest';
import { expect, it } from 'vitest';
import { asteriskConnector } from '../src/index.js';
import { ariBridge, createFakeAri, fakeAriHandlers, loadAriSpec } from '../src/msw/index.js';

const baseUrl = 'https://pbx.hospital.test';
// Canaries: the ARI password, and a patient's mobile number dialled by click-to-call.
const password = 'ari_CANARY_5e8d2c71f0';
const mobile = '+966555123456';
const username = 'hmi-crm';
const spec = loadAriSpec(join(findSpecsDir(import.meta.url), 'asterisk', 'ari'));
const ari = createFakeAri({ username, password, spec, now: () => Date.parse('2026-03-01T08:00:00Z') });
const handlers = fakeAriHandlers(ari, baseUrl);
ari.bridges.set('bridge-7', { id: 'bridge-7', channels: ['c1', 'c2'], createdAt: Date.parse('2026-03-01T08:00:00Z') });
ari.apply({
  type: 'BridgeCreated',
  application: 'hmi-crm',
  timestamp: '2026-03-01T08:00:00.000+0000',
  bridge: ariBridge('bridge-7', ['c1', 'c2'], 0),
});

runConnectorContract(asteriskConnector, {
  baseUrl,
  config: (url) => ({ baseUrl: url, username, password, app: 'hmi-crm' }),
  invalidConfigs: [
    { name: 'password missing', config: (url) => ({ baseUrl: url, username, app: 'hmi-crm' }), field: 'password' },
    { name: 'app with a space', config: (url) => ({ baseUrl: url, username, password, app: 'hmi crm' }), field: 'app' },
    { name: 'baseUrl not a URL', config: () => ({ baseUrl: 'pbx', username, password, app: 'hmi-crm' }), field: 'baseUrl' },
  ],
  canaries: { secret: password, phi: [mobile] },
  actions: {
    originate: {
      input: { agentExtension: '1001', patientNumber: mobile },
      invalidInputs: [
        { agentExtension: '1001', patientNumber: 'call me' },
        { agentExtension: '10 01', patientNumber: mobile },
        { patientNumber: mobile },
        { agentExtension: '1001', patientNumber: mobile, endpoint: 'PJSIP/1001' }, // no {ext}
      ],
      handlers,
      expectOutput: (output) => {
        const o = output as { callId: string; agentExtension: string };
        if (!o.callId.startsWith('hmi-') || o.agentExtension !== '1001') throw new Error('originate returned the wrong call');
      },
    },
    startRecording: {
      input: { bridgeId: 'bridge-7', beep: true },
      invalidInputs: [
        {},
        { bridgeId: 'bridge 7' },
        { bridgeId: 'bridge-7', format: 'mp3' },
        { bridgeId: 'bridge-7', name: '../etc' },
      ],
      handlers,
    },
    stopRecording: {
      input: { name: 'rec-contract-1' },
      invalidInputs: [{}, { name: '' }, { name: 'a/b' }],
      handlers,
    },
  },
});

it('the fake ARI traffic matched the Swagger descriptions', () => {
  // Requests the contract made (originate with a JSON body, subscription, record, stop).
  expect(ari.requests.some((r) => r.path === '/channels' && r.method === 'POST')).toBe(true);
  expect(ari.specIssues).toEqual([]);
});
