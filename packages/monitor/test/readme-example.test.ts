import { describe, expect, it } from 'vitest';
import { main } from './readme-example.js';

describe('README example', () => {
  it('runs and does what the README says', async () => {
    const lines: string[] = [];
    await main((line) => lines.push(line));
    expect(lines).toEqual([
      'alert firing: [warning] consecutive-failures: ehr-to-crm: 2 consecutive failures, threshold 2 (last error sync_failed)',
      'alert firing: [warning] hl7-ack: adt-feed: 1 negative HL7 acknowledgement(s), last AE',
      'hmi_sync_runs_total{integration_point="ehr-to-crm",connector="",sync="patients",outcome="error",error_code="sync_failed"} 2',
    ]);
  });
});
