import { readFileSync } from 'node:fs';

/** The package's own version (also written to .yo-rc.json and commit trailers). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
