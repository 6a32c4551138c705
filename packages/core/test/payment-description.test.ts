import { describe, expect, it } from 'vitest';
import { findDiagnosisInText } from '../src/index.js';
import { Payment, PaymentMethod } from '../src/schemas.js';

describe('findDiagnosisInText', () => {
  it('finds ICD-10 codes standing alone, with or without a dot', () => {
    for (const text of ['E11.9', 'Review of J45', 'متابعة E11.65 الشهرية', 'codes: I10, Z00.00']) {
      expect(findDiagnosisInText(text)).toBe('condition_code');
    }
  });

  it('leaves ids and lab names alone', () => {
    for (const text of ['Invoice INV-A12', 'Order #B20', 'HbA1c', 'APT-7781', 'e11.9 lower case', 'Room 12A']) {
      expect(findDiagnosisInText(text)).toBeUndefined();
    }
  });

  it('matches vocabulary as whole words, Arabic diacritics, tatweel and alef forms folded', () => {
    const vocabulary = ['diabetes', 'السكري', 'أورام'];
    expect(findDiagnosisInText('DIABETES clinic', { vocabulary })).toBe('vocabulary_term');
    expect(findDiagnosisInText('عيادة السُّكَّري', { vocabulary })).toBe('vocabulary_term');
    expect(findDiagnosisInText('قسم الاورام', { vocabulary })).toBe('vocabulary_term');
    expect(findDiagnosisInText('prediabetes screening', { vocabulary })).toBeUndefined();
    expect(findDiagnosisInText('Outpatient visit', { vocabulary })).toBeUndefined();
  });
});

describe('Payment', () => {
  it('takes a PaymentMethod and fees in minor units', () => {
    const payment = Payment.parse({
      id: 'p1',
      status: 'succeeded',
      amountMinor: 125,
      currency: 'kwd',
      method: 'knet',
      feeMinor: 3,
    });
    expect(payment).toMatchObject({ currency: 'KWD', method: 'knet', feeMinor: 3 });
    expect(PaymentMethod.options).toEqual(
      expect.arrayContaining(['mada', 'visa', 'mastercard', 'amex', 'applepay', 'stcpay', 'knet', 'benefit']),
    );
    expect(Payment.safeParse({ id: 'p1', status: 'succeeded', amountMinor: 125, currency: 'KWD', feeMinor: -1 }).success).toBe(
      false,
    );
  });
});
