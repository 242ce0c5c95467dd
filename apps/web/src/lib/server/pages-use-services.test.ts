/**
 * Pages go through the core's services (the ones the API uses), never its storage or the whole
 * core: every server-side route file and the hooks are read and checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function serverFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...serverFiles(full));
    else if (/^\+(page|layout)\.server\.ts$|^\+server\.ts$/.test(entry.name)) out.push(full);
  }
  return out;
}

describe('pages call services', () => {
  const files = [...serverFiles(path.join(src, 'routes')), path.join(src, 'hooks.server.ts')];

  it('finds the route files', () => {
    expect(files.length).toBeGreaterThan(8);
  });

  it.each(files.map((f) => [path.relative(src, f), f]))('%s reaches no storage and no core global', (_, file) => {
    const code = fs.readFileSync(file, 'utf8');
    expect(code).not.toMatch(/\.storage\b/);
    expect(code).not.toMatch(/__pitboard|\$lib\/server\/pitboard/);
    expect(code).not.toMatch(/\.role\s*[!=]==/); // role decisions: guards → the core's auth/access.ts
  });
});
