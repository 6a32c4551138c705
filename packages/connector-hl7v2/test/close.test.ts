import { describe, expect, it } from 'vitest';
import { createHl7v2Connector, hl7v2Connector } from '../src/index.js';
import { startFakeMllpPeer } from '../src/msw/index.js';
import { adt } from './mllp-helpers.js';

/** Waits on I/O turns (not a clock) until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 5000 && !check(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(check()).toBe(true);
}

describe('close(): the contract hook closes the MLLP client (issue 10)', () => {
  it('an instance made from the exported definition closes its MLLP connection', async () => {
    const peer = await startFakeMllpPeer();
    let open = 0;
    try {
      const instance = hl7v2Connector.create({ host: '127.0.0.1', port: peer.port, timeZone: 'Asia/Riyadh' });
      expect((await instance.actions.sendMessage({ message: adt('C1') })).ackCode).toBe('AA');
      // The peer's side of the one persistent connection is open until the instance closes.
      open = peer.connections;
      expect(open).toBe(1);
      await instance.close();
      await until(() => peer.connections === 0);
    } finally {
      await peer.close();
    }
  });

  it('createHl7v2Connector instances close the same way, and a closed client is not reused', async () => {
    const peer = await startFakeMllpPeer();
    try {
      const instance = createHl7v2Connector({ host: '127.0.0.1', port: peer.port, timeZone: 'Asia/Riyadh' });
      await instance.actions.sendMessage({ message: adt('C2') });
      expect(peer.connections).toBe(1);
      await instance.close();
      await until(() => peer.connections === 0);
      expect(peer.received.map((m) => m.controlId)).toEqual(['C2']);
    } finally {
      await peer.close();
    }
  });
});
