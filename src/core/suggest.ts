/**
 * "Did you mean": the nearest known name to a mistyped one, by Damerau-Levenshtein distance (a swap of two
 * neighbouring letters counts as one edit). Shared by both doors (unknown flags) and usable for any list of
 * names (clusters, layouts). Pure; no dependencies.
 */

/** Edits (insert, delete, substitute, swap neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate nearest to `word`, if it is near enough to be a typo: at most a third of the longer name's
 * letters (at least 1, at most 3) differ, or one is a prefix of the other. Ties go to the earlier candidate.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) return c;
    const distance = editDistance(word.toLowerCase(), c.toLowerCase());
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(word.length, c.length) / 3)));
    const prefix = word.length >= 3 && (c.startsWith(word) || word.startsWith(c));
    if ((distance <= limit || prefix) && distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
  }
  return best;
}
