/**
 * Reading git's config files the way git does, for the few keys the in-process commit needs (identity,
 * object format, settings that would change how objects must be written). Syntax per git-config(1):
 * sections and subsections, quoted values with escapes, comments, line continuations, implicit booleans.
 * A line this parser cannot read throws, and the caller lets git itself do the work.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class ConfigSyntaxError extends Error {}

/** Keys as `section.name` or `section.subsection.name` (section and name lower-cased), values in file order; null = a bare `name` (true). */
export type GitConfig = Map<string, (string | null)[]>;

export function parseGitConfig(text: string, into: GitConfig = new Map()): GitConfig {
  let i = 0;
  let section: string | undefined;
  const n = text.length;
  const fail = (why: string): never => {
    const line = text.slice(0, i).split('\n').length;
    throw new ConfigSyntaxError(`line ${line}: ${why}`);
  };
  const skipBlank = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i++;
  };
  const skipComment = () => {
    if (text[i] === '#' || text[i] === ';') while (i < n && text[i] !== '\n') i++;
  };
  while (i < n) {
    skipBlank();
    skipComment();
    if (i >= n) break;
    const c = text[i];
    if (c === '\n') {
      i++;
      continue;
    }
    if (c === '[') {
      i++;
      const start = i;
      while (i < n && /[A-Za-z0-9.-]/.test(text[i])) i++;
      let name = text.slice(start, i).toLowerCase();
      if (!name) fail('empty section name');
      if (text[i] === ' ' || text[i] === '\t') {
        skipBlank();
        if (text[i] !== '"') fail('bad section header');
        i++;
        let sub = '';
        while (i < n && text[i] !== '"') {
          if (text[i] === '\n') fail('newline in subsection');
          if (text[i] === '\\') i++;
          sub += text[i++];
        }
        if (text[i] !== '"') fail('unterminated subsection');
        i++;
        name = `${name}.${sub}`;
      } else if (name.includes('.')) {
        // [section.sub]: the deprecated form, subsection lower-cased
        const dot = name.indexOf('.');
        name = `${name.slice(0, dot)}.${name.slice(dot + 1)}`;
      }
      if (text[i] !== ']') fail('bad section header');
      i++;
      section = name;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) fail(`unexpected ${JSON.stringify(c)}`);
    if (section === undefined) fail('a key outside any section');
    const start = i;
    while (i < n && /[A-Za-z0-9-]/.test(text[i])) i++;
    const key = `${section}.${text.slice(start, i).toLowerCase()}`;
    skipBlank();
    let value: string | null = null;
    if (text[i] === '=') {
      i++;
      value = readValue();
    } else {
      skipComment();
      if (i < n && text[i] !== '\n') fail('expected = after a key');
    }
    const list = into.get(key);
    if (list) list.push(value);
    else into.set(key, [value]);
  }
  return into;

  function readValue(): string {
    skipBlank();
    let out = '';
    let pendingSpace = '';
    let quoted = false;
    while (i < n) {
      const ch = text[i];
      if (ch === '\n' && !quoted) break;
      if (ch === '\n') fail('newline in a quoted value');
      if (!quoted && (ch === '#' || ch === ';')) {
        while (i < n && text[i] !== '\n') i++;
        break;
      }
      if (!quoted && (ch === ' ' || ch === '\t' || ch === '\r')) {
        pendingSpace += ch;
        i++;
        continue;
      }
      out += pendingSpace;
      pendingSpace = '';
      i++;
      if (ch === '"') {
        quoted = !quoted;
        continue;
      }
      if (ch === '\\') {
        const e = text[i++];
        if (e === '\n') continue;
        if (e === 'n') out += '\n';
        else if (e === 't') out += '\t';
        else if (e === 'b') out += '\b';
        else if (e === '\\' || e === '"') out += e;
        else fail('bad escape in a value');
        continue;
      }
      out += ch;
    }
    if (quoted) fail('unterminated quote');
    return out;
  }
}

/** The config files git reads for a repo, lowest precedence first (system, global, local), as git picks them. */
export function configFiles(gitDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? os.homedir();
  const system = env.GIT_CONFIG_NOSYSTEM ? [] : [env.GIT_CONFIG_SYSTEM ?? '/etc/gitconfig'];
  const global =
    env.GIT_CONFIG_GLOBAL !== undefined
      ? [env.GIT_CONFIG_GLOBAL]
      : [path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'git/config'), path.join(home, '.gitconfig')];
  return [...system, ...global, path.join(gitDir, 'config')];
}

/** All of a repo's config files merged (a missing file is skipped). */
export function readGitConfig(files: string[]): GitConfig {
  const cfg: GitConfig = new Map();
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    try {
      parseGitConfig(text, cfg);
    } catch (e) {
      throw new ConfigSyntaxError(`${f}: ${(e as Error).message}`);
    }
  }
  return cfg;
}

/** The last value of a key, as git reads a single-valued key; undefined when unset. */
export function configValue(cfg: GitConfig, key: string): string | null | undefined {
  const list = cfg.get(key);
  return list ? list[list.length - 1] : undefined;
}
