import { Consent } from '@hmi/core/schemas';
import type { Hl7Message } from '../parser/message.js';
import { comp, hl7DateTime, type Hl7MapOptions, type Hl7MappingIssue, messageTime, reps, value } from './datatypes.js';

type ConsentInput = Parameters<typeof Consent.parse>[0];
type Purpose = Consent['purpose'];
type Channel = Consent['channel'];

function purposeOf(text: string): Purpose {
  const t = text.toLowerCase();
  if (/market|promot|advert|publicity|newsletter/.test(t)) return 'marketing';
  if (/research|study|trial/.test(t)) return 'research';
  if (/release|disclos|shar|exchange|information/.test(t)) return 'data-sharing';
  if (/remind|appointment|transaction|notif/.test(t)) return 'transactional';
  return 'any';
}

function channelOf(text: string): Channel {
  const t = text.toLowerCase();
  if (/whatsapp/.test(t)) return 'whatsapp';
  if (/\bsms\b|text messag/.test(t)) return 'sms';
  if (/e-?mail/.test(t)) return 'email';
  if (/phone|call/.test(t)) return 'phone';
  if (/\bpost\b|postal|letter/.test(t)) return 'post';
  return 'any';
}

/**
 * Consents that PD1 and CON carry.
 * - PD1-11 publicity code `N` (no publicity) or `F` (family only): marketing revoked.
 * - PD1-12 protection indicator `Y`: data sharing revoked; `N`: granted (since PD1-13 when given).
 * - CON (v2.6+): CON-12 status `A` granted, `R`/`X` revoked; purpose and channel from CON-2 and
 *   CON-5 text; time from CON-14 (decision), CON-13 or CON-15.
 */
export function hl7Consents(msg: Hl7Message, options: Hl7MapOptions, issues: Hl7MappingIssue[]): Consent[] {
  const at = messageTime(msg, options) ?? new Date().toISOString();
  const controlId = msg.controlId;
  const sourceRef = controlId ? { system: 'hl7v2', id: controlId } : undefined;
  const out: ConsentInput[] = [];
  if (msg.count('PD1') > 0) {
    const publicity = (value(msg, 'PD1-11.1') ?? '').toUpperCase();
    if (publicity === 'N' || publicity === 'F') {
      out.push({ channel: 'any', purpose: 'marketing', status: 'revoked', source: 'hl7-pd1', recordedAt: at, sourceRef });
    }
    const protection = (value(msg, 'PD1-12') ?? '').toUpperCase();
    if (protection === 'Y' || protection === 'N') {
      out.push({
        channel: 'any',
        purpose: 'data-sharing',
        status: protection === 'Y' ? 'revoked' : 'granted',
        source: 'hl7-pd1',
        recordedAt: hl7DateTime(msg.get('PD1-13.1'), options) ?? at,
        sourceRef,
      });
    }
  }
  const cons = msg.count('CON');
  for (let i = 1; i <= cons; i++) {
    const status = (value(msg, `CON[${i}]-12.1`) ?? '').toUpperCase();
    const granted = status === 'A';
    const revoked = status === 'R' || status === 'X';
    if (!granted && !revoked) {
      if (status !== '') issues.push({ path: `CON[${i}]-12`, reason: 'consent_status_not_final' });
      continue;
    }
    const type = reps(msg, `CON[${i}]-2`)[0]?.rep;
    const text = [comp(type, 1), comp(type, 2), msg.get(`CON[${i}]-5`) ?? ''].join(' ');
    const recordedAt =
      hl7DateTime(msg.get(`CON[${i}]-14.1`), options) ??
      hl7DateTime(msg.get(`CON[${i}]-13.1`), options) ??
      hl7DateTime(msg.get(`CON[${i}]-15.1`), options) ??
      at;
    out.push({
      channel: channelOf(text),
      purpose: purposeOf(text),
      status: granted ? 'granted' : 'revoked',
      source: 'hl7-con',
      recordedAt,
      sourceRef,
    });
  }
  return out.map((c) => Consent.parse(c));
}
