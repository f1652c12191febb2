/**
 * A stand-in for `yo` 7 (which, run as root, drops to uid 1000 and cannot run in these tests): the same
 * hand-over to the generator as yo's lib/cli.js. yo parses its command line with meow (yargs-parser, no flags
 * declared): words that are not options become the arguments (the first names the generator), every option
 * becomes a key of an options object, typed (numbers become numbers, `--no-x` becomes x: false), in camelCase
 * plus a kebab-case copy; then `env.run(arguments, options)`, and on a rejected run
 * `process.exit(error.code || 1)`. Usage: node yo-like.js cnpg-operator [options...]
 */
import path from 'node:path';
import { ROOT } from './repo.js';

function typed(value: string): unknown {
  if (/^-?(\d+(\.\d+)?|\.\d+)(e[-+]?\d+)?$/i.test(value) || /^0x[0-9a-f]+$/i.test(value)) return Number(value);
  return value;
}

/** yargs-parser's shape, enough for a generator's view: positionals, typed values, camelCase keys. */
export function yoParse(words: string[]): { args: string[]; options: Record<string, unknown> } {
  const args: string[] = [];
  const options: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    const camel = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    options[camel] = value;
    options[camel.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)] = value; // yo's "legacy" kebab copy
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith('--')) {
      const [name, inline] = w.slice(2).split(/=(.*)/s, 2);
      if (inline !== undefined) set(name, typed(inline));
      else if (name.startsWith('no-')) set(name.slice(3), false);
      else if (i + 1 < words.length && !words[i + 1].startsWith('-')) set(name, typed(words[++i]));
      else set(name, true);
    } else if (w.startsWith('-') && w.length > 1) {
      const letters = w.slice(1);
      for (const [j, l] of [...letters].entries()) {
        if (j === letters.length - 1 && i + 1 < words.length && !words[i + 1].startsWith('-')) set(l, typed(words[++i]));
        else set(l, true);
      }
    } else args.push(w);
  }
  return { args, options };
}

const { args, options } = yoParse(process.argv.slice(2));
const { createEnv } = await import('yeoman-environment');
const env = createEnv();
env.register(path.join(ROOT, 'generators/app/index.js'), { namespace: 'cnpg-operator:app' });
try {
  await env.run(args, options as never);
} catch (error) {
  console.error('Error', process.argv.slice(2).join(' '), '\n');
  console.error((error as Error).message);
  process.exit((error as { code?: number }).code || 1);
}
