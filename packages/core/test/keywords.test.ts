import { classifyInboundKeyword, createKeywordClassifier, DEFAULT_OPT_OUT_KEYWORDS } from '@hmi/core';
import { describe, expect, it } from 'vitest';

// The full keyword behaviour is tested where it started (connector-twilio/test/keywords.test.ts,
// through Twilio's re-export); this checks the shared module itself is what both connectors get.
describe('the shared opt-out keywords of @hmi/core', () => {
  it('recognise إيقاف in its written variants, and STOP', () => {
    expect(DEFAULT_OPT_OUT_KEYWORDS).toContain('إيقاف');
    for (const word of ['إيقاف', 'ايقاف', 'إيـــقاف', '\u200fإِيقَاف\u200f', 'stop', ' STOP ']) {
      expect(classifyInboundKeyword(word), word).toBe('opt-out');
    }
  });

  it('match whole messages only, and let a custom list add words', () => {
    expect(classifyInboundKeyword('إيقاف الموعد من فضلك')).toBeUndefined();
    expect(classifyInboundKeyword('please stop')).toBeUndefined();
    expect(createKeywordClassifier({ optOut: ['لا أريد'] })('لا اريد')).toBe('opt-out');
  });
});
