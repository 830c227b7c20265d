import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModel, topLevelFields } from '../../../src/lib/model/proto';
import { logregZipMap, mlpModel } from '../../fixtures/models/build';

const SAMPLES = ['credit-gbt.onnx', 'credit-logreg.onnx', 'penguins-species.onnx', 'wine-mlp.onnx'].map((f) => new Uint8Array(readFileSync(`static/samples/${f}`)));

/** Deterministic pseudo-random bytes (LCG, high bits), independent of the code under test. */
function noise(seed: number, length: number): Uint8Array {
  let s = seed >>> 0;
  return Uint8Array.from({ length }, () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 16) & 255);
}

describe('topLevelFields', () => {
  it('reads whole models as complete', () => {
    for (const bytes of [...SAMPLES, logregZipMap(), mlpModel()]) expect(topLevelFields(bytes)).toBe('complete');
  });

  it('reads every prefix of a real model that cuts a field as truncated', () => {
    for (const bytes of SAMPLES) {
      for (const frac of [0.01, 0.1, 0.25, 0.5, 0.75, 0.99]) {
        const cut = bytes.subarray(0, Math.max(2, Math.floor(bytes.length * frac)));
        expect(topLevelFields(cut), `${frac}`).toBe('truncated');
      }
    }
  });

  it('reads random bytes and other formats as invalid, even when they start with ONNX first byte', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const bytes = noise(seed, 4096);
      expect(topLevelFields(bytes), `seed ${seed}`).not.toBe('truncated');
      bytes[0] = 0x08;
      expect(topLevelFields(bytes), `seed ${seed} with 0x08`).not.toBe('truncated');
    }
    expect(topLevelFields(new TextEncoder().encode('a,b\n1,2\n'))).toBe('invalid');
    // A tag with a group wire type (3) after ir_version.
    expect(topLevelFields(Uint8Array.from([0x08, 0x07, 0x13, 0x01]))).toBe('invalid');
  });
});

describe('decodeModel', () => {
  it('calls random bytes "not an ONNX model", not truncated', () => {
    for (let seed = 1; seed <= 50; seed++) {
      expect(() => decodeModel(noise(seed, 4096), 'random.onnx')).toThrow(/^'random\.onnx' is not an ONNX model \(/);
    }
  });

  it('calls the first half of a real model truncated, with the bytes read', () => {
    const half = SAMPLES[0].slice(0, Math.floor(SAMPLES[0].length / 2));
    expect(() => decodeModel(half, 'half.onnx')).toThrow(
      `'half.onnx' looks truncated: its data ends in the middle of the model (${half.length.toLocaleString('en-US')} bytes read). Download or export it again.`,
    );
  });

  it('decodes a whole model', () => {
    expect(decodeModel(SAMPLES[1], 'lr.onnx').graph?.node?.length).toBeGreaterThan(0);
  });
});
