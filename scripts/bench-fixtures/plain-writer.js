#!/usr/bin/env node
// The baseline for the bench's "bin full job" goal: the least a script can do for the same result. It writes the
// files listed in a JSON map (repo path -> content) with fs, then commits them with `git add` + `git commit`:
//   node scripts/bench-fixtures/plain-writer.js <files.json>      (run in the repo; the message is fixed)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const files = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const paths = Object.keys(files);
for (const p of paths) {
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, files[p]);
}
const git = (args, input) => {
  const r = spawnSync('git', args, { input, stdio: ['pipe', 'ignore', 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
git(['add', '--', ...paths]);
git(['commit', '-q', '-F', '-'], 'feat(databases): add CloudNativePG operator manifests\n');
