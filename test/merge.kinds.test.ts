/**
 * Issue 14, "both sides make the same change" and the conflict labels: the 3-way merge of a generated file that the
 * user edited (base = what the generator last wrote, ours = the work tree, theirs = the new rendering), on its own
 * and through makePlan.
 */
import { describe, expect, test } from '@jest/globals';
import { CONFLICT_START, hasConflictMarkers, merge3, takeGeneratorSide } from '../src/core/merge.js';
import { renderGenerated } from '../src/core/plan.js';
import { DEFAULT_ANSWERS } from '../src/core/settings.js';
import { L, YO_RC, changeOf, planFor, yoRc } from './helpers/core.js';

const lines = (...ls: string[]): string => ls.map((l) => `${l}\n`).join('');

describe('identical changes on both sides, next to a real user edit', () => {
  const base = lines('a', 'b', 'c', 'd', 'e', 'f');
  const theirs = lines('a', 'B', 'c', 'd', 'e', 'f');

  test('the shared change is taken once and the user edit on another line is kept, without a conflict', () => {
    expect(merge3(base, lines('a', 'B', 'c', 'd', 'E-user', 'f'), theirs)).toEqual({ text: lines('a', 'B', 'c', 'd', 'E-user', 'f'), conflicts: 0 });
  });

  test('the user edit before the shared change, and between two shared changes', () => {
    expect(merge3(base, lines('A-user', 'b', 'c', 'D', 'e', 'f'), lines('a', 'b', 'c', 'D', 'e', 'f'))).toEqual({ text: lines('A-user', 'b', 'c', 'D', 'e', 'f'), conflicts: 0 });
    const base7 = lines('a', 'b', 'c', 'd', 'e', 'f', 'g');
    expect(merge3(base7, lines('a', 'B', 'c', 'D-user', 'e', 'F', 'g'), lines('a', 'B', 'c', 'd', 'e', 'F', 'g'))).toEqual({
      text: lines('a', 'B', 'c', 'D-user', 'e', 'F', 'g'),
      conflicts: 0,
    });
  });

  test('the shared change plus a generator change elsewhere and a user change elsewhere: all three land', () => {
    const ours = lines('a', 'B', 'c', 'd', 'e', 'F-user');
    const theirs2 = lines('a', 'B', 'c', 'D-gen', 'e', 'f');
    expect(merge3(base, ours, theirs2)).toEqual({ text: lines('a', 'B', 'c', 'D-gen', 'e', 'F-user'), conflicts: 0 });
  });

  test('CRLF work trees keep CRLF in the merged text', () => {
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    expect(merge3(base, crlf(lines('a', 'B', 'c', 'd', 'E-user', 'f')), theirs)).toEqual({ text: crlf(lines('a', 'B', 'c', 'd', 'E-user', 'f')), conflicts: 0 });
  });

  test('through the plan: the user made the generator\'s change by hand and edited another line: nothing to do, no conflict', () => {
    const path = `${L.operatorDir}/pdb.yaml`;
    const lastWritten = renderGenerated(DEFAULT_ANSWERS, L).get(path)!;
    const next = renderGenerated({ ...DEFAULT_ANSWERS, namespace: 'databases' }, L).get(path)!;
    const userFile = next.replace('  minAvailable: 1\n', '  minAvailable: 1 # user note\n');
    expect(userFile).not.toBe(next);
    const { plan } = planFor({
      files: { [YO_RC]: yoRc({ namespace: 'cnpg-system' }), [path]: userFile },
      flags: { namespace: 'databases' },
      bases: { [path]: lastWritten },
    });
    const c = changeOf(plan, path);
    expect([c.status, c.after]).toEqual(['unchanged', userFile]);
    expect(plan.conflicted).toEqual([]);
  });

  test('through the plan: the generator\'s change and a user edit on another line are merged', () => {
    const path = `${L.operatorDir}/pdb.yaml`;
    const lastWritten = renderGenerated(DEFAULT_ANSWERS, L).get(path)!;
    const next = renderGenerated({ ...DEFAULT_ANSWERS, namespace: 'databases' }, L).get(path)!;
    const userFile = lastWritten.replace('  minAvailable: 1\n', '  minAvailable: 1 # user note\n');
    const { plan } = planFor({
      files: { [YO_RC]: yoRc({ namespace: 'cnpg-system' }), [path]: userFile },
      flags: { namespace: 'databases' },
      bases: { [path]: lastWritten },
    });
    const c = changeOf(plan, path);
    expect([c.status, c.after]).toEqual(['merged', next.replace('  minAvailable: 1\n', '  minAvailable: 1 # user note\n')]);
  });
});

describe('conflict labels', () => {
  test('a conflict is marked "<<<<<<< yours", "=======", ">>>>>>> generator", and counted', () => {
    const r = merge3(lines('a', 'b', 'c'), lines('a', 'X', 'c'), lines('a', 'Y', 'c'));
    expect(r).toEqual({ text: lines('a', '<<<<<<< yours', 'X', '=======', 'Y', '>>>>>>> generator', 'c'), conflicts: 1 });
    expect(CONFLICT_START).toBe('<<<<<<< ');
  });

  test('two separate conflicts are two counts, each with its own labels; favor theirs takes the generator side of both', () => {
    const args = [lines('a', 'b', 'c', 'd', 'e'), lines('A1', 'b', 'c', 'd', 'E1'), lines('A2', 'b', 'c', 'd', 'E2')] as const;
    const r = merge3(...args);
    expect(r.conflicts).toBe(2);
    expect(r.text).toBe(lines('<<<<<<< yours', 'A1', '=======', 'A2', '>>>>>>> generator', 'b', 'c', 'd', '<<<<<<< yours', 'E1', '=======', 'E2', '>>>>>>> generator'));
    expect(merge3(...args, { favor: 'theirs' }).text).toBe(lines('A2', 'b', 'c', 'd', 'E2'));
  });

  test('hasConflictMarkers needs the three markers in order, at line starts', () => {
    expect(hasConflictMarkers(lines('<<<<<<< yours', 'x', '=======', 'y', '>>>>>>> generator'))).toBe(true);
    expect(hasConflictMarkers(lines('<<<<<<< yours', 'x', '>>>>>>> generator'))).toBe(false);
    expect(hasConflictMarkers(lines('=======', '<<<<<<< yours', '>>>>>>> generator'))).toBe(false);
    expect(hasConflictMarkers(lines('# <<<<<<< yours', 'x', '=======', 'y', '>>>>>>> generator'))).toBe(false);
    expect(hasConflictMarkers(lines('<<<<<<< yours', 'x', '========', 'y', '>>>>>>> generator'))).toBe(false);
    expect(hasConflictMarkers(lines('<<<<<<<yours', 'x', '=======', 'y', '>>>>>>> generator'))).toBe(false);
    expect(hasConflictMarkers(lines('<<<<<<< yours', 'x', '=======', 'y # >>>>>>> generator'))).toBe(false);
  });

  test('no change on one side is no merge: ours or theirs is taken as it is', () => {
    const base = lines('a', 'b');
    expect(merge3(base, base, lines('a', 'c'))).toEqual({ text: lines('a', 'c'), conflicts: 0 });
    expect(merge3(base, lines('a', 'u'), base)).toEqual({ text: lines('a', 'u'), conflicts: 0 });
    expect(merge3(base, lines('x', 'y'), lines('x', 'y'))).toEqual({ text: lines('x', 'y'), conflicts: 0 });
  });

  test('a side that did not change is taken byte for byte, mixed line endings included', () => {
    const mixed = 'a\r\nb\nc\r\n';
    expect(merge3('a\nb\nc\n', mixed, 'a\nb\nc\n')).toEqual({ text: mixed, conflicts: 0 });
    expect(merge3('x\n', mixed, mixed)).toEqual({ text: mixed, conflicts: 0 });
    expect(merge3('a\r\nb\r\n', 'a\r\nb\r\n', 'a\nc\n')).toEqual({ text: 'a\nc\n', conflicts: 0 });
  });

  test('through the plan: a conflicted generated file carries the labels, is counted, and is not a warning', () => {
    const path = `${L.operatorDir}/pdb.yaml`;
    const lastWritten = renderGenerated(DEFAULT_ANSWERS, L).get(path)!;
    const userFile = lastWritten.replace('  namespace: cnpg-system\n', '  namespace: cnpg-system # mine\n');
    expect(userFile).not.toBe(lastWritten);
    const { plan } = planFor({
      files: { [YO_RC]: yoRc({ namespace: 'cnpg-system' }), [path]: userFile },
      flags: { namespace: 'databases' },
      bases: { [path]: lastWritten },
    });
    const c = changeOf(plan, path);
    expect(c.status).toBe('conflicted');
    expect(c.note).toBe('1 overlapping change(s)');
    expect(c.after).toMatch(/^<<<<<<< yours\n[\s\S]*^=======\n[\s\S]*^>>>>>>> generator$/m);
    expect(plan.conflicted.map((x) => x.path)).toEqual([path]);
    expect(plan.warnings.some((w) => w.startsWith(path))).toBe(false);
  });

  test('through the plan: a file already holding markers stays conflicted, or takes the generator version with --force', () => {
    const path = `${L.operatorDir}/pdb.yaml`;
    const marked = lines('<<<<<<< yours', 'x', '=======', 'y', '>>>>>>> generator');
    const files = { [YO_RC]: yoRc({}), [path]: marked };
    const kept = changeOf(planFor({ files }).plan, path);
    expect([kept.status, kept.after, kept.note]).toEqual(['conflicted', marked, 'still holds conflict markers from an earlier run']);
    const forced = changeOf(planFor({ files, force: true }).plan, path);
    expect([forced.status, forced.after]).toEqual(['merged', renderGenerated(DEFAULT_ANSWERS, L).get(path)]);
  });
});

describe('--force on a file an earlier run left conflicted: the generator side of each block', () => {
  test('each block becomes its generator lines; lines outside the blocks stay, in order', () => {
    const text = lines('top', '<<<<<<< yours', 'mine 1', 'mine 2', '=======', 'gen 1', '>>>>>>> generator', 'middle', '<<<<<<< yours', 'mine 3', '=======', '>>>>>>> generator', 'end');
    expect(takeGeneratorSide(text)).toBe(lines('top', 'gen 1', 'middle', 'end'));
  });

  test('CRLF text keeps CRLF; a text without blocks comes back as it is', () => {
    const crlf = 'a\r\n<<<<<<< yours\r\nx\r\n=======\r\ny\r\n>>>>>>> generator\r\nb\r\n';
    expect(takeGeneratorSide(crlf)).toBe('a\r\ny\r\nb\r\n');
    expect(takeGeneratorSide(lines('a', 'b'))).toBe(lines('a', 'b'));
  });

  test('only whole marker lines count: "=======" inside the generator side or a marker text mid-line is content', () => {
    const text = lines('<<<<<<< yours', 'x', '=======', 'y', '======= not a marker', 'z >>>>>>> generator', '>>>>>>> generator', 'after');
    expect(takeGeneratorSide(text)).toBe(lines('y', '======= not a marker', 'z >>>>>>> generator', 'after'));
    // A second "=======" inside the generator side is content there, and a ">>>>>>> " line outside a block is content.
    expect(takeGeneratorSide(lines('<<<<<<< yours', 'x', '=======', 'y', '=======', '>>>>>>> generator', '>>>>>>> stray'))).toBe(lines('y', '=======', '>>>>>>> stray'));
  });

  test('badly formed markers are undefined: a block left open, a block opened inside a block, a block never split', () => {
    expect(takeGeneratorSide(lines('a', '<<<<<<< yours', 'x', '=======', 'y'))).toBeUndefined();
    expect(takeGeneratorSide(lines('<<<<<<< yours', 'x', '<<<<<<< yours', '=======', 'y', '>>>>>>> generator'))).toBeUndefined();
    expect(takeGeneratorSide(lines('<<<<<<< yours', 'x', '=======', 'y', '<<<<<<< yours', '>>>>>>> generator'))).toBeUndefined();
    expect(takeGeneratorSide(lines('<<<<<<< yours', 'x', '>>>>>>> generator'))).toBeUndefined();
  });

  test('through the plan: --force keeps the user edit outside the block and takes the new rendering inside it', () => {
    const path = `${L.operatorDir}/pdb.yaml`;
    const lastWritten = renderGenerated(DEFAULT_ANSWERS, L).get(path)!;
    const next = renderGenerated({ ...DEFAULT_ANSWERS, namespace: 'databases' }, L).get(path)!;
    expect(lastWritten).toContain('  minAvailable: 1\n');
    // An earlier run's conflict on the namespace line, and a user comment on another line.
    const marked = lastWritten
      .replace('  namespace: cnpg-system\n', '<<<<<<< yours\n  namespace: cnpg-system # mine\n=======\n  namespace: cnpg-system\n>>>>>>> generator\n')
      .replace('  minAvailable: 1\n', '  minAvailable: 1 # user note\n');
    const files = { [YO_RC]: yoRc({ namespace: 'cnpg-system' }), [path]: marked };
    const c = changeOf(planFor({ files, flags: { namespace: 'databases' }, bases: { [path]: lastWritten }, force: true }).plan, path);
    expect([c.status, c.after]).toEqual(['merged', next.replace('  minAvailable: 1\n', '  minAvailable: 1 # user note\n')]);
  });

  test('through the plan: --force on badly formed markers replaces the file with the new rendering and says so', () => {
    const path = `${L.operatorDir}/pdb.yaml`;
    const open = lines('<<<<<<< yours', 'x', '=======', 'y', '>>>>>>> generator', '<<<<<<< yours', 'x', '=======', 'y');
    expect(hasConflictMarkers(open)).toBe(true);
    const c = changeOf(planFor({ files: { [YO_RC]: yoRc({}), [path]: open }, force: true }).plan, path);
    expect([c.status, c.after, c.note]).toEqual(['updated', renderGenerated(DEFAULT_ANSWERS, L).get(path), "conflict markers not well formed: replaced by the generator's version (--force)"]);
  });
});
