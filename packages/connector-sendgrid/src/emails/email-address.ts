import { domainToASCII } from 'node:url';
import { phi } from '@hmi/core';
import { z } from 'zod';

const PLAIN_EMAIL = z.email();

/**
 * Normalises an address for sending: trims it and turns an internationalised domain
 * (`info@مستشفى.السعودية`) into its ASCII (punycode) form, which is what SMTP and SendGrid take.
 * Returns undefined when the result is not a valid address. The local part must be ASCII.
 */
export function normalizeEmail(raw: string): string | undefined {
  const trimmed = raw.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1 || trimmed.length > 320) return undefined;
  const domain = domainToASCII(trimmed.slice(at + 1).toLowerCase());
  if (domain === '') return undefined;
  const address = `${trimmed.slice(0, at)}@${domain}`;
  return PLAIN_EMAIL.safeParse(address).success ? address : undefined;
}

/** An email address (PHI), normalised by {@link normalizeEmail}. Invalid addresses fail without being quoted. */
export const EmailAddress = phi(
  z.string().transform((value, ctx) => {
    const address = normalizeEmail(value);
    if (address === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected an email address' });
      return z.NEVER;
    }
    return address;
  }),
);
