import { describe, expect, it } from 'vitest';
import { main } from './readme-example.js';

describe('README example', () => {
  it('runs and does what the README says', async () => {
    const lines: string[] = [];
    await main((line) => lines.push(line));
    expect(lines).toEqual([
      'reminder: 2 messages, 2 requests',
      'campaign: ConsentError, still 2 requests',
      'consent: consent.revoked (email-group-unsubscribe)',
      'webhook: sendgrid.group_unsubscribe',
    ]);
  });
});
