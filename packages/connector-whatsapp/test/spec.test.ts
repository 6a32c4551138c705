// Meta's published specs (../shared/specs/meta: the Graph codegen specs, v25.0) describe the
// WhatsApp Business Account node: its `message_templates` edge with the category and status enums,
// and the pricing categories. They do not describe `POST /<phone number id>/messages` or the
// webhook payloads: those fakes are written from Meta's Cloud API docs, named in the README.
import { ConversationCategory, TEMPLATE_FIELDS, TemplateCategory } from '@hmi/connector-whatsapp';
import { templateFixtures } from '@hmi/connector-whatsapp/msw';
import { afterAll, describe, expect, it } from 'vitest';
// The reader of Meta's codegen spec format lives with connector-meta's tests (test code, not src).
import { createMetaSpec } from '../../connector-meta/test/meta-spec.js';
import { connectorFor, startFakeWhatsApp } from './harness.js';

const spec = createMetaSpec();
const fake = startFakeWhatsApp();
afterAll(() => fake.close());

describe('against Meta’s WhatsApp Business Account spec', () => {
  it('listTemplates asks GET message_templates with params the spec knows, paging through every template', async () => {
    const wa = connectorFor(fake, { pageSize: 2 });
    const records = [];
    for await (const page of wa.streams.listTemplates.read()) records.push(...page.records);
    expect(records.map((r) => r.id)).toEqual(templateFixtures().map((t) => t.id));
    const reads = fake.state.requests.filter((r) => r.path.endsWith('/message_templates'));
    expect(reads.length).toBe(3);
    for (const read of reads) {
      expect(spec.checkRequest('WhatsAppBusinessAccount', 'GET', 'message_templates', read.query, 'query')).toEqual([]);
      expect(read.query.fields).toBe(TEMPLATE_FIELDS.join(','));
    }
    // The spec's own negative: a param it does not have is reported, so the check above can fail.
    expect(spec.checkRequest('WhatsAppBusinessAccount', 'GET', 'message_templates', { colour: 'red' }, 'query')).not.toEqual([]);
  });

  it('fixture templates use the spec’s categories and statuses, and the connector’s categories are Meta’s', () => {
    // A category Meta does not have is reported: the checks below can fail.
    expect(
      spec.checkRequest('WhatsAppBusinessAccount', 'GET', 'message_templates', { category: ['PROMO'] }, 'json'),
    ).toHaveLength(1);
    for (const template of templateFixtures()) {
      expect(
        spec.checkRequest('WhatsAppBusinessAccount', 'GET', 'message_templates', { category: [template.category] }, 'json'),
      ).toEqual([]);
      expect(
        spec.checkRequest('WhatsAppBusinessAccount', 'GET', 'message_templates', { status: [template.status] }, 'json'),
      ).toEqual([]);
      expect(
        spec.checkRequest('WhatsAppBusinessAccount', 'GET', 'message_templates', { language: [template.language] }, 'json'),
      ).toEqual([]);
    }
    for (const category of TemplateCategory.options) {
      expect(spec.checkRequest('WhatsAppBusinessAccount', 'POST', 'message_templates', { category }, 'json')).toEqual([]);
    }
    for (const category of ConversationCategory.options) {
      expect(
        spec.checkRequest(
          'WhatsAppBusinessAccount',
          'GET',
          'pricing_analytics',
          { pricing_categories: [category.toUpperCase()] },
          'json',
        ),
      ).toEqual([]);
    }
  });
});
