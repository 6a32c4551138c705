import { describe, expect, it } from 'vitest';
import {
  ConsentError,
  type ConsentQuery,
  createConsentGate,
  type HmiError,
  pickLanguage,
  renderTemplate,
  ValidationError,
} from '@hmi/core';

const marketing: ConsentQuery = { recipient: '+966555123456', channel: 'sms', purpose: 'marketing' };
const transactional: ConsentQuery = { ...marketing, purpose: 'transactional' };
const at = (iso: string) => new Date(iso);
const refusal = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e as HmiError,
  );
  expect(ConsentError.isInstance(error)).toBe(true);
  return error as ConsentError;
};

describe('consent gate', () => {
  it('lets transactional sends through without any checker', async () => {
    await expect(createConsentGate().assertAllowed(transactional)).resolves.toBeUndefined();
  });

  it('refuses marketing without a checker, or when the checker says no', async () => {
    expect((await refusal(createConsentGate({}, 'sms').assertAllowed(marketing))).reason).toBe('no_consent_checker');
    expect((await refusal(createConsentGate({ check: () => false }).assertAllowed(marketing))).reason).toBe('no_consent');
    expect((await refusal(createConsentGate({ check: async () => ({ allowed: false }) }).assertAllowed(marketing))).reason).toBe(
      'no_consent',
    );
    await expect(createConsentGate({ check: () => true }).assertAllowed(marketing)).resolves.toBeUndefined();
  });

  it('fails closed when the checker throws or answers nonsense, without quoting the recipient', async () => {
    const error = await refusal(
      createConsentGate({
        check: () => {
          throw new Error('consent DB lookup failed for +966555123456 (فاطمة الحربي)');
        },
      }).assertAllowed(marketing),
    );
    expect(error.reason).toBe('check_failed');
    expect(error.retryable).toBe(false);
    const cause = (error as { cause?: Error }).cause!;
    expect(`${cause.message}${cause.stack}${JSON.stringify(error)}`).not.toMatch(/966555123456|فاطمة/);
    expect((await refusal(createConsentGate({ check: () => 'yes' as never }).assertAllowed(marketing))).reason).toBe(
      'check_failed',
    );
  });

  describe('quiet hours across midnight in Asia/Riyadh (UTC+3)', () => {
    const gate = createConsentGate({ check: () => true, quietHours: { start: '21:00', end: '08:00' } });
    it.each([
      ['2025-01-15T19:30:00Z', '22:30'],
      ['2025-01-15T21:00:00Z', '00:00'],
      ['2025-01-15T04:59:00Z', '07:59'],
      ['2025-01-15T18:00:00Z', '21:00'],
    ])('refuses at %s (%s in Riyadh), retryable later', async (iso) => {
      const error = await refusal(gate.assertAllowed(marketing, at(iso)));
      expect(error.reason).toBe('quiet_hours');
      expect(error.retryable).toBe(true);
    });
    it.each([
      ['2025-01-15T05:00:00Z', '08:00'],
      ['2025-01-15T12:00:00Z', '15:00'],
      ['2025-01-15T17:59:00Z', '20:59'],
    ])('allows at %s (%s in Riyadh)', async (iso) => {
      await expect(gate.assertAllowed(marketing, at(iso))).resolves.toBeUndefined();
    });
    it('never applies to transactional sends', async () => {
      await expect(gate.assertAllowed(transactional, at('2025-01-15T21:00:00Z'))).resolves.toBeUndefined();
    });
  });

  it("uses the recipient's time zone from the consent answer (Cairo is an hour behind Riyadh)", async () => {
    const gate = createConsentGate({
      check: () => ({ allowed: true, timeZone: 'Africa/Cairo' }),
      quietHours: { start: '21:00', end: '08:00' },
    });
    // 18:30Z: 21:30 in Riyadh but 20:30 in Cairo.
    await expect(gate.assertAllowed(marketing, at('2025-01-15T18:30:00Z'))).resolves.toBeUndefined();
    expect((await refusal(gate.assertAllowed(marketing, at('2025-01-15T19:30:00Z')))).reason).toBe('quiet_hours');
  });

  it('a window that does not wrap midnight works too', async () => {
    const gate = createConsentGate({
      check: () => true,
      quietHours: { start: '13:00', end: '15:00', defaultTimeZone: 'Asia/Dubai' },
    });
    expect((await refusal(gate.assertAllowed(marketing, at('2025-01-15T09:30:00Z')))).reason).toBe('quiet_hours');
    await expect(gate.assertAllowed(marketing, at('2025-01-15T11:00:00Z'))).resolves.toBeUndefined();
  });

  it('an unknown time zone or a malformed window refuses (fail closed) with a typed error', async () => {
    const badZone = createConsentGate({
      check: () => ({ allowed: true, timeZone: 'Mars/Olympus' }),
      quietHours: { start: '21:00', end: '08:00' },
    });
    expect((await refusal(badZone.assertAllowed(marketing))).reason).toBe('config');
    const badWindow = createConsentGate({ check: () => true, quietHours: { start: '25:00', end: '08:00' } });
    expect((await refusal(badWindow.assertAllowed(marketing))).reason).toBe('config');
  });

  it("emit reports consent events and swallows the host's failures", async () => {
    const seen: string[] = [];
    const event = {
      type: 'consent.revoked',
      recipient: '+966555123456',
      channel: 'sms',
      purpose: 'all',
      source: 'sms-keyword',
      occurredAt: '2025-01-15T00:00:00Z',
      connector: 'twilio',
    } as const;
    await createConsentGate({ onEvent: (e) => void seen.push(e.type) }).emit(event);
    expect(seen).toEqual(['consent.revoked']);
    await expect(
      createConsentGate({
        onEvent: () => {
          throw new Error('db down');
        },
      }).emit(event),
    ).resolves.toBeUndefined();
  });
});

describe('bilingual templates', () => {
  const FSI = '\u2068';
  const PDI = '\u2069';
  const template = {
    ar: 'مرحباً {{name}}، موعدك في {{clinic}} بتاريخ {{date}}. الرمز: {{ code }}',
    en: 'Hello {{name}}, see you at {{clinic}} on {{date}}.',
  };

  it('isolates Latin and numeric values inside Arabic text', () => {
    const text = renderTemplate(template, 'ar', { name: 'John Smith', clinic: 'عيادة الأسنان', date: '2025-01-15', code: 4821 });
    expect(text).toContain(`${FSI}John Smith${PDI}`);
    expect(text).toContain(`${FSI}2025-01-15${PDI}`);
    expect(text).toContain(`${FSI}4821${PDI}`);
    // An Arabic value in Arabic text needs no isolate.
    expect(text).toContain('في عيادة الأسنان بتاريخ');
    expect(text).not.toContain(`${FSI}عيادة`);
  });

  it('leaves English text alone', () => {
    const text = renderTemplate(template, 'en', { name: 'فاطمة الحربي', clinic: 'Dental', date: '2025-01-15' });
    expect(text).toBe('Hello فاطمة الحربي, see you at Dental on 2025-01-15.');
  });

  it('a missing variable is a ValidationError naming it, without the other values', () => {
    let error: unknown;
    try {
      renderTemplate(template, 'ar', { name: 'فاطمة الحربي', clinic: 'x' });
    } catch (e) {
      error = e;
    }
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues[0]!.path).toEqual(['date']);
    expect(JSON.stringify(error) + (error as Error).message).not.toContain('فاطمة');
  });

  it('a missing language is a ValidationError', () => {
    expect(() => renderTemplate(template, 'fr', {})).toThrow(ValidationError);
  });

  it('pickLanguage takes the first language the template has', () => {
    expect(pickLanguage(template, ['ar-SA', 'en'])).toBe('ar');
    expect(pickLanguage(template, ['fr', 'EN-gb'])).toBe('en');
    expect(pickLanguage(template, ['fr'])).toBe('ar');
    expect(pickLanguage(template, undefined, 'en')).toBe('en');
  });
});
