import { classifyGraphError } from '@hmi/connector-meta/graph';
import { ApiError, AuthError, ValidationError } from '@hmi/core';
import { describe, expect, it } from 'vitest';

const context = (code: number) => ({
  status: 400,
  headers: new Headers(),
  body: { error: { code, message: 'echoed text', fbtrace_id: 'Ab1' } },
  method: 'POST' as const,
  operation: 'send',
  requestId: undefined,
});

describe('classifyGraphError with a product code hook (used by connector-whatsapp)', () => {
  const hook = ({ code, name, base }: { code: number; name: string; base: { connector: string; vendorCode: string } }) =>
    code === 131026 ? new ApiError(`${name}: undeliverable`, { ...base, code: 'undeliverable', retryable: false }) : undefined;

  it('asks the hook first, with the label and numeric codes only', () => {
    const error = classifyGraphError(context(131026), { connector: 'whatsapp', label: 'WhatsApp', classifyCode: hook });
    expect(ApiError.isInstance(error) && error.code).toBe('undeliverable');
    expect(error?.message).toBe('WhatsApp error 131026: undeliverable');
    expect(error?.connector).toBe('whatsapp');
    expect(error?.vendorCode).toBe('131026');
  });

  it('falls through to the shared Graph codes when the hook does not own the code', () => {
    expect(AuthError.isInstance(classifyGraphError(context(190), { connector: 'whatsapp', classifyCode: hook }))).toBe(true);
    expect(ValidationError.isInstance(classifyGraphError(context(100), { connector: 'whatsapp', classifyCode: hook }))).toBe(
      true,
    );
    expect(classifyGraphError(context(131026), { connector: 'meta' })).toBeUndefined();
  });
});
