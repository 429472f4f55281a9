import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotspotsReport } from '../../../src/hotspots/types.ts';
import { renderHotspotsHtml } from '../../../src/hotspots/report/html.ts';
import { launchChromium, watchedPage, type Watched } from './chromium.ts';
import { evilPaths, evilReport, sampleReport } from './sample-report.ts';

/**
 * The HTML report as people see it: Debian's chromium opens the file from disk, with every
 * request off the disk refused and recorded, and every console error recorded.
 */

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchChromium();
  dir = await mkdtemp(join(tmpdir(), 'steward-hotspots-html-'));
});
afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function open(report: HotspotsReport, name: string): Promise<Watched> {
  const file = join(dir, `${name}.html`);
  await writeFile(file, renderHotspotsHtml(report));
  const watched = await watchedPage(browser);
  await watched.page.goto(pathToFileURL(file).href);
  return watched;
}

async function closeAndCheck({ page, errors, network }: Watched): Promise<void> {
  await page.context().close();
  expect(errors).toEqual([]);
  expect(network).toEqual([]);
}

const report = sampleReport(160);

/** The little of the DOM these tests call inside the page (the project compiles without lib.dom). */
interface Browserish {
  getComputedStyle(element: unknown): { fill: string; getPropertyValue(name: string): string };
}

describe('the HTML report in Chromium', () => {
  it('draws one shape per file, with no console errors and no network request', async () => {
    const watched = await open(report, 'sample');
    const { page } = watched;

    expect(await page.locator('svg [data-path]').count()).toBe(report.files.length);
    expect(await page.locator('#files-table tbody tr').count()).toBe(report.files.length);
    // Every shape has a real size on screen.
    const sizes = await page.locator('svg rect.f').evaluateAll((els) =>
      els.map((el) => {
        const box = (el as unknown as { getBBox(): { width: number; height: number } }).getBBox();
        return { width: box.width, height: box.height };
      }),
    );
    expect(sizes.every((b) => b.width >= 0 && b.height >= 0)).toBe(true);
    expect(sizes.filter((b) => b.width * b.height > 0).length).toBe(report.files.length);
    const shot = join(tmpdir(), 'steward-hotspots-report.png');
    await page.screenshot({ path: shot, animations: 'disabled' });
    await closeAndCheck(watched);
  });

  it('shows a file’s details on hover and pins them on click', async () => {
    const watched = await open(report, 'hover');
    const { page } = watched;
    const top = report.files[0]!;
    const shape = page.locator('svg rect.f[data-i="0"]');

    await shape.hover();

    const tooltip = page.locator('#tooltip');
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    const text = await tooltip.innerText();
    expect(text).toContain(top.path.slice(top.path.lastIndexOf('/') + 1));
    expect(text).toContain(String(top.revisions));
    expect(text).toContain(top.loc.toLocaleString('en-US'));
    expect(text).toContain(top.health.toFixed(1));
    expect(text).toContain(top.score.toFixed(1));
    expect(text).toContain(top.smells[0]!.kind);

    await shape.click();

    const panel = (await page.locator('#panel').textContent()) ?? '';
    expect(panel).toContain('Hotspot #1 of 160');
    for (const smell of top.smells) expect(panel).toContain(smell.detail);
    expect(await page.locator('#select-ring').getAttribute('width')).toBe(
      await shape.getAttribute('width'),
    );
    expect(await page.locator('#files-table tr[aria-current="true"]').getAttribute('data-i')).toBe(
      '0',
    );

    await page.mouse.move(2, 2);
    await expect.poll(() => tooltip.isVisible()).toBe(false);
    await closeAndCheck(watched);
  });

  it('sorts the ranked table when a column heading is clicked', async () => {
    const watched = await open(report, 'sort');
    const { page } = watched;
    const firstPath = () => page.locator('#files-table tbody tr:first-child .linkish').innerText();
    const column = (key: string) => page.locator(`#files-table th:has(button[data-key="${key}"])`);
    const byLoc = [...report.files].sort((a, b) => b.loc - a.loc);

    await page.locator('button[data-key="loc"]').click();

    expect(await firstPath()).toBe(byLoc[0]!.path);
    expect(await column('loc').getAttribute('aria-sort')).toBe('descending');
    expect(await column('score').getAttribute('aria-sort')).toBeNull();

    await page.locator('button[data-key="loc"]').click();

    expect(await firstPath()).toBe(byLoc[byLoc.length - 1]!.path);
    expect(await column('loc').getAttribute('aria-sort')).toBe('ascending');

    await page.locator('button[data-key="path"]').click();

    const paths = await page.locator('#files-table tbody .linkish').allInnerTexts();
    expect(paths).toEqual([...paths].sort());
    expect(paths).toHaveLength(report.files.length);
    await closeAndCheck(watched);
  });

  it('works from the keyboard: one tab stop, arrows by rank, Enter pins, Escape clears', async () => {
    const watched = await open(report, 'keyboard');
    const { page } = watched;
    const focused = () => page.locator(':focus').getAttribute('data-i');

    expect(await page.locator('svg rect.f[tabindex="0"]').count()).toBe(1);
    await page.locator('svg rect.f[data-i="0"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');

    expect(await focused()).toBe('2');
    await expect.poll(() => page.locator('#tooltip').isVisible()).toBe(true);

    await page.keyboard.press('Enter');

    expect(await page.locator('#panel').textContent()).toContain('Hotspot #3 of 160');
    expect(await page.locator('svg rect.f[tabindex="0"]').getAttribute('data-i')).toBe('2');

    await page.keyboard.press('Escape');

    expect(await page.locator('#panel').textContent()).toContain('Hottest files');
    expect(await page.locator('#select-ring').getAttribute('width')).toBe('0');
    await closeAndCheck(watched);
  });

  it('colours by score, or by health when toggled', async () => {
    const watched = await open(report, 'colours');
    const { page } = watched;
    const fill = () =>
      page.locator('svg rect.f[data-i="0"]').evaluate((el) => {
        const style = (globalThis as unknown as Browserish).getComputedStyle(el);
        return {
          fill: style.fill,
          score: style.getPropertyValue('--s'),
          health: style.getPropertyValue('--h'),
        };
      });
    const rgb = (hex: string) =>
      `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

    const before = await fill();
    expect(before.fill).toBe(rgb(before.score));

    await page.getByLabel('Code health').check();

    await expect.poll(async () => (await fill()).fill).toBe(rgb(before.health));
    expect(await page.locator('.legend.health').isVisible()).toBe(true);
    expect(await page.locator('.legend.score').isVisible()).toBe(false);
    await closeAndCheck(watched);
  });

  it('pins a coupled pair from the coupling list and rings the partner on the map', async () => {
    const watched = await open(report, 'coupling');
    const { page } = watched;

    await page.locator('.couplings .pair').first().click();

    const pinned = await page.locator('#panel').textContent();
    expect(pinned).toContain('Changes together with');
    expect(await page.locator('#couple-rings rect').count()).toBeGreaterThan(0);
    await closeAndCheck(watched);
  });

  it('renders a repository of 2,500 files', async () => {
    const big = sampleReport(2500, 11);
    const watched = await open(big, 'big');
    const { page } = watched;

    expect(await page.locator('svg [data-path]').count()).toBe(2500);
    expect(await page.locator('#files-table tbody tr').count()).toBe(2500);
    await page.locator('svg rect.f[data-i="0"]').hover();
    await expect.poll(() => page.locator('#tooltip').isVisible()).toBe(true);
    await page.locator('button[data-key="churn"]').click();
    expect(await page.locator('#files-table th[aria-sort]').count()).toBe(1);
    await page.screenshot({
      path: join(tmpdir(), 'steward-hotspots-report-2500.png'),
      animations: 'disabled',
    });
    await closeAndCheck(watched);
  });

  it('shows paths with markup in them as text, running none of it', async () => {
    const watched = await open(evilReport, 'evil');
    const { page } = watched;

    const shapes = await page
      .locator('svg [data-path]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-path')));
    expect(shapes).toEqual(evilPaths);
    expect(await page.evaluate(() => '__pwned' in globalThis)).toBe(false);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    expect(await page.locator('h1').innerText()).toBe('acme/<b>shop</b> & "co"');

    await page.locator('svg rect.f[data-i="0"]').click();

    const panel = await page.locator('#panel').textContent();
    expect(panel).toContain('</script><script>window.__pwned = 3</script>');
    expect(panel).toContain('<img src=x onerror=alert(1)>');
    const rows = await page.locator('#files-table tbody .linkish').allInnerTexts();
    expect(rows).toContain(evilPaths[0]);
    await closeAndCheck(watched);
  });
});

describe('launchChromium', () => {
  it('says how to install Debian’s chromium when it is missing', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(
      /apt-get install -y --no-install-recommends chromium/,
    );
  });
});
