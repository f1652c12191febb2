/** Line-based 3-way merge (base = what the generator last wrote, ours = the work tree, theirs = new rendering). */
import { diff3Merge } from 'node-diff3';

export interface MergeResult {
  text: string;
  conflicts: number;
}

export const CONFLICT_START = '<<<<<<< ';
const LABELS = { ours: 'yours', theirs: 'generator' };

/** True when the text still holds conflict markers from an earlier run. */
export function hasConflictMarkers(text: string): boolean {
  // Stryker disable next-line Regex: equivalent: a greedy `.*` reaches the end of the line, so `.*$` and `.*` match the same
  return /^<<<<<<< .*$[\s\S]*^=======$[\s\S]*^>>>>>>> /m.test(text);
}

const splitLines = (s: string) => s.replace(/\r\n/g, '\n').split('\n');

/**
 * Merge `ours` and `theirs` from `base`. Overlapping changes get conflict markers, or with `favor: 'theirs'`
 * the generator's side of just those hunks (as `git merge -X theirs`): non-overlapping edits are kept either way.
 * `conflicts` counts the overlapping hunks in both modes.
 */
export function merge3(base: string, ours: string, theirs: string, opts: { favor?: 'theirs' } = {}): MergeResult {
  if (ours === theirs || theirs === base) return { text: ours, conflicts: 0 };
  if (ours === base) return { text: theirs, conflicts: 0 };
  const eol = ours.includes('\r\n') ? '\r\n' : '\n';
  // Stryker disable next-line ObjectLiteral: node-diff3 defaults excludeFalseConflicts to true; kept explicit because the merge relies on it
  const regions = diff3Merge(splitLines(ours), splitLines(base), splitLines(theirs), { excludeFalseConflicts: true });
  const out: string[] = [];
  let conflicts = 0;
  for (const region of regions) {
    if (region.ok) out.push(...region.ok);
    else {
      // A node-diff3 region holds either ok or conflict.
      const { a, b } = region.conflict!;
      conflicts++;
      if (opts.favor === 'theirs') out.push(...b);
      else out.push(`${CONFLICT_START}${LABELS.ours}`, ...a, '=======', ...b, `>>>>>>> ${LABELS.theirs}`);
    }
  }
  return { text: out.join(eol), conflicts };
}

/**
 * Resolve the markers an earlier run left (`<<<<<<< yours` … `=======` … `>>>>>>> generator`) by taking the
 * generator's side of each block; everything outside the blocks stays. Undefined when the markers are not
 * well formed (a block left open, or nested).
 */
export function takeGeneratorSide(text: string): string | undefined {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const out: string[] = [];
  let state: 'out' | 'ours' | 'theirs' = 'out';
  for (const line of splitLines(text)) {
    if (line.startsWith(CONFLICT_START)) {
      if (state !== 'out') return undefined;
      state = 'ours';
    } else if (line === '=======' && state === 'ours') state = 'theirs';
    else if (line.startsWith('>>>>>>> ') && state === 'theirs') state = 'out';
    else if (state === 'out' || state === 'theirs') out.push(line);
  }
  return state === 'out' ? out.join(eol) : undefined;
}
