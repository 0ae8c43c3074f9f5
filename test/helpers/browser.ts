// Headless Chromium for the e2e tests (playwright-core drives Debian's /usr/bin/chromium; no
// browser is downloaded). A missing browser fails the test with the command that installs it;
// it never skips. Screenshots of every page go to test/e2e/screenshots/ at a phone and a desktop
// size, and each phone shot also reports whether the page is wider than the phone.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { failure } from './fail.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('../e2e/screenshots/', import.meta.url));

export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw failure(`${CHROMIUM} is missing: the web UI tests need a real headless Chromium.\n` +
      'install it with:  apt-get update && apt-get install -y chromium');
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
}

/** Removes the shots of an earlier run, so the folder shows this run only. */
export function clearScreenshots(): void {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const f of readdirSync(SCREENSHOTS)) if (f.endsWith('.png') || f === 'layout-report.txt') rmSync(join(SCREENSHOTS, f));
}

/** What a phone-sized shot found wrong: the page is wider than the screen (sideways scrolling). */
export interface LayoutProblem {
  file: string;
  problem: string;
}

/**
 * Saves `<name>-phone.png` and `<name>-desktop.png` (full page) and puts the viewport back to
 * what it was. Returns the layout problems seen at phone size (elements that stick out).
 */
export async function screenshots(page: Page, name: string): Promise<LayoutProblem[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  const problems: LayoutProblem[] = [];
  try {
    await page.setViewportSize(PHONE);
    const phoneFile = `${name}-phone.png`;
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide: string[] = [];
      for (const el of Array.from(document.querySelectorAll('body *'))) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > width + 1) {
          const tag = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '');
          wide.push(`${tag} (right edge ${Math.round(r.right)} px)`);
        }
      }
      return { scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5) };
    });
    if (overflow.scrollWidth > overflow.width + 1) {
      problems.push({ file: phoneFile, problem: `page is ${overflow.scrollWidth} px wide on a ${overflow.width} px phone: ${overflow.wide.join(', ')}` });
    }
    await page.screenshot({ path: join(SCREENSHOTS, phoneFile), fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
  } finally {
    await page.setViewportSize(before);
  }
  return problems;
}
