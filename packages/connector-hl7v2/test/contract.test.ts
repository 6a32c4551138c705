// The connector contract every hmi connector passes. HL7 v2 travels over MLLP (TCP), not HTTP, so
// the actions' peer is the package's own fake EHR (`./msw`) on loopback; the contract's HTTP
// checks (spec validation, retries under 5xx) do not apply and are skipped with the reason.
import { runConnectorContract } from '@hmi/testing/vitest';
import { afterAll } from 'vitest';
import { hl7v2Connector } from '../src/index.js';
import { startFakeMllpPeer } from '../src/msw/index.js';

const peer = await startFakeMllpPeer();
afterAll(() => peer.close());

const token = 'hl7-webhook-CANARY-5f1e9a2b7c';
const arabicName = 'الحربي^فاطمة';
const mobile = '0555123456';
const mrn = 'MRN-CANARY-4471';
const message = [
  'MSH|^~\\&|HIS|KFSH|CRM|HMI|20240315103000+0300||ADT^A04^ADT_A01|CTRL-1|P|2.5.1',
  `PID|1||${mrn}^^^KFSH^MR||${arabicName}||19850214|F|||||${mobile}^PRN^CP`,
].join('\r');

runConnectorContract(hl7v2Connector, {
  config: () => ({ host: '127.0.0.1', port: peer.port, timeZone: 'Asia/Riyadh', defaultRegion: 'SA', webhookToken: token }),
  invalidConfigs: [
    { name: 'timeZone missing', config: () => ({ host: '127.0.0.1', port: peer.port, webhookToken: token }), field: 'timeZone' },
    {
      name: 'timeZone not an IANA name',
      config: () => ({ host: '127.0.0.1', port: peer.port, timeZone: 'Riyadh', webhookToken: token }),
      field: 'timeZone',
    },
    {
      name: 'port out of range',
      config: () => ({ host: '127.0.0.1', port: 70_000, timeZone: 'UTC', webhookToken: token }),
      field: 'port',
    },
    {
      name: 'webhookToken too short',
      config: () => ({ host: 'x', port: 1, timeZone: 'UTC', webhookToken: 'short' }),
      field: 'webhookToken',
    },
  ],
  canaries: { secret: token, phi: [mrn, 'الحربي'] },
  actions: {
    sendMessage: {
      input: { message },
      invalidInputs: [{}, { message: 42 }, { message: 'short' }],
      skipRetryCheck: 'sends over MLLP (TCP), not HTTP: the MLLP client resends with the same MSH-10',
      expectOutput: (output) => {
        if ((output as { ackCode: string }).ackCode !== 'AA') throw new Error('expected AA from the fake EHR');
      },
    },
    sendContact: {
      input: {
        contact: {
          identifiers: [{ type: 'mrn', value: mrn }],
          names: [{ family: 'الحربي', given: ['فاطمة'] }],
          phones: [{ value: '+966555123456', use: 'mobile' }],
        },
        trigger: 'A28',
      },
      invalidInputs: [{}, { contact: { phones: [{ value: '0555' }] } }, { contact: {}, trigger: 'A99' }],
      skipRetryCheck: 'sends over MLLP (TCP), not HTTP',
    },
  },
});
