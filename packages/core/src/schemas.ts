/**
 * `@hmi/core/schemas`: the canonical model and the consent options as zod 4 schemas, for hosts and
 * connectors that validate with zod (`Contact.parse(x)`, `output: Message`, `z.object({ contact:
 * Contact })`). Each schema has the TypeScript type of the same name, also exported by `@hmi/core`.
 *
 * Apart from the root entry so that `import '@hmi/core'` loads no schema library: zod costs about
 * 100 ms of CPU to import, paid on every cold start of a serverless function (issue 22).
 *
 * @example
 * ```ts
 * import { Contact } from '@hmi/core/schemas';
 *
 * const contact = Contact.parse({ id: 'p-1', names: [{ given: ['سارة'], family: 'القحطاني' }], phones: [{ value: '+966507654321' }] });
 * ```
 * @packageDocumentation
 */
export { CurrencyCode, Coding, E164Phone, IsoDateTime, LanguageTag, Recipient, SourceRef } from './model/common.js';
export {
  type ContactInput,
  Consent,
  Contact,
  ContactEmail,
  ContactPhone,
  ContactUpdate,
  PersonIdentifier,
  PersonName,
  PostalAddress,
  RelatedPerson,
} from './model/contact.js';
export { PersonIdentifierType } from './model/identifier-type-schema.js';
export { Appointment, AppointmentParticipant, Condition } from './model/clinical.js';
export {
  AnalyticsReport,
  CallHangupCause,
  CallRecord,
  Campaign,
  Employee,
  EngagementMetric,
  Invoice,
  InvoiceLine,
  Message,
  MessageStatus,
  Money,
  Payment,
  PaymentMethod,
  SocialPost,
} from './model/business.js';
export { Lead, LeadConsentAnswer, LeadFieldAnswer } from './model/lead.js';
export { ConsentOptionsSchema } from './consent/consent-options.js';
