import { describe, expect, it } from 'vitest';
import { ackCode, buildAck, Hl7ParseError, iterateHl7Batch, parseHl7, parseHl7Batch } from '../src/index.js';
import { expectedText, hl7Samples } from './specs.js';

const samples = hl7Samples();

describe('parseHl7Batch', () => {
  it('reads FHS/BHS … BTS/FTS files, keeping every message and the envelope', () => {
    // Without their final line end: joining with LF after a CR would make a CRLF (one line end).
    const bodies = samples.slice(0, 4).map((s) => expectedText(s.bytes).replace(/\r$/, ''));
    const text = ['FHS|^~\\&|SENDER|FAC|||20240101', 'BHS|^~\\&|SENDER|FAC', ...bodies, `BTS|${bodies.length}`, 'FTS|1'].join(
      '\n',
    );
    const batch = parseHl7Batch(text);
    expect(batch.messages).toHaveLength(4);
    expect(batch.messages.map((m) => m.controlId)).toEqual(samples.slice(0, 4).map((s) => parseHl7(s.bytes).controlId));
    expect(batch.messages[1]!.toString()).toBe(bodies[1]);
    expect(batch.envelope?.get('FHS-3')).toBe('SENDER');
    expect(batch.envelope?.get('FHS-1')).toBe('|');
    expect(batch.envelope?.get('BTS-1')).toBe('4');
    expect(batch.toString()).toBe(text.replace(/\n/g, '\r'));
  });

  it('reads several messages one after another, each with its own separators, blank lines kept', () => {
    const text = 'MSH|^~\\&|A||||||ADT^A04|1\rPID|1||X^^^^MR\r\rMSH#@$%*#B######ADT@A08#2\rPID#1##Y@@@@MR\r';
    const batch = parseHl7Batch(Buffer.from(`\uFEFF${text}`));
    expect(batch.messages.map((m) => m.get('PID-3.1'))).toEqual(['X', 'Y']);
    expect(batch.messages.map((m) => m.triggerEvent)).toEqual(['A04', 'A08']);
    expect(batch.envelope).toBeUndefined();
    expect(batch.toString()).toBe(text);
  });

  it('reads every shared sample, alone and concatenated', () => {
    const all = samples.map((s) => s.bytes.toString('utf8').replace(/^\uFEFF/, '')).join('\n');
    const batch = parseHl7Batch(all);
    expect(batch.messages).toHaveLength(samples.length);
    expect(batch.toString()).toBe(all.replace(/\n/g, '\r'));
    for (const s of samples) expect(parseHl7Batch(s.bytes).messages).toHaveLength(1);
  });

  it('iterateHl7Batch yields the same messages one at a time and stops at the first bad line', () => {
    const all = samples.map((s) => s.bytes.toString('utf8').replace(/^\uFEFF/, '')).join('\n');
    const streamed = [...iterateHl7Batch(`FHS|^~\\&|A\n${all}\nFTS|1`)].map((m) => m.toString());
    expect(streamed).toEqual(parseHl7Batch(all).messages.map((m) => m.toString()));
    const seen: string[] = [];
    expect(() => {
      for (const m of iterateHl7Batch('MSH|^~\\&|A||||||ADT^A04|1\rPID|1\rMSH|^~\\&|B||||||ADT^A04|2\rbad line'))
        seen.push(m.controlId!);
    }).toThrow(Hl7ParseError);
    expect(seen).toEqual(['1']);
  });

  it.each([
    ['PID|1', 'missing_header'],
    ['FHS|^~\\&|A\rPID|1\rFTS|0', 'batch_structure'],
    ['', 'empty'],
    ['FHS|^~\\&|A\rMSH|^~\\&|B\rbad', 'invalid_segment_id'],
  ])('rejects %j', (input, reason) => {
    let error: unknown;
    try {
      parseHl7Batch(input);
    } catch (e) {
      error = e;
    }
    expect(Hl7ParseError.isInstance(error)).toBe(true);
    expect((error as Hl7ParseError).reason).toBe(reason);
  });
});

describe('buildAck', () => {
  it('swaps sender and receiver and answers MSH-10', () => {
    const msg = parseHl7(samples.find((s) => s.name === 'ADT-A01-01.hl7')!.bytes);
    const at = new Date('2024-05-06T07:08:09Z');
    const ack = buildAck(msg, 'AA', { timestamp: at });
    expect(ack.getEncoded('MSH-3')).toBe(msg.getEncoded('MSH-5'));
    expect(ack.getEncoded('MSH-4')).toBe(msg.getEncoded('MSH-6'));
    expect(ack.getEncoded('MSH-5')).toBe(msg.getEncoded('MSH-3'));
    expect(ack.getEncoded('MSH-6')).toBe(msg.getEncoded('MSH-4'));
    expect(ack.get('MSH-4.2')).toBe('2.16.840.1.122848.1.30'.replace('122848.1.30', '1122848.1.32'));
    expect(ack.get('MSH-7')).toBe('20240506070809+0000');
    expect(ack.get('MSH-9')).toBe('ACK^A01^ACK');
    expect(ack.get('MSH-10')).toMatch(/^[0-9A-F]{20}$/);
    expect(ack.get('MSH-10')).not.toBe(msg.controlId);
    expect(ack.get('MSH-11')).toBe('P');
    expect(ack.get('MSH-12')).toBe('2.8');
    expect(ack.get('MSA-1')).toBe('AA');
    expect(ack.get('MSA-2')).toBe('MSG00001');
    expect(ackCode(ack)).toBe('AA');
    expect(buildAck(msg, 'AA').get('MSH-10')).not.toBe(ack.get('MSH-10'));
  });

  it('keeps custom separators and escapes the text', () => {
    const msg = parseHl7('MSH#@$%*#SEND#SF#RECV#RF#20240101##SIU@S12#C-1#T#2.3');
    const ack = buildAck(msg, 'AE', { text: 'bad#field@x', errorCode: '207' });
    expect(ack.toString().startsWith('MSH#@$%*#RECV#RF#SEND#SF#')).toBe(true);
    expect(ack.get('MSH-9')).toBe('ACK@S12@ACK');
    expect(ack.get('MSH-11')).toBe('T');
    expect(ack.get('MSH-12')).toBe('2.3');
    expect(ack.get('MSA-1')).toBe('AE');
    expect(ack.get('MSA-2')).toBe('C-1');
    expect(ack.get('MSA-3')).toBe('bad#field@x');
    expect(ack.get('ERR-3.1')).toBe('207');
    expect(ack.get('ERR-4')).toBe('E');
  });
});
