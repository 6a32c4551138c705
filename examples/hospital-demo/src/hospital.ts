// The hospital the demo runs in: the vendors' sandboxes on loopback, the connectors configured
// against them, one telemetry bus, a SQLite state store in a temporary folder, and the CRM — the
// host application, with its contacts, consent register and inbound HL7 (MLLP) listener.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AnalyticsReport, type ConsentEvent, type Contact, createTelemetry, type Payment, type Telemetry } from '@hmi/core';
import { createFhirConnector, type FhirConnector } from '@hmi/connector-fhir';
import { createFhirServerFake, FIXTURE_SYSTEMS, type FhirServerFake } from '@hmi/connector-fhir/msw';
import { type Hl7MappedMessage, type MllpServer, mapHl7Message, startMllpServer } from '@hmi/connector-hl7v2';
import { createSendGridConnector, type SendGridConnector } from '@hmi/connector-sendgrid';
import { createSendGridHandlers, type SendGridMock } from '@hmi/connector-sendgrid/msw';
import { createStripeConnector, type StripeConnector } from '@hmi/connector-stripe';
import { createStripeMswHandlers, type StripeMockStore } from '@hmi/connector-stripe/msw';
import { createTwilioConnector, type TwilioConnector } from '@hmi/connector-twilio';
import {
  createFakeTwilio,
  FIXTURE_ACCOUNT_SID,
  FIXTURE_MESSAGING_SERVICE_SID,
  type FakeTwilioState,
} from '@hmi/connector-twilio/msw';
import { createSqliteStateStore, type SqliteStateStore } from '@hmi/store-sqlite';
import { type HttpSandbox, startHttpSandbox } from './sandbox/http-sandbox.js';

/**
 * Sandbox credentials. They are made up, live only in this process, and are registered with each
 * connector's redactor like real ones (so they never reach telemetry or errors).
 */
export const DEMO_SECRETS = {
  ehrToken: 'demo-ehr-bearer-7c1f0b',
  twilioAuthToken: 'demo-twilio-auth-token-5e2a9d',
  sendgridApiKey: 'SG.demo-sendgrid-key.3b8f61',
  stripeApiKey: 'sk_test_demo_4eC39HqLyjWDarjtT1zdp7dc',
  stripeWebhookSecret: 'whsec_demo_1f2e3d4c5b6a79880',
} as const;

/** The FHIR base path inside the EHR sandbox. */
const FHIR_PATH = '/fhir/R4';
/** HL7 times without an offset are Riyadh time. */
export const HOSPITAL_OFFSET = '+03:00';

/** What the CRM did with one inbound HL7 message, by MSH-10. */
export type Hl7Outcome =
  | { kind: 'patient'; contact: Contact; fhirId: string; created: boolean }
  | { kind: 'appointment'; mapped: Extract<Hl7MappedMessage, { kind: 'appointment' }> }
  | { kind: 'other'; type: string };

/** The host application: what a hospital's CRM keeps. */
export interface Crm {
  /** Contacts by MRN, filled by the EHR sync. */
  readonly contacts: Map<string, Contact>;
  /** Marketing consent, as `<channel>:<recipient>`: who said yes. */
  readonly marketingConsent: Set<string>;
  readonly consentEvents: ConsentEvent[];
  readonly payments: Payment[];
  /** What happened to each inbound HL7 message. */
  readonly hl7Outcomes: Map<string, Hl7Outcome>;
  /** The CRM's MLLP listener (port on 127.0.0.1). */
  readonly mllp: MllpServer;
  /** Web analytics reports the CRM keeps (the weekly GA4 campaign report). */
  readonly analyticsReports: AnalyticsReport[];
}

/** Everything the scenes use. */
export interface Hospital {
  telemetry: Telemetry;
  store: SqliteStateStore;
  crm: Crm;
  fhir: FhirConnector;
  twilio: TwilioConnector;
  sendgrid: SendGridConnector;
  stripe: StripeConnector;
  sandboxes: { ehr: HttpSandbox; twilio: HttpSandbox; sendgrid: HttpSandbox; stripe: HttpSandbox };
  fakes: { ehr: FhirServerFake; twilio: FakeTwilioState; sendgrid: SendGridMock; stripe: StripeMockStore };
  close(): Promise<void>;
}

/** The MRN of a contact, when it has one. */
export function mrnOf(contact: Contact): string | undefined {
  return contact.identifiers.find((i) => i.type === 'mrn')?.value;
}

/** Starts the sandboxes, the state store, the connectors and the CRM. */
export async function startHospital(): Promise<Hospital> {
  const telemetry = createTelemetry();
  const dir = mkdtempSync(join(tmpdir(), 'hmi-demo-'));
  const store = createSqliteStateStore({ path: join(dir, 'hmi-state.db'), synchronous: 'normal' });
  const sandboxes = {
    ehr: await startHttpSandbox('EHR (FHIR R4)'),
    twilio: await startHttpSandbox('Twilio'),
    sendgrid: await startHttpSandbox('SendGrid'),
    stripe: await startHttpSandbox('Stripe'),
  };

  // The vendors' fakes, from each connector's own `./msw` export, served on loopback.
  const ehrFake = createFhirServerFake({
    baseUrl: `${sandboxes.ehr.url}${FHIR_PATH}`,
    authorize: (header) => header === `Bearer ${DEMO_SECRETS.ehrToken}`,
  });
  sandboxes.ehr.use(ehrFake.handlers);
  const twilioFake = createFakeTwilio({
    baseUrl: sandboxes.twilio.url,
    credentials: [{ username: FIXTURE_ACCOUNT_SID, password: DEMO_SECRETS.twilioAuthToken }],
  });
  sandboxes.twilio.use(twilioFake.handlers);
  const sendgridFake = createSendGridHandlers({ baseUrl: sandboxes.sendgrid.url, apiKey: DEMO_SECRETS.sendgridApiKey });
  sandboxes.sendgrid.use(sendgridFake.handlers);
  const stripeFake = createStripeMswHandlers({ baseUrl: sandboxes.stripe.url });
  sandboxes.stripe.use(stripeFake.handlers);

  const crmState = {
    contacts: new Map<string, Contact>(),
    marketingConsent: new Set<string>(),
    consentEvents: [] as ConsentEvent[],
    payments: [] as Payment[],
    hl7Outcomes: new Map<string, Hl7Outcome>(),
    analyticsReports: [] as AnalyticsReport[],
  };
  const consent = {
    check: ({ recipient, channel }: { recipient: string; channel: string }) =>
      crmState.marketingConsent.has(`${channel}:${recipient}`),
    onEvent: (event: ConsentEvent) => void crmState.consentEvents.push(event),
  };

  // `allowInsecureHttp` only because the sandboxes are plain-HTTP loopback servers: against the
  // real vendors these base URLs are https and the option stays off.
  const fhir = createFhirConnector(
    {
      baseUrl: `${sandboxes.ehr.url}${FHIR_PATH}`,
      auth: { type: 'bearer', token: DEMO_SECRETS.ehrToken },
      defaultRegion: 'SA',
      pageSize: 3,
      identifierSystems: { mrn: FIXTURE_SYSTEMS.mrn, 'national-id': FIXTURE_SYSTEMS.nationalId, iqama: FIXTURE_SYSTEMS.iqama },
      allowInsecureHttp: true,
    },
    { telemetry },
  );
  const twilio = createTwilioConnector(
    {
      accountSid: FIXTURE_ACCOUNT_SID,
      authToken: DEMO_SECRETS.twilioAuthToken,
      messagingServiceSid: FIXTURE_MESSAGING_SERVICE_SID,
      defaultRegion: 'SA',
      consent,
      baseUrl: sandboxes.twilio.url,
      allowInsecureHttp: true,
      timeoutMs: 5_000,
    },
    { telemetry },
  );
  const sendgrid = createSendGridConnector(
    {
      apiKey: DEMO_SECRETS.sendgridApiKey,
      from: { email: 'noreply@hospital.example', name: 'مستشفى المثال التخصصي' },
      consent,
      baseUrl: sandboxes.sendgrid.url,
      allowInsecureHttp: true,
      timeoutMs: 5_000,
    },
    { telemetry },
  );
  const stripe = createStripeConnector(
    {
      apiKey: DEMO_SECRETS.stripeApiKey,
      webhookSecret: DEMO_SECRETS.stripeWebhookSecret,
      baseUrl: sandboxes.stripe.url,
      allowInsecureHttp: true,
      timeoutMs: 5_000,
    },
    { telemetry },
  );

  // The CRM's inbound HL7 interface: each message is mapped and acted on, then ACKed (AA) by the
  // server; a failure answers AE without patient data in the ACK.
  const mllp = await startMllpServer({
    host: '127.0.0.1',
    port: 0,
    telemetry,
    async onMessage(message) {
      const controlId = message.controlId ?? '';
      const mapped = mapHl7Message(message, { defaultRegion: 'SA', defaultOffset: HOSPITAL_OFFSET });
      if (mapped.kind === 'patient') {
        // Conditional create on the MRN: a retransmitted ADT creates no second Patient.
        const { id, created } = await fhir.actions.createPatient({ contact: mapped.contact }, { idempotencyKey: controlId });
        crmState.hl7Outcomes.set(controlId, { kind: 'patient', contact: mapped.contact, fhirId: id, created });
      } else if (mapped.kind === 'appointment') {
        // Recorded and ACKed at once; reminders go out afterwards, not while the EHR waits.
        crmState.hl7Outcomes.set(controlId, { kind: 'appointment', mapped });
      } else {
        crmState.hl7Outcomes.set(controlId, { kind: 'other', type: `${message.messageType}^${message.triggerEvent}` });
      }
    },
  });

  const crm: Crm = Object.assign(crmState, { mllp });
  return {
    telemetry,
    store,
    crm,
    fhir,
    twilio,
    sendgrid,
    stripe,
    sandboxes,
    fakes: { ehr: ehrFake, twilio: twilioFake.state, sendgrid: sendgridFake, stripe: stripeFake.store },
    async close() {
      await mllp.close();
      await Promise.all(Object.values(sandboxes).map((s) => s.close()));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
