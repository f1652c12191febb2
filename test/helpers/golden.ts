/** Golden files under test/golden: `UPDATE_GOLDEN=1` rewrites them; otherwise the text must equal the file. */
import { expect } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './repo.js';

/** Compare `text` with test/golden/<dir>/<name>.txt (read from the source tree, not dist). */
export function expectGolden(dir: string, name: string, text: string): void {
  const folder = path.join(ROOT, 'test/golden', dir);
  const golden = path.join(folder, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(folder, { recursive: true });
    writeFileSync(golden, text);
  }
  expect(existsSync(golden) ? null : `missing ${golden}: run with UPDATE_GOLDEN=1`).toBeNull();
  expect(text).toBe(readFileSync(golden, 'utf8'));
}
