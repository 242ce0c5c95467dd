#!/usr/bin/env node
// `npm run check:size`: no source file (the packages' and the web app's `src/`, tests aside)
// over 350 lines unless its opening comment says why, with a line `Long file: <reason>`.
// A Svelte component is counted without its <style> block (its scoped styles belong with it).
// Run by .ci/run; prints each file over the limit and exits 1.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LIMIT = 350;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const roots = [
  ...fs.readdirSync(path.join(root, 'packages')).map((p) => path.join('packages', p, 'src')),
  ...fs.readdirSync(path.join(root, 'apps')).map((a) => path.join('apps', a, 'src'))
].filter((dir) => fs.existsSync(path.join(root, dir)));

const isSource = (file) => /\.(ts|js|mjs|svelte)$/.test(file) && !/\.(test|spec)\.ts$/.test(file) && !/\.d\.ts$/.test(file);

function* walk(dir) {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'test' && entry.name !== '__tests__') yield* walk(rel);
    } else if (isSource(entry.name)) yield rel;
  }
}

/** Lines that count: all of them, less a Svelte component's <style> block. */
function countedLines(file, text) {
  const body = file.endsWith('.svelte') ? text.replace(/<style[\s\S]*?<\/style>/g, '') : text;
  return body.split('\n').length - (body.endsWith('\n') ? 1 : 0);
}

/** The file's opening comment (a block comment, `//` lines, or an HTML comment in a component). */
function openingComment(text) {
  const start = text.replace(/^(<script[^>]*>)?\s*/, '');
  const block = /^(\/\*[\s\S]*?\*\/|<!--[\s\S]*?-->|(?:\/\/.*\n)+)/.exec(start);
  return block ? block[0] : '';
}

const over = [];
for (const dir of roots) {
  for (const file of walk(dir)) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const lines = countedLines(file, text);
    if (lines > LIMIT && !/Long file: \S/.test(openingComment(text))) over.push(`${file}: ${lines} lines`);
  }
}
if (over.length > 0) {
  console.error(`Source files over ${LIMIT} lines (split them by concern, or say why in the opening comment with a line "Long file: <reason>"):`);
  for (const line of over) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`check:size: no source file over ${LIMIT} lines without a reason`);
