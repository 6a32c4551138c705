// The connector contract every hmi connector passes, checked against SendGrid's own mail/send
// description (read through findSpecsDir, so HMI_SPECS_DIR works).
import { runConnectorContract } from '@hmi/testing/vitest';
import { sendGridConnector } from '../src/index.js';
import { createSendGridHandlers } from '../src/msw/index.js';
import { MAIL_SPEC_FILE } from './mail-spec.js';

const apiKey = 'SG.contract-CANARY.k3y-DO-NOT-LEAK-77aa';
const baseUrl = 'https://api.sendgrid.com';
const email = 'zarqa.canary.5521@patients.example';
const name = 'زرقاء الكناري';
const mock = createSendGridHandlers({ apiKey, baseUrl });

runConnectorContract(sendGridConnector, {
  baseUrl,
  config: (url) => ({ apiKey, baseUrl: url, from: { email: 'noreply@hospital.example', name: 'مستشفى المثال' } }),
  invalidConfigs: [
    { name: 'apiKey missing', config: (url) => ({ baseUrl: url, from: 'noreply@hospital.example' }), field: 'apiKey' },
    { name: 'from not an address', config: (url) => ({ apiKey, baseUrl: url, from: 'not-an-address' }), field: 'from' },
  ],
  canaries: { secret: apiKey, phi: [email, name] },
  spec: MAIL_SPEC_FILE,
  actions: {
    sendEmail: {
      input: { to: { email, name }, subject: 'تذكير بموعدك', text: 'موعدك غداً', purpose: 'transactional' },
      invalidInputs: [
        { to: email, subject: 'x', text: 'y' }, // no purpose
        { to: 'not an address', subject: 'x', text: 'y', purpose: 'transactional' },
        { to: email, subject: 'x', text: 'y', purpose: 'spam' },
      ],
      handlers: mock.handlers,
    },
    sendTemplatedEmail: {
      input: {
        to: { email, name, languages: ['ar'] },
        purpose: 'transactional',
        template: {
          subject: { ar: 'تذكير {{name}}', en: 'Reminder {{name}}' },
          text: { ar: 'موعدك غداً', en: 'Your appointment is tomorrow' },
        },
        vars: { name },
      },
      invalidInputs: [
        { to: email, purpose: 'transactional' },
        { to: email, purpose: 'transactional', template: {} },
      ],
      handlers: mock.handlers,
    },
  },
});
