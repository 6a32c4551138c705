import type { Message } from '@hmi/core';
import { ApiError, ValidationError, isHmiError } from '@hmi/core';
import type { ListMessagesCheckpoint } from '@hmi/connector-twilio';
import { FIXTURE_ACCOUNT_SID, rfc2822, twilioMessageFixture } from '@hmi/connector-twilio/msw';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, connectorFor, rejection, startFakeTwilio } from './harness.js';

let fake: ReturnType<typeof startFakeTwilio>;
beforeAll(() => {
  fake = startFakeTwilio({ deliveryFailures: { '+966500000003': 30003 } });
});
afterEach(() => {
  fake.server.resetHandlers();
  fake.calls.length = 0;
  fake.requests.length = 0;
  fake.state.clearFailures();
  fake.state.messages.clear();
});
afterAll(() => fake.close());

async function readAll(iterable: AsyncIterable<{ records: Message[]; checkpoint: ListMessagesCheckpoint }>) {
  const pages: Array<{ records: Message[]; checkpoint: ListMessagesCheckpoint }> = [];
  for await (const page of iterable) pages.push(page);
  return pages;
}

describe('getMessage', () => {
  it('follows a message through queued → sending → sent → delivered', async () => {
    const twilio = connectorFor(fake, { from: '+966112345678', messagingServiceSid: undefined });
    const sent = await twilio.actions.sendSms({ to: '0555123456', body: 'Reminder', purpose: 'transactional' });
    const seen: string[] = [sent.status];
    for (let i = 0; i < 4; i++) seen.push((await twilio.actions.getMessage({ sid: sent.id })).status);
    expect(seen).toEqual(['queued', 'queued', 'sending', 'sent', 'delivered']);
  });

  it('reports an undelivered message with its 3000x error code', async () => {
    const twilio = connectorFor(fake, { from: '+966112345678', messagingServiceSid: undefined });
    const sent = await twilio.actions.sendSms({ to: '+966500000003', body: 'Reminder', purpose: 'transactional' });
    let last: Message = sent;
    for (let i = 0; i < 5; i++) last = await twilio.actions.getMessage({ sid: sent.id });
    expect(last).toMatchObject({ status: 'undelivered', errorCode: '30003' });
  });

  it('retries a GET after a 503 (reads are idempotent)', async () => {
    const seeded = fake.state.seed({ status: 'delivered' });
    fake.state.failNext({ status: 503, code: 20503, message: 'Service unavailable' });
    const twilio = connectorFor(fake);
    await expect(twilio.actions.getMessage({ sid: seeded.sid })).resolves.toMatchObject({ status: 'delivered' });
    expect(fake.calls).toHaveLength(2);
  });

  it('retries a GET after a 429 / 20429', async () => {
    const seeded = fake.state.seed({ status: 'sent' });
    fake.state.failNext({ status: 429, code: 20429, headers: { 'retry-after': '0' } });
    const twilio = connectorFor(fake);
    await expect(twilio.actions.getMessage({ sid: seeded.sid })).resolves.toMatchObject({ status: 'sent' });
    expect(fake.calls).toHaveLength(2);
  });

  it('maps 20404 to a not_found ApiError and refuses a malformed SID without a request', async () => {
    const twilio = connectorFor(fake);
    const missing = await rejection(twilio.actions.getMessage({ sid: `SM${'f'.repeat(32)}` }));
    expect(ApiError.isInstance(missing)).toBe(true);
    expect(missing).toMatchObject({ code: 'not_found', vendorCode: '20404', retryable: false });
    fake.calls.length = 0;
    const bad = await rejection(twilio.actions.getMessage({ sid: '../Calls' }));
    expect(ValidationError.isInstance(bad)).toBe(true);
    expect(fake.calls).toHaveLength(0);
  });

  it('validates what Twilio returns: an unknown status is an invalid_response, not a guess', async () => {
    const sid = `SM${'a'.repeat(32)}`;
    fake.server.use(
      http.get(`${BASE_URL}/2010-04-01/Accounts/${FIXTURE_ACCOUNT_SID}/Messages/${sid}.json`, () =>
        HttpResponse.json({ ...twilioMessageFixture({ sid }), status: 'teleported' }),
      ),
    );
    const twilio = connectorFor(fake);
    const error = await rejection(twilio.actions.getMessage({ sid }));
    expect(isHmiError(error) && error.code).toBe('invalid_response');
  });

  it('maps inbound and WhatsApp resources', async () => {
    const inbound = fake.state.seed({
      direction: 'inbound',
      status: 'received',
      from: '+966555123456',
      to: '+966112345678',
      body: 'نعم',
    });
    const whatsapp = fake.state.seed({ to: 'whatsapp:+966555123456', status: 'read' });
    const twilio = connectorFor(fake);
    await expect(twilio.actions.getMessage({ sid: inbound.sid })).resolves.toMatchObject({
      direction: 'inbound',
      status: 'received',
      from: '+966555123456',
      body: 'نعم',
      segments: { encoding: 'UCS-2', segments: 1, units: 3 },
    });
    await expect(twilio.actions.getMessage({ sid: whatsapp.sid })).resolves.toMatchObject({
      channel: 'whatsapp',
      to: '+966555123456',
      status: 'read',
    });
  });
});

describe('listMessages', () => {
  function seedDays() {
    const days = ['2026-02-27', '2026-02-28', '2026-03-01'];
    for (const day of days) {
      for (let i = 0; i < 3; i++) {
        fake.state.seed({
          status: 'delivered',
          to: i === 0 ? '+966555123456' : '+971501234567',
          date_sent: rfc2822(new Date(`${day}T0${i}:00:00Z`)),
          date_created: rfc2822(new Date(`${day}T0${i}:00:00Z`)),
        });
      }
    }
  }

  it('pages through next_page_uri until the end, newest first', async () => {
    seedDays();
    const twilio = connectorFor(fake);
    const pages = await readAll(twilio.streams.listMessages.read({ checkpoint: { filter: { pageSize: 4 } } }));
    expect(pages.map((p) => p.records.length)).toEqual([4, 4, 1]);
    expect(pages.at(-1)?.checkpoint.nextPageUri).toBeNull();
    expect(pages[0]?.checkpoint.nextPageUri).toMatch(/PageToken=PA/);
    const created = pages.flatMap((p) => p.records.map((r) => r.createdAt as string));
    expect([...created].sort().reverse()).toEqual(created);
    expect(fake.calls).toHaveLength(3);
  });

  it('filters by DateSent range and recipient for reconciliation', async () => {
    seedDays();
    const twilio = connectorFor(fake, { defaultRegion: 'SA' });
    const pages = await readAll(
      twilio.streams.listMessages.read({ checkpoint: { filter: { sentOnOrAfter: '2026-02-28', to: '0555123456' } } }),
    );
    const records = pages.flatMap((p) => p.records);
    expect(records).toHaveLength(2);
    expect(records.every((r) => r.to === '+966555123456')).toBe(true);
    const query = new URL((fake.calls[0] as Request).url).searchParams;
    expect(query.get('DateSent>')).toBe('2026-02-28');
    expect(query.get('To')).toBe('+966555123456');

    fake.calls.length = 0;
    const one = await readAll(twilio.streams.listMessages.read({ checkpoint: { filter: { sentOn: '2026-02-27' } } }));
    expect(one.flatMap((p) => p.records)).toHaveLength(3);
    const before = await readAll(twilio.streams.listMessages.read({ checkpoint: { filter: { sentOnOrBefore: '2026-02-28' } } }));
    expect(before.flatMap((p) => p.records)).toHaveLength(6);
  });

  it('resumes from a saved checkpoint and reads nothing after a completed one', async () => {
    seedDays();
    const twilio = connectorFor(fake);
    const first = await twilio.streams.listMessages
      .read({ checkpoint: { filter: { pageSize: 5 } } })
      [Symbol.asyncIterator]()
      .next();
    const saved = first.value?.checkpoint as ListMessagesCheckpoint;
    expect(saved.nextPageUri).toBeTruthy();
    const rest = await readAll(twilio.streams.listMessages.read({ checkpoint: saved }));
    expect(rest.flatMap((p) => p.records)).toHaveLength(4);
    fake.calls.length = 0;
    expect(await readAll(twilio.streams.listMessages.read({ checkpoint: rest.at(-1)?.checkpoint }))).toHaveLength(0);
    expect(fake.calls).toHaveLength(0);
  });

  it('refuses a checkpoint that points outside this account’s Messages list', async () => {
    const twilio = connectorFor(fake);
    for (const nextPageUri of [
      '/2010-04-01/Accounts/AC0000000000000000000000000000ffff/Messages.json?Page=1',
      `/2010-04-01/Accounts/${FIXTURE_ACCOUNT_SID}/Calls.json`,
      'https://evil.example/2010-04-01/Accounts/x/Messages.json',
    ]) {
      const error = await rejection(readAll(twilio.streams.listMessages.read({ checkpoint: { filter: {}, nextPageUri } })));
      expect(isHmiError(error)).toBe(true);
    }
    expect(fake.calls).toHaveLength(0);
  });

  it('refuses malformed filters before any request', async () => {
    const twilio = connectorFor(fake);
    for (const filter of [{ sentOn: '01/03/2026' }, { to: 'abc' }, { pageSize: 5000 }]) {
      const error = await rejection(
        readAll(twilio.streams.listMessages.read({ checkpoint: { filter } as ListMessagesCheckpoint })),
      );
      expect(ValidationError.isInstance(error)).toBe(true);
    }
    expect(fake.calls).toHaveLength(0);
  });

  it('stops with an error when Twilio repeats a next page link', async () => {
    const loop = `/2010-04-01/Accounts/${FIXTURE_ACCOUNT_SID}/Messages.json?Page=1&PageToken=PAloop`;
    fake.server.use(
      http.get(`${BASE_URL}/2010-04-01/Accounts/${FIXTURE_ACCOUNT_SID}/Messages.json`, () =>
        HttpResponse.json({ messages: [twilioMessageFixture()], next_page_uri: loop, page: 0, page_size: 1 }),
      ),
    );
    const twilio = connectorFor(fake);
    const error = await rejection(readAll(twilio.streams.listMessages.read()));
    expect(isHmiError(error) && error.code).toBe('pagination_loop');
  });
});
