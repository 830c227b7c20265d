/**
 * Presenter mode and the guided tour in real Chromium: the toggle sets the root class (larger type);
 * the tour loads the credit sample on an empty page, steps through its views with the arrow keys,
 * loads the drifted file at the drift step, ignores keys while a form control has focus, and ends on Esc.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { openApp, offOrigin, type Harness } from './browser';

const baseUrl = inject('baseUrl');
let h: Harness;

const STEPS = ['quality', 'latency', 'explain', 'fairness', 'drift', 'scorecard'];

beforeAll(async () => {
  h = await openApp(baseUrl);
});
afterAll(async () => {
  await h?.close();
});

const rootFontPx = () => h.page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
const tabPressed = (view: string) => h.page.getByTestId(`tab-${view}`).getAttribute('aria-pressed');
const card = () => h.page.getByTestId('tour-card');

describe('presenter mode', () => {
  test('the Present toggle adds and removes the presenter class and enlarges the type', async () => {
    const toggle = h.page.getByTestId('presenter-toggle');
    const before = await rootFontPx();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await h.page.evaluate(() => document.documentElement.classList.contains('presenter'))).toBe(true);
    expect(await rootFontPx()).toBeGreaterThan(before);
    await toggle.click();
    expect(await h.page.evaluate(() => document.documentElement.classList.contains('presenter'))).toBe(false);
    expect(await rootFontPx()).toBe(before);
  });
});

describe('guided tour', () => {
  test('starting on an empty page loads the credit sample and opens the first step', async () => {
    await h.page.getByTestId('tour-start').click();
    await card().waitFor({ timeout: 90_000 });
    const s = await h.page.evaluate(() => {
      const l = (window as unknown as { loupe: { model: { fileName: string } | null; scoring: { scored: number } | null } }).loupe;
      return { model: l.model?.fileName, scored: l.scoring?.scored };
    });
    expect(s).toEqual({ model: 'credit-gbt.onnx', scored: 1000 });
    expect(await h.page.getByTestId('tour-count').innerText()).toMatch(/Step 1 of 6/i);
    expect(await tabPressed('quality')).toBe('true');
  });

  test('ArrowRight steps through every view; the drift step loads the drifted file', async () => {
    for (let i = 1; i < STEPS.length; i++) {
      await h.page.keyboard.press('ArrowRight');
      await h.page.waitForFunction((k) => document.querySelector('[data-testid="tour-card"]')?.getAttribute('data-step') === String(k), i);
      expect(await card().getAttribute('data-view')).toBe(STEPS[i]);
      expect(await tabPressed(STEPS[i])).toBe('true');
      expect(await h.page.getByTestId('tour-count').innerText()).toMatch(new RegExp(`Step ${i + 1} of 6`, 'i'));
      if (STEPS[i] === 'drift')
        await h.page.waitForFunction(() => {
          const l = (window as unknown as { loupe: { job: unknown; current: { fileName: string } | null; currentScoring: unknown } }).loupe;
          return l.current?.fileName === 'credit-current.csv' && !!l.currentScoring && !l.job;
        }, undefined, { timeout: 60_000 });
    }
    // The last step stays put on ArrowRight (Esc or Finish ends the tour).
    await h.page.keyboard.press('ArrowRight');
    expect(await card().getAttribute('data-step')).toBe('5');
    await h.page.getByTestId('tour-finish').waitFor();
  });

  test('ArrowLeft and PageUp go back; keys typed into a form control do not move the tour', async () => {
    await h.page.keyboard.press('ArrowLeft');
    expect(await card().getAttribute('data-step')).toBe('4');
    expect(await tabPressed('drift')).toBe('true');
    await h.page.keyboard.press('PageUp');
    expect(await card().getAttribute('data-step')).toBe('3');
    expect(await tabPressed('fairness')).toBe('true');
    await h.page.keyboard.press('PageDown');
    expect(await card().getAttribute('data-step')).toBe('4');
    const select = h.page.locator('main select').first();
    await select.focus();
    await h.page.keyboard.press('ArrowRight');
    await h.page.keyboard.press('ArrowLeft');
    expect(await card().getAttribute('data-step')).toBe('4');
    // Back and Next buttons do the same as the keys.
    await h.page.getByTestId('tour-back').click();
    expect(await tabPressed('fairness')).toBe('true');
    await h.page.getByTestId('tour-next').click();
    expect(await tabPressed('drift')).toBe('true');
  });

  test('Esc ends the tour and leaves the view where it was', async () => {
    await card().focus();
    await h.page.keyboard.press('Escape');
    await card().waitFor({ state: 'detached' });
    expect(await tabPressed('drift')).toBe('true');
    expect(offOrigin(h.requests, baseUrl)).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  });
});
