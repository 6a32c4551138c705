import { describe, expect, it } from 'vitest';
import { main } from './readme-example.js';

describe('README example', () => {
  it('runs and does what the README says', async () => {
    const lines: string[] = [];
    await main((line) => lines.push(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^sync patients \{"hmi.integration_point":"ehr-to-crm","hmi.sync.id":"patients","hmi.sync.run_id":"[0-9a-f-]{36}","hmi.sync.resumed":false,"hmi.sync.trigger":"manual","hmi.sync.pages":1,"hmi.sync.records":2\} events=sync.page$/,
    );
  });
});
