import { describe, expect, test } from 'vitest';
import { classifyFile, formatBytes, MAX_MODEL_BYTES } from '../../../src/lib/data/file-kind';

const bytes = (...b: number[]) => Uint8Array.from(b);
const text = (s: string) => new TextEncoder().encode(s);

describe('classifyFile', () => {
  test('by extension first', () => {
    expect(classifyFile('m.onnx', 10, text('junk')).kind).toBe('model');
    expect(classifyFile('d.CSV', 10, bytes(0, 1, 2)).kind).toBe('csv');
    expect(classifyFile('d.tsv', 10, text('a\tb')).kind).toBe('csv');
  });
  test('by content when the name says nothing', () => {
    expect(classifyFile('model.bin', 100, bytes(0x08, 0x07, 0x12, 0x05)).kind).toBe('model');
    expect(classifyFile('data', 100, text('a,b\n1,2\n')).kind).toBe('csv');
  });
  test('anything else is refused with a reason naming the file', () => {
    const k = classifyFile('photo.jpg', 100, bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10));
    expect(k.kind).toBe('unknown');
    expect(k.kind === 'unknown' && k.reason).toMatch(/photo\.jpg.*neither an ONNX model/);
    expect(classifyFile('empty', 0, bytes()).kind).toBe('unknown');
  });
  test('sizes read as people read them', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(MAX_MODEL_BYTES)).toBe('512 MiB');
  });
});
