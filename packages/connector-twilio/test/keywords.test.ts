import { classifyInboundKeyword, createKeywordClassifier, normalizeKeywordText } from '@hmi/connector-twilio';
import { describe, expect, it } from 'vitest';

describe('classifyInboundKeyword', () => {
  it.each(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'])('%s is an opt-out', (word) => {
    expect(classifyInboundKeyword(word)).toBe('opt-out');
    expect(classifyInboundKeyword(word.toLowerCase())).toBe('opt-out');
    expect(classifyInboundKeyword(`  ${word[0]}${word.slice(1).toLowerCase()}\n`)).toBe('opt-out');
  });

  it.each(['START', 'YES', 'UNSTOP'])('%s is an opt-in', (word) => {
    expect(classifyInboundKeyword(word)).toBe('opt-in');
    expect(classifyInboundKeyword(word.toLowerCase())).toBe('opt-in');
  });

  it.each(['HELP', 'INFO', 'help', ' Info '])('%s is help', (word) => {
    expect(classifyInboundKeyword(word)).toBe('help');
  });

  it.each(['إيقاف', 'ايقاف', 'إلغاء', 'الغاء', 'توقف'])('Arabic %s is an opt-out', (word) => {
    expect(classifyInboundKeyword(word)).toBe('opt-out');
    expect(classifyInboundKeyword(` ${word} `)).toBe('opt-out');
  });

  it('normalises Arabic: tatweel, diacritics, alef forms, direction marks, presentation forms', () => {
    expect(classifyInboundKeyword('إيـــقاف')).toBe('opt-out'); // tatweel (kashida)
    expect(classifyInboundKeyword('إِيقَاف')).toBe('opt-out'); // kasra, fatha
    expect(classifyInboundKeyword('تَوَقَّفْ')).toBe('opt-out'); // shadda, sukun
    expect(classifyInboundKeyword('أيقاف')).toBe('opt-out'); // alef with hamza above
    expect(classifyInboundKeyword('\u200fإلغاء\u200f')).toBe('opt-out'); // RLM around the word
    expect(classifyInboundKeyword('\u202bتوقف\u202c')).toBe('opt-out'); // RLE … PDF
    expect(classifyInboundKeyword('\uFE97\uFEEE\uFED7\uFED2')).toBe('opt-out'); // presentation forms of توقف
    expect(classifyInboundKeyword('ＳＴＯＰ')).toBe('opt-out'); // full-width Latin
    expect(normalizeKeywordText(' إِيـقَاف ')).toBe('ايقاف');
  });

  it('matches the whole message only', () => {
    for (const text of [
      'STOP please',
      'please stop',
      'stop!',
      'STOP STOP',
      'أريد إيقاف الرسائل',
      'yes I will come',
      'HELPFUL',
      'S T O P',
      '',
    ]) {
      expect(classifyInboundKeyword(text)).toBeUndefined();
    }
    expect(classifyInboundKeyword(undefined)).toBeUndefined();
    expect(classifyInboundKeyword(null)).toBeUndefined();
  });

  it('adds custom keywords by default and can replace the built-in lists', () => {
    const extended = { optOut: ['وقف الرسائل', 'ARRET'], help: ['مساعدة'] };
    expect(classifyInboundKeyword('arret', extended)).toBe('opt-out');
    expect(classifyInboundKeyword('وقف الرسائل', extended)).toBe('opt-out');
    expect(classifyInboundKeyword('مساعدة', extended)).toBe('help');
    expect(classifyInboundKeyword('STOP', extended)).toBe('opt-out');

    const replaced = createKeywordClassifier({ optIn: ['SUBSCRIBE'], replace: true });
    expect(replaced('START')).toBeUndefined();
    expect(replaced('subscribe')).toBe('opt-in');
    expect(replaced('STOP')).toBe('opt-out'); // a kind not given keeps its list
    expect(createKeywordClassifier({ help: [], replace: true })('HELP')).toBeUndefined();
  });

  it('lets opt-out win when a word is in several lists', () => {
    expect(classifyInboundKeyword('YES', { optOut: ['yes'] })).toBe('opt-out');
  });
});
