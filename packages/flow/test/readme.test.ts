import { createMemoryStateStore, runSync } from '@hmi/flow';
import { expect, it } from 'vitest';

// The README's quick start, verbatim but for the console.log lines.
it('README quick start runs', async () => {
  const state = createMemoryStateStore();
  const crm = new Map<string, { id: string; name: string }>();

  async function* patients({ checkpoint }: { checkpoint?: number }) {
    const all = [
      { id: 'p1', name: 'عائشة' },
      { id: 'p2', name: 'Omar' },
      { id: 'p3', name: 'فاطمة' },
    ];
    for (let i = checkpoint ?? 0; i < all.length; i += 2) yield { records: all.slice(i, i + 2), checkpoint: i + 2 };
  }

  const result = await runSync({
    id: 'patients',
    source: patients,
    destination: async (record: { id: string; name: string }, { key }) => void crm.set(key, record),
    state,
  });
  expect([result.pages, crm.size, (await state.getCheckpoint('patients'))?.checkpoint]).toEqual([2, 3, 4]);
  const audit = await state.queryAudit({ integrationPoint: 'patients' });
  expect(audit.map((a) => [a.operation, a.recordIds])).toEqual([
    ['sync.write', ['p1', 'p2']],
    ['sync.write', ['p3']],
  ]);
});
