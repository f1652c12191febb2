/** Line-based 3-way merge (base = what the generator last wrote, ours = the work tree, theirs = new rendering). */
import { diff3Merge } from 'node-diff3';

export interface MergeResult {
  text: string;
  conflicts: number;
}

export const CONFLICT_START = '<<<<<<< ';

/** True when the text still holds conflict markers from an earlier run. */
export function hasConflictMarkers(text: string): boolean {
  return /^<<<<<<< .*$[\s\S]*^=======$[\s\S]*^>>>>>>> /m.test(text);
}

export function merge3(base: string, ours: string, theirs: string, labels = { ours: 'yours', theirs: 'generator' }): MergeResult {
  if (ours === theirs || theirs === base) return { text: ours, conflicts: 0 };
  if (ours === base) return { text: theirs, conflicts: 0 };
  const eol = ours.includes('\r\n') ? '\r\n' : '\n';
  const split = (s: string) => s.replace(/\r\n/g, '\n').split('\n');
  // Stryker disable next-line ObjectLiteral: node-diff3 defaults excludeFalseConflicts to true; kept explicit because the merge relies on it
  const regions = diff3Merge(split(ours), split(base), split(theirs), { excludeFalseConflicts: true });
  const out: string[] = [];
  let conflicts = 0;
  for (const region of regions) {
    if (region.ok) out.push(...region.ok);
    else if (region.conflict) {
      conflicts++;
      out.push(`${CONFLICT_START}${labels.ours}`, ...region.conflict.a, '=======', ...region.conflict.b, `>>>>>>> ${labels.theirs}`);
    }
  }
  return { text: out.join(eol), conflicts };
}
