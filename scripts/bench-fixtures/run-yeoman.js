#!/usr/bin/env node
// Tiny Yeoman driver used by scripts/bench.js for both generators of the "Yeoman door" goal:
//   node scripts/bench-fixtures/run-yeoman.js <generatorPath> <cwd> [args...]
// It registers one generator under `x:app` and runs it through yeoman-environment, as `yo` would.
import path from 'node:path';

const [generatorPath, cwd, ...args] = process.argv.slice(2);
if (!generatorPath || !cwd) {
  process.stderr.write('usage: run-yeoman.js <generatorPath> <cwd> [args...]\n');
  process.exit(2);
}
const { createEnv } = await import('yeoman-environment');
const env = createEnv({ cwd: path.resolve(cwd) });
env.register(path.resolve(generatorPath), { namespace: 'x:app' });
try {
  await env.run(['x:app', ...args], { skipInstall: true });
} catch (e) {
  process.stderr.write(`run-yeoman: ${e?.message ?? e}\n`);
  process.exitCode = process.exitCode || 1;
}
