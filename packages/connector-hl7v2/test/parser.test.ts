import { isHmiError, ValidationError } from '@hmi/core';
import { describe, expect, it } from 'vitest';
import { decodeEscapes, encodeEscapes, Hl7ParseError, parseHl7, parseHl7Path } from '../src/index.js';
import { expectedText, hl7Samples } from './specs.js';

const samples = hl7Samples();

describe('parseHl7 on the shared samples', () => {
  it('finds the samples (LF endings, some with a BOM)', () => {
    expect(samples.length).toBeGreaterThanOrEqual(12);
    expect(samples.some((s) => s.bytes[0] === 0xef)).toBe(true);
  });

  it.each(samples.map((s) => [s.name, s.bytes] as const))(
    '%s: toString() is the input exactly (LF → CR, BOM dropped)',
    (_, bytes) => {
      const expected = expectedText(bytes);
      expect(parseHl7(bytes).toString()).toBe(expected);
      expect(parseHl7(bytes.toString('utf8')).toString()).toBe(expected);
      const crlf = bytes.toString('utf8').replace(/\n/g, '\r\n');
      expect(parseHl7(crlf).toString()).toBe(expected);
      expect(parseHl7(expected).toString()).toBe(expected);
      expect(Buffer.from(parseHl7(bytes).toString()).equals(Buffer.from(expected))).toBe(true);
    },
  );

  it('reads fields of a v2.8 ADT', () => {
    const msg = parseHl7(samples.find((s) => s.name === 'ADT-A01-01.hl7')!.bytes);
    expect(msg.get('MSH-1')).toBe('|');
    expect(msg.get('MSH-2')).toBe('^~\\&');
    expect(msg.get('MSH-3')).toBe('ADTApp');
    expect(msg.get('MSH-9')).toBe('ADT^A01^ADT_A01'); // structure kept when no component asked
    expect(msg.get('MSH-9.2')).toBe('A01');
    expect([msg.messageType, msg.triggerEvent, msg.controlId, msg.version]).toEqual(['ADT', 'A01', 'MSG00001', '2.8']);
    expect(msg.get('PID-5.1.1')).toBe('EVERYMAN');
    expect(msg.get('PID-5.2')).toBe('ADAM');
    expect(msg.get('PID-5[2].1.1')).toBe('Josh');
    expect(msg.get('PID-3[2].1')).toBe('123456789');
    expect(msg.get('PID[1]-3[2].5')).toBe('SS');
    expect(msg.getAll('PID-3.1')).toEqual(['PATID1234', '123456789']);
    expect(msg.get('PV1-14')).toBe('NHS Provider-General (inc.A&E-this Hosp)'); // \T\ decoded
    expect(msg.getEncoded('PV1-14')).toBe('NHS Provider-General (inc.A\\T\\E-this Hosp)');
    expect(msg.getAll('ROL-3.2')).toEqual(['Primary Care Provider', 'Primary Care Provider', 'Primary Care Provider']);
    expect(msg.get('ROL[3]-4.2')).toBe('Phoeb');
    expect(msg.count('ROL')).toBe(3);
  });

  it('gives undefined for what is not there and "" for an empty field', () => {
    const msg = parseHl7(samples.find((s) => s.name === 'ADT04-251.hl7')!.bytes);
    expect(msg.get('ZZZ-1')).toBeUndefined();
    expect(msg.get('PID[2]-3')).toBeUndefined();
    expect(msg.get('PID-99')).toBeUndefined();
    expect(msg.get('PID-1')).toBe('');
    expect(msg.get('PID-5.9')).toBeUndefined();
    expect(msg.get('PID-3[3]')).toBeUndefined();
    expect(msg.get('MSH-1.2')).toBeUndefined();
    expect(msg.getAll('PID-1')).toEqual([]);
    expect(msg.getAll('ZZZ-1')).toEqual([]);
  });
});

describe('separators', () => {
  // Field '#', component '@', repetition '$', escape '%', subcomponent '*'.
  const text = [
    'MSH#@$%*#SEND#FAC#RECV#FAC#20240101##ADT@A04#CTRL1#P#2.5',
    'PID#1##ID1@@@AUTH*1.2*ISO@MR$ID2@@@@NI##BROS@MARIO%F%%S%X',
  ].join('\r');

  it('come from MSH-1 and MSH-2, whatever they are', () => {
    const msg = parseHl7(text);
    expect(msg.separators).toMatchObject({ field: '#', component: '@', repetition: '$', escape: '%', subcomponent: '*' });
    expect(msg.get('MSH-1')).toBe('#');
    expect(msg.get('MSH-2')).toBe('@$%*');
    expect(msg.get('MSH-9.2')).toBe('A04');
    expect(msg.get('PID-3.4.2')).toBe('1.2');
    expect(msg.get('PID-3[2].5')).toBe('NI');
    expect(msg.getAll('PID-3.1')).toEqual(['ID1', 'ID2']);
    expect(msg.get('PID-5.2')).toBe('MARIO#@X');
    expect(msg.toString()).toBe(text);
  });

  it('are used when writing', () => {
    const msg = parseHl7(text);
    msg.set('PID-5.1', 'a#b@c$d%e*f|g^h');
    expect(msg.getEncoded('PID-5.1')).toBe('a%F%b%S%c%R%d%E%e%T%f|g^h');
    expect(parseHl7(msg.toString()).get('PID-5.1')).toBe('a#b@c$d%e*f|g^h');
  });

  it('accept a fifth (truncation) character', () => {
    const msg = parseHl7('MSH|^~\\&#|A\rNTE|1||x\\P\\y');
    expect(msg.separators.truncation).toBe('#');
    expect(msg.get('NTE-3')).toBe('x#y');
    expect(msg.get('MSH-2')).toBe('^~\\&#');
  });

  it.each([
    ['MSH', 'invalid_separators'],
    ['MSHA^~\\&|', 'invalid_separators'],
    ['MSH|^~\\|', 'invalid_separators'],
    ['MSH|^~\\^|', 'invalid_separators'],
    ['MSH|^~|&|', 'invalid_separators'],
    ['MSH|^~\\&x|', 'invalid_separators'],
    ['MSH| ~\\&|', 'invalid_separators'],
  ])('rejects %j', (input, reason) => {
    const error = catchError(() => parseHl7(input));
    expect(Hl7ParseError.isInstance(error)).toBe(true);
    expect((error as Hl7ParseError).reason).toBe(reason);
    expect((error as Hl7ParseError).segmentIndex).toBe(0);
  });
});

describe('escapes', () => {
  const s = parseHl7('MSH|^~\\&|').separators;

  it('decodes \\F\\ \\S\\ \\T\\ \\R\\ \\E\\ and \\.br\\', () => {
    expect(decodeEscapes('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g', s)).toBe('a|b^c&d~e\\f\ng');
  });

  it('decodes \\Xhh\\ as UTF-8, also split across escapes', () => {
    expect(decodeEscapes('\\XD985D8AD\\', s)).toBe('مح');
    expect(decodeEscapes('x\\XD9\\\\X85\\y', s)).toBe('xمy');
    expect(decodeEscapes('\\X41\\', s)).toBe('A');
  });

  it('decodes \\Xhh\\ in the charset the message declares in MSH-18', () => {
    // In ISO 8859-6, 0xE5 is meem and 0xC7 alef; read as UTF-8 they would be invalid.
    const arabic = parseHl7('MSH|^~\\&|A||||||ADT^A04|1|P|2.5|||||SA|8859/6\rNTE|1||\\XE5C7\\');
    expect(arabic.charset).toBe('iso-8859-6');
    expect(arabic.get('NTE-3')).toBe('ما');
    const latin1 = parseHl7('MSH|^~\\&|A||||||ADT^A04|1|P|2.5|||||DE|8859/1\rNTE|1||Jos\\XE9\\');
    expect(latin1.get('NTE-3')).toBe('José');
    const utf8 = parseHl7('MSH|^~\\&|A||||||ADT^A04|1|P|2.5|||||SA|UNICODE UTF-8\rNTE|1||Jos\\XC3A9\\');
    expect(utf8.charset).toBe('utf-8');
    expect(utf8.get('NTE-3')).toBe('José');
    // No MSH-18: ASCII by the standard, read as UTF-8 (its superset) as senders really write it.
    expect(parseHl7('MSH|^~\\&|A\rNTE|1||\\XC3A9\\').get('NTE-3')).toBe('é');
    expect(decodeEscapes('\\XE9\\', s, { charset: 'iso-8859-1' })).toBe('é');
  });

  it('never produces NUL and keeps bytes invalid in the charset as \\Xhh\\', () => {
    expect(decodeEscapes('a\\X00\\b\\X410042\\', s)).toBe('abAB');
    expect(decodeEscapes('\\XD9\\\\X41\\\\X80\\', s)).toBe('\\XD9\\A\\X80\\'); // lone lead byte, lone continuation
    expect(decodeEscapes('\\X80D985\\', s)).toBe('\\X80\\م');
    expect(decodeEscapes('\\XEFBBBF41\\', s)).toBe('\uFEFFA'); // a decoded BOM is data
    expect(decodeEscapes('\\XA1\\', s, { charset: 'iso-8859-6' })).toBe('\\XA1\\'); // unassigned in 8859-6
  });

  it('keeps what it does not understand, so nothing is lost', () => {
    expect(decodeEscapes('\\H\\bold\\N\\', s)).toBe('\\H\\bold\\N\\');
    expect(decodeEscapes('C:\\path\\file', s)).toBe('C:\\path\\file');
    expect(decodeEscapes('trailing\\', s)).toBe('trailing\\');
    expect(decodeEscapes('\\XFF\\', s)).toBe('\\XFF\\'); // not UTF-8
    expect(decodeEscapes('\\X4\\', s)).toBe('\\X4\\'); // odd length
    expect(decodeEscapes('\\.sp\\', s)).toBe('\\.sp\\');
  });

  it('encodes separators, line breaks and control characters', () => {
    expect(encodeEscapes('a|b^c&d~e\\f\ng\r\nh', s)).toBe('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g\\.br\\h');
    expect(encodeEscapes('\u000b\u001c\r', s)).toBe('\\X0B\\\\X1C\\\\X0D\\');
    expect(encodeEscapes('محمد', s)).toBe('محمد');
  });

  it('round-trips any text through set/get', () => {
    const msg = parseHl7('MSH|^~\\&|A');
    const values = ['plain', 'a|b^c&d~e\\f', 'line1\nline2', 'محمد عبدالله\nالأحمد', '\u000b\u001c', '\\H\\x\\N\\'];
    values.forEach((v, i) => {
      msg.set(`NTE[${i + 1}]-3`, v);
    });
    const back = parseHl7(msg.toString());
    values.forEach((v, i) => {
      expect(back.get(`NTE[${i + 1}]-3`)).toBe(v);
    });
  });
});

describe('UTF-8 and Arabic', () => {
  const arabic =
    'MSH|^~\\&|APP|مستشفى||X|20240101||ADT^A04|1|P|2.5|||||SA|UNICODE UTF-8\rPID|1||123^^^MOH^NI||الأحمد^محمد^عبدالله||19800101|M';

  it('reads Arabic from text and from bytes, with or without a BOM', () => {
    for (const input of [
      arabic,
      Buffer.from(arabic),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(arabic)]),
      `\uFEFF${arabic}`,
    ]) {
      const msg = parseHl7(input);
      expect(msg.get('PID-5.1')).toBe('الأحمد');
      expect(msg.get('PID-5.2')).toBe('محمد');
      expect(msg.get('MSH-4')).toBe('مستشفى');
      expect(msg.toString()).toBe(arabic);
    }
  });

  it('reads bytes in the ISO 8859 set MSH-18 declares', () => {
    const header = Buffer.from('MSH|^~\\&|A||||||ADT^A04|1|P|2.5|||||SA|8859/6\rPID|1||||');
    const name = Buffer.from([0xc7, 0xe4, 0xc3, 0xcd, 0xe5, 0xcf]); // الأحمد in ISO 8859-6
    expect(parseHl7(Buffer.concat([header, name])).get('PID-5')).toBe('الأحمد');
  });

  it('refuses bytes that are not UTF-8 instead of inventing characters', () => {
    const bytes = Buffer.concat([Buffer.from('MSH|^~\\&|A\rPID|1||'), Buffer.from([0xff, 0xfe, 0x41])]);
    expect((catchError(() => parseHl7(bytes)) as Hl7ParseError).reason).toBe('invalid_encoding');
  });
});

describe('paths', () => {
  it('parse all parts, 1-based', () => {
    expect(parseHl7Path('PID[2]-3[4].5.6')).toEqual({
      segment: 'PID',
      segmentIndex: 2,
      field: 3,
      repetition: 4,
      component: 5,
      subcomponent: 6,
    });
    expect(parseHl7Path('PID.5.1')).toMatchObject({ segment: 'PID', field: 5, component: 1 });
    expect(parseHl7Path('Z01-1')).toMatchObject({ segment: 'Z01', field: 1 });
  });

  it.each(['PID', 'pid-5', 'PID-0', 'PID-5.0', 'PID[0]-1', 'PID-5.1.2.3', 'PID-x', 'PID-5[', 'PID-5 ', 'P-1', ''])(
    'reject %j with a ValidationError',
    (path) => {
      const error = catchError(() => parseHl7('MSH|^~\\&|').get(path));
      expect(ValidationError.isInstance(error)).toBe(true);
    },
  );
});

describe('set', () => {
  it('creates segments, fields, repetitions, components and subcomponents', () => {
    const msg = parseHl7('MSH|^~\\&|A|B\rPID|1\r');
    msg.set('PID-5.2', 'محمد').set('PID-3[2].4.2', '1.2.3').set('ZPD-2', 'z').set('PID[2]-1', '2');
    expect(msg.toString()).toBe('MSH|^~\\&|A|B\rPID|1||~^^^&1.2.3||^محمد\rPID|2\rZPD||z\r');
    expect(msg.get('PID-5.2')).toBe('محمد');
    expect(msg.get('PID-3[2].4.2')).toBe('1.2.3');
  });

  it('changes one value and leaves the others exactly as they were', () => {
    const bytes = samples.find((s) => s.name === 'ADT-A01-01.hl7')!.bytes;
    const msg = parseHl7(bytes);
    msg.set('PID-5.2', 'NEW');
    const before = expectedText(bytes).split('\r');
    const after = msg.toString().split('\r');
    const changed = after.flatMap((line, i) => (line === before[i] ? [] : [i]));
    expect(changed).toHaveLength(1);
    expect(after[changed[0]!]!.startsWith('PID|')).toBe(true);
    expect(msg.get('PID-5.2')).toBe('NEW');
    expect(msg.get('PID-5.1.1')).toBe('EVERYMAN');
    expect(msg.get('PID-5[2].1.1')).toBe('Josh');
  });

  it('sets MSH fields after the separators, and refuses MSH-1/MSH-2', () => {
    const msg = parseHl7('MSH|^~\\&|A|B|C');
    msg.set('MSH-3', 'X').set('MSH-10', 'ID');
    expect(msg.toString()).toBe('MSH|^~\\&|X|B|C|||||ID');
    expect(ValidationError.isInstance(catchError(() => msg.set('MSH-1', '#')))).toBe(true);
    expect(ValidationError.isInstance(catchError(() => msg.set('MSH-2', '^~\\&')))).toBe(true);
  });
});

describe('malformed input', () => {
  const canary = 'محمد الكناري';
  it.each([
    ['', 'empty'],
    ['\r\n  \n', 'empty'],
    ['PID|1', 'missing_header'],
    [`garbage ${canary}`, 'missing_header'],
    [`MSH|^~\\&|A\r${canary}|x`, 'invalid_segment_id'],
    ['MSH|^~\\&|A\rpid|1', 'invalid_segment_id'],
    ['MSH|^~\\&|A\rPI|1', 'invalid_segment_id'],
    ['MSH|^~\\&|A\rPIDX|1', 'invalid_segment_id'],
    ['MSH|^~\\&|A\rPID#1', 'invalid_segment_id'],
    ['MSH|^~\\&|A\rMSH|^~\\&|B', 'multiple_messages'],
    ['FHS|^~\\&|A\rMSH|^~\\&|B', 'batch_structure'],
  ])('%j → Hl7ParseError(%s) without patient data', (input, reason) => {
    const error = catchError(() => parseHl7(input)) as Hl7ParseError;
    expect(Hl7ParseError.isInstance(error)).toBe(true);
    expect(isHmiError(error)).toBe(true);
    expect(error.reason).toBe(reason);
    expect(error.code).toBe('hl7_parse_error');
    expect(error.retryable).toBe(false);
    const visible = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
    expect(visible).not.toContain('محمد');
    expect(visible).not.toContain('garbage');
  });

  it('says which segment', () => {
    const error = catchError(() => parseHl7('MSH|^~\\&|A\nEVN|1\nbad|1')) as Hl7ParseError;
    expect(error.segmentIndex).toBe(2);
    expect(error.toJSON()).toMatchObject({ reason: 'invalid_segment_id', segmentIndex: 2 });
  });

  it('rejects non-text input with a typed error', () => {
    for (const input of [undefined, null, 42, {}, []]) {
      expect((catchError(() => parseHl7(input as never)) as Hl7ParseError).reason).toBe('invalid_input');
    }
  });

  it('does not leak the message through JSON.stringify', () => {
    expect(JSON.stringify({ msg: parseHl7(`MSH|^~\\&|${canary}`) })).not.toContain('محمد');
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
