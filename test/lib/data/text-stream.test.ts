import { describe, expect, test } from 'vitest';
import { TextStream, sniffText } from '../../../src/lib/data/text-stream';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('sniffText', () => {
  test('byte-order marks', () => {
    expect(sniffText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), true)).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(sniffText(new Uint8Array([0xff, 0xfe, 0x61, 0]), true)).toEqual({ encoding: 'utf-16le', bomLength: 2 });
    expect(sniffText(new Uint8Array([0xfe, 0xff, 0, 0x61]), true)).toEqual({ encoding: 'utf-16be', bomLength: 2 });
  });

  test('UTF-8 text, including a character cut at the end of a non-final chunk', () => {
    expect(sniffText(bytes('a,b\n1,é\n'), true)).toEqual({ encoding: 'utf-8', bomLength: 0 });
    const cut = bytes('a,b\n1,é').subarray(0, 7);
    expect(sniffText(cut, false).encoding).toBe('utf-8');
    expect(sniffText(cut, true).encoding).toBe('windows-1252');
  });

  test('legacy 8-bit text reads as Windows-1252', () => {
    expect(sniffText(new Uint8Array([0x4a, 0x6f, 0x73, 0xe9, 0x0a]), true)).toEqual({ encoding: 'windows-1252', bomLength: 0 });
  });

  test('NUL bytes, control characters and high-byte noise are not text', () => {
    expect(sniffText(bytes('a,b\n1,2\0\n'), true).notText).toBeDefined();
    const controls = Uint8Array.from({ length: 200 }, (_, i) => (i % 20 === 0 ? 0x01 : 0x61));
    expect(sniffText(controls, true).notText).toBeDefined();
    const noise = Uint8Array.from({ length: 200 }, (_, i) => 0x80 + ((i * 73) % 128));
    expect(sniffText(noise, true).notText).toBeDefined();
    expect(sniffText(bytes('a\tb\r\n1\t2\f\x1a'), true).notText).toBeUndefined();
  });
});

describe('TextStream', () => {
  test('decodes a Blob chunk by chunk without splitting characters', async () => {
    const text = 'ü€𝄞,'.repeat(300);
    const stream = await TextStream.open(new Blob([text]), 5);
    let out = '';
    for (let piece = await stream.next(); piece !== null; piece = await stream.next()) out += piece;
    expect(out).toBe(text);
    expect(stream.loaded).toBe(stream.total);
    expect(stream.replaced).toBe(0);
  });
});
