/** Run a command with stdout and stderr going to one file, so the output keeps the order it was written in. */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, GIT_ENV, ROOT, tmpDir } from './repo.js';

export const YO_LIKE = path.join(ROOT, 'dist/test/helpers/yo-like.js');

export interface OrderedRun {
  status: number;
  /** stdout and stderr interleaved as written. */
  output: string;
}

export function ordered(cwd: string, command: string, args: string[], env: Record<string, string> = {}): OrderedRun {
  const file = path.join(tmpDir('cnpg-out-'), 'output');
  const fd = openSync(file, 'w');
  try {
    const r = spawnSync(command, args, { cwd, stdio: ['ignore', fd, fd], env: { ...process.env, ...GIT_ENV, HOME: cwd, NO_UPDATE_NOTIFIER: '1', ...env } });
    return { status: r.status ?? -1, output: readFileSync(file, 'utf8') };
  } finally {
    closeSync(fd);
  }
}

/** The bin, output in order. */
export function binOrdered(cwd: string, args: string[], env: Record<string, string> = {}): OrderedRun {
  return ordered(cwd, process.execPath, [BIN, ...args], env);
}

/** `yo cnpg-operator <args>` as yo 7 hands it to the generator (see yo-like.ts), output in order. */
export function yoOrdered(cwd: string, args: string[], env: Record<string, string> = {}): OrderedRun {
  return ordered(cwd, process.execPath, [YO_LIKE, 'cnpg-operator', ...args], env);
}
