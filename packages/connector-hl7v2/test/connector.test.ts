import { ConfigError, ValidationError, WebhookVerificationError } from '@hmi/core';
import { expectNoLeaks } from '@hmi/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  adtToContact,
  createHl7v2Connector,
  type Hl7InboundEvent,
  type Hl7Message,
  hl7v2Connector,
  type MllpServer,
  sendMllp,
  startMllpServer,
} from '../src/index.js';
import { adt } from './mllp-helpers.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function ehr(
  onMessage: (m: Hl7Message) => void | Promise<void> = () => {},
): Promise<{ server: MllpServer; seen: Hl7Message[] }> {
  const seen: Hl7Message[] = [];
  const server = await startMllpServer({
    onMessage: async (m) => {
      seen.push(m);
      await onMessage(m);
    },
  });
  cleanups.push(() => server.close());
  return { server, seen };
}

function connector(port: number, extra: Record<string, unknown> = {}) {
  const c = createHl7v2Connector({ host: '127.0.0.1', port, defaultRegion: 'SA', timeZone: 'Asia/Riyadh', ...extra });
  cleanups.push(() => c.close());
  return c;
}

describe('createHl7v2Connector', () => {
  it('is a contract-v1 EHR connector and rejects bad config naming the field, not the value', () => {
    expect(hl7v2Connector.definition).toMatchObject({ id: 'hl7v2', category: 'ehr' });
    try {
      createHl7v2Connector({ host: '', port: 70_000, webhookToken: 'short-secret-x' } as never);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(ConfigError.isInstance(error)).toBe(true);
      expect((error as ConfigError).issues.map((i) => i.path[0])).toEqual(
        expect.arrayContaining(['host', 'port', 'webhookToken']),
      );
      expect(JSON.stringify(error)).not.toContain('short-secret-x');
    }
  });

  it('sendMessage delivers over MLLP and returns the ACK code; a missing MSH-10 comes from the idempotency key', async () => {
    const { server, seen } = await ehr();
    const c = connector(server.port);
    expect(await c.actions.sendMessage({ message: adt('X1').replace(/\r/g, '\n') })).toEqual({ ackCode: 'AA', controlId: 'X1' });
    const noId = adt(''); // MSH-10 left empty
    const first = await c.actions.sendMessage({ message: noId }, { idempotencyKey: 'order-42' });
    const again = await c.actions.sendMessage({ message: noId }, { idempotencyKey: 'order-42' });
    expect(first.controlId).toMatch(/^[0-9A-F]{20}$/);
    expect(again.controlId).toBe(first.controlId);
    expect(seen.map((m) => m.controlId)).toEqual(['X1', first.controlId, first.controlId]);
  });

  it('sendMessage reports AE from the EHR and refuses text that is not HL7 with a ValidationError', async () => {
    const { server } = await ehr(() => {
      throw new Error('nope');
    });
    const c = connector(server.port);
    expect((await c.actions.sendMessage({ message: adt('E1') })).ackCode).toBe('AE');
    const error = await c.actions.sendMessage({ message: 'definitely not hl7' }).catch((e) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
  });

  it('sendContact sends an ADT A28 that maps back to the contact', async () => {
    const { server, seen } = await ehr();
    const c = connector(server.port, { sendingFacility: 'CRM', receivingApplication: 'EHR' });
    const contact = {
      identifiers: [{ type: 'iqama' as const, value: '2100001111' }],
      names: [{ given: ['محمد'], family: 'الأحمد' }],
      phones: [{ value: '+966555123456', use: 'mobile' as const }],
      birthDate: '1985-02-14',
      gender: 'male' as const,
    };
    const result = await c.actions.sendContact({ contact, trigger: 'A28' }, { idempotencyKey: 'contact-1' });
    expect(result.ackCode).toBe('AA');
    const received = seen[0]!;
    expect(received.get('MSH-9')).toBe('ADT^A28^ADT_A05');
    expect(received.get('MSH-4')).toBe('CRM');
    expect(received.get('MSH-5')).toBe('EHR');
    const back = adtToContact(received, { defaultRegion: 'SA' }).contact;
    expect(back).toMatchObject({
      identifiers: contact.identifiers,
      phones: contact.phones,
      birthDate: '1985-02-14',
      gender: 'male',
    });
    expect(back.names[0]).toMatchObject({ given: ['محمد'], family: 'الأحمد' });
  });

  it('webhook `message` takes HL7 over HTTP, checks the token, and maps the message', async () => {
    const token = 'a-long-shared-token-123';
    const c = connector(1, { webhookToken: token });
    const request = (body: string, headers: Record<string, string>) =>
      new Request('https://crm.example/hl7', {
        method: 'POST',
        body,
        headers: { 'content-type': 'x-application/hl7-v2+er7', ...headers },
      });
    const events = await c.webhooks.message.verify(request(adt('W1'), { 'x-hl7-token': token }));
    expect(events).toHaveLength(1);
    const event = events[0] as unknown as Hl7InboundEvent & { connector: string };
    expect(event).toMatchObject({ id: 'W1', type: 'hl7.adt.a04', connector: 'hl7v2' });
    expect(event.data.kind).toBe('patient');
    if (event.data.kind === 'patient') expect(event.data.contact.phones).toEqual([{ value: '+966555123456', use: 'mobile' }]);
    const wrong = await c.webhooks.message.verify(request(adt('W2'), { 'x-hl7-token': 'wrong' })).catch((e) => e);
    expect(WebhookVerificationError.isInstance(wrong)).toBe(true);
    const malformed = await c.webhooks.message.verify(request('nope', { authorization: `Bearer ${token}` })).catch((e) => e);
    expect(ValidationError.isInstance(malformed)).toBe(true);
  });

  it('listen() maps inbound messages; a failing handler gets AE and nothing of the patient leaks (canary)', async () => {
    const c = connector(1);
    const events: string[] = [];
    c.telemetry.onAny((name, payload) => events.push(`${name} ${JSON.stringify(payload)}`));
    const received: Hl7InboundEvent[] = [];
    const server = await c.listen({
      onEvent: (event) => {
        received.push(event);
        if (event.id === 'FAIL') throw new Error(`could not save ${JSON.stringify(event.data)}`);
      },
    });
    cleanups.push(() => server.close());
    const ok = await sendMllp({ host: '127.0.0.1', port: server.port, message: adt('OK1') });
    expect(ok.get('MSA-1')).toBe('AA');
    expect(received[0]!.data.kind).toBe('patient');
    const failed = await sendMllp({ host: '127.0.0.1', port: server.port, message: adt('FAIL', 'الكناري^سلمى', '0555111222') });
    expect(failed.get('MSA-1')).toBe('AE');
    expect(events.some((e) => e.startsWith('error '))).toBe(true);
    expectNoLeaks([failed.toString(), ...events], ['الكناري', 'سلمى', '555111222']);
  });

  it('check() says whether the MLLP peer is reachable', async () => {
    const { server } = await ehr();
    expect(await connector(server.port).check()).toEqual({ ok: true });
    const port = server.port;
    await server.close();
    const result = await connector(port).check();
    expect(result.ok).toBe(false);
  });
});
