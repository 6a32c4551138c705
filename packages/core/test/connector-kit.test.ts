import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { connectorKit, defineConnector, type WebhookEvent } from '@hmi/core';

interface ClinicContext {
  clinicId: string;
  greet(name: string): string;
}

const kit = connectorKit<ClinicContext>();

// No annotation on ctx or input: both are inferred from the kit and the schemas.
const hello = kit.action({
  input: z.object({ name: z.string() }),
  output: z.object({ text: z.string(), clinic: z.string() }),
  idempotent: true,
  run: async (input, ctx) => {
    expectTypeOf(ctx).toEqualTypeOf<ClinicContext>();
    expectTypeOf(input).toEqualTypeOf<{ name: string }>();
    return { text: ctx.greet(input.name), clinic: ctx.clinicId };
  },
});

const visits = kit.stream({
  record: z.object({ id: z.string() }),
  checkpoint: z.object({ page: z.number() }),
  async *read(ctx, { checkpoint }) {
    expectTypeOf(ctx).toEqualTypeOf<ClinicContext>();
    const page = checkpoint?.page ?? 0;
    if (page < 1) yield { records: [{ id: `${ctx.clinicId}-v1` }], checkpoint: { page: page + 1 } };
  },
});

const inbound = kit.webhook({
  async verify(_request, ctx): Promise<WebhookEvent[]> {
    expectTypeOf(ctx).toEqualTypeOf<ClinicContext>();
    return [];
  },
});

describe('connectorKit', () => {
  it('gives typed contexts to actions, streams and webhooks that run inside a connector', async () => {
    const Clinic = defineConnector({
      id: 'clinic',
      name: 'Clinic',
      category: 'other',
      version: '0.0.0',
      config: z.object({ clinicId: z.string() }),
      setup: (config): ClinicContext => ({ clinicId: config.clinicId, greet: (name) => `مرحبا ${name}` }),
      actions: { hello },
      streams: { visits },
      webhooks: { inbound },
    });
    const instance = Clinic.create({ clinicId: 'riyadh-1' });
    await expect(instance.actions.hello({ name: 'Sara' })).resolves.toEqual({ text: 'مرحبا Sara', clinic: 'riyadh-1' });
    const pages = [];
    for await (const page of instance.streams.visits.read()) pages.push(page);
    expect(pages).toEqual([{ records: [{ id: 'riyadh-1-v1' }], checkpoint: { page: 1 } }]);
  });
});
