/**
 * Rasterises the app icons (icons/*.svg) into static/icons/*.png with Chromium (the one the
 * browser journeys use), so a build needs no image tools. Committed output; run again after
 * changing an SVG:  cd apps/web && node --import tsx icons/make-icons.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../static/icons');
const targets: [svg: string, size: number, file: string][] = [
  ['icon.svg', 192, 'icon-192.png'],
  ['icon.svg', 512, 'icon-512.png'],
  ['maskable.svg', 192, 'maskable-192.png'],
  ['maskable.svg', 512, 'maskable-512.png'],
  // iOS shows no transparency: the full-bleed square.
  ['maskable.svg', 180, 'apple-touch-icon.png']
];

fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  for (const [svg, size, file] of targets) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const markup = fs.readFileSync(path.join(here, svg), 'utf8').replace('<svg ', `<svg width="${size}" height="${size}" `);
    await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block}</style>${markup}`);
    await page.screenshot({ path: path.join(out, file), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await page.close();
    process.stdout.write(`${file} ${size}x${size}\n`);
  }
} finally {
  await browser.close();
}
