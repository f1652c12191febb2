#!/usr/bin/env node
// `npm run mutate` only (scripts/stryker-build.sh): the sources and the in-process test suites compiled to
// CommonJS under dist-cjs/, for Stryker's mocha runner (stryker.config.mjs says why mocha and CommonJS). The suites'
// imports of '@jest/globals' and 'fast-check' are pointed at the two shims in scripts/.
// Same depth as dist/ (dist-cjs/src, dist-cjs/test), so the tests' paths relative to their own file still hold.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const OUT = 'dist-cjs';
rmSync(OUT, { recursive: true, force: true });

/** Every .ts file under dir, except the ones only the spawning suites need (top-level await has no CommonJS form). */
function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => f !== path.join('test', 'helpers', 'yo-like.ts') && f !== path.join('test', 'doors.test.ts'));
}

await build({
  entryPoints: [...tsFiles('src'), ...tsFiles('test')],
  outdir: OUT,
  outbase: '.',
  bundle: false,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // import() of a core module or of diff becomes require(), so every module loads once, synchronously.
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__cnpgImportMetaUrl' },
  banner: { js: "const __cnpgImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// The JSON the sources import (tsc copies it into dist/ the same way), and a package.json that makes .js CommonJS.
mkdirSync(path.join(OUT, 'data'), { recursive: true });
cpSync('data', path.join(OUT, 'data'), { recursive: true });
writeFileSync(path.join(OUT, 'package.json'), '{ "type": "commonjs" }\n');

// The jest globals and fast-check the suites import, under mocha: jest's matchers and .each, fewer property runs.
const SHIMS = { '@jest/globals': 'scripts/stryker-jest-globals.cjs', 'fast-check': 'scripts/stryker-fast-check.cjs' };
for (const file of readdirSync(path.join(OUT, 'test'), { recursive: true })) {
  if (!file.endsWith('.js')) continue;
  const at = path.join(OUT, 'test', file);
  let text = readFileSync(at, 'utf8');
  for (const [name, shim] of Object.entries(SHIMS)) {
    const rel = path.relative(path.dirname(at), shim).split(path.sep).join('/');
    text = text.replaceAll(`require("${name}")`, `require(${JSON.stringify(rel)})`);
  }
  writeFileSync(at, text);
}
