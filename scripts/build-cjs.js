#!/usr/bin/env node
// `npm run mutate` only (scripts/stryker-build.sh): the sources and the in-process test suites compiled to
// CommonJS under dist-cjs/, for jest to run without --experimental-vm-modules. Jest's ESM mode keeps every module
// graph it links, so a test runner that Stryker reuses for mutant after mutant grew from 0.5 to 2.8 GB in three
// minutes and ran a third as fast by then; the CommonJS registry is released after each run.
// The suites also run as one jest test file (scripts/stryker-all-suites.cjs, copied to
// dist-cjs/test/in-process.all.test.js): without it, every mutant made jest load all 21 suite files, each with its
// own copy of the core and yaml (2.3 s before any test ran; 0.4 s as one file).
// Same depth as dist/ (dist-cjs/src, dist-cjs/test), so the tests' paths relative to their own file still hold.
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
  // import() of a core module or of diff becomes require(): jest's CommonJS mode has no dynamic import.
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__cnpgImportMetaUrl' },
  banner: { js: "const __cnpgImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// The JSON the sources import (tsc copies it into dist/ the same way), and a package.json that makes .js CommonJS.
mkdirSync(path.join(OUT, 'data'), { recursive: true });
cpSync('data', path.join(OUT, 'data'), { recursive: true });
writeFileSync(path.join(OUT, 'package.json'), '{ "type": "commonjs" }\n');

// The suites to run, in order (jest.stryker.config.js), and the one test file that runs them.
const { mutationSuites } = await import('../jest.stryker.config.js');
writeFileSync(path.join(OUT, 'test', 'suites.json'), `${JSON.stringify(mutationSuites())}\n`);
cpSync('scripts/stryker-all-suites.cjs', path.join(OUT, 'test', 'in-process.all.test.js'));
