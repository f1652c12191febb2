#!/usr/bin/env node
// Build step after tsc: bundle both doors (core + yaml + node-diff3 + the templates compiled by
// scripts/compile-templates.js) into a few files under dist/bin, so a run loads a handful of modules instead of
// hundreds. Lazy parts (the core, prompts, diff) stay separate chunks, and
// the two doors share them. Yeoman itself stays external: `yo` brings its own environment.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/bin', { recursive: true, force: true });

await build({
  entryPoints: { main: 'dist/src/cli/main.js', generator: 'dist/src/generator/index.js' },
  external: ['yeoman-generator'],
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // CommonJS dependencies (yaml) call require() for Node built-ins.
  banner: { js: "import { createRequire as __cnpgCreateRequire } from 'node:module'; const require = __cnpgCreateRequire(import.meta.url);" },
});
