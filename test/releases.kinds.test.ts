/**
 * Issue 14: the operator release table's validator (src/core/releases.ts). The one who reads its messages is the
 * maintainer who extends data/operator-releases.json when a chart ships: each broken kind of entry is pinned with the
 * exact list of problems it yields (nothing more: one mistake, one line), on a small valid table of our own.
 */
import { describe, expect, test } from '@jest/globals';
import { releaseTable, releaseTableProblems, validateReleaseTable } from '../src/core/releases.js';

/** A table under test, broken on purpose: any shape. */
type Json = Record<string, any>;

/** A small valid table: two releases, every optional field used once. */
function base(): Json {
  return {
    schema: 1,
    about: ['A test table.'],
    tags: { 'rolls-clusters': 'Rolls every cluster.', security: 'A security fix.' },
    everyUpgrade: [{ tag: 'rolls-clusters', text: 'Every change rolls clusters.', source: 'https://example.org/every' }],
    releases: [
      { version: '1.24.0', date: '2024-08-22', charts: ['0.22.0'], notes: 'https://example.org/1.24.0', hazards: [] },
      {
        version: '1.25.0',
        date: '2024-12-23',
        charts: ['0.23.0', '0.23.1'],
        notes: 'https://example.org/1.25.0',
        kubernetes: ['1.31', '1.30'],
        hazards: [
          {
            tag: 'security',
            text: 'A CVE.',
            source: 'https://example.org/cve',
            seeAlso: ['https://example.org/more'],
            fixedIn: '1.25.1',
            charts: ['0.23.1'],
          },
        ],
      },
    ],
  };
}

/** The problems of the base table after `change`. */
function problemsAfter(change: (t: Json) => void): string[] {
  const t = base();
  change(t);
  return releaseTableProblems(t);
}

const hazard = (t: Json): Json => t.releases[1].hazards[0];

describe('a valid table', () => {
  test('has no problem and validates to itself', () => {
    const t = base();
    expect(releaseTableProblems(t)).toEqual([]);
    expect(validateReleaseTable(t)).toBe(t);
  });

  test('optional fields may be left out; a release may list no chart and no hazard; seeAlso may be empty', () => {
    expect(problemsAfter((t) => {
      delete t.releases[1].kubernetes;
      for (const k of ['seeAlso', 'fixedIn', 'charts']) delete hazard(t)[k];
      t.everyUpgrade = [];
    })).toEqual([]);
    expect(problemsAfter((t) => (t.releases[0].charts = []))).toEqual([]);
    expect(problemsAfter((t) => (hazard(t).seeAlso = []))).toEqual([]);
  });

  test('limits that are still fine: a 240-character line, a 41-character tag, 1.NNN Kubernetes, 9999.9999.9999', () => {
    expect(problemsAfter((t) => {
      hazard(t).text = 'x'.repeat(240);
      t.tags['a'.repeat(41)] = 'y'.repeat(240);
      t.releases[1].kubernetes = ['1.100', '1.0'];
      t.releases.push({ version: '9999.9999.9999', date: '2028-02-29', charts: ['10.0.0'], notes: 'https://a.b/c?d=e#f', hazards: [] });
    })).toEqual([]);
  });

  test('the shipped table is valid', () => {
    const t = releaseTable();
    expect(releaseTableProblems(t)).toEqual([]);
    expect(t.schema).toBe(1);
    expect(t.releases[0].version).toBe('1.24.0');
  });
});

describe('the whole table and its top-level fields', () => {
  test.each([null, [], 'table', 1, undefined])('%p is not a table', (data) => {
    expect(releaseTableProblems(data)).toEqual(['the table is not an object']);
  });

  test.each([
    ['schema 2', (t: Json) => (t.schema = 2), ['schema must be 1']],
    ['schema "1"', (t: Json) => (t.schema = '1'), ['schema must be 1']],
    ['no about', (t: Json) => delete t.about, ['about must be a non-empty list of lines']],
    ['an empty about', (t: Json) => (t.about = []), ['about must be a non-empty list of lines']],
    ['an about that is a string', (t: Json) => (t.about = 'x'), ['about must be a non-empty list of lines']],
    ['an about holding a number', (t: Json) => (t.about = ['x', 2]), ['about must be a non-empty list of lines']],
    ['everyUpgrade not a list', (t: Json) => (t.everyUpgrade = {}), ['everyUpgrade must be a list']],
    ['no releases', (t: Json) => delete t.releases, ['releases must be a non-empty list']],
    ['empty releases', (t: Json) => (t.releases = []), ['releases must be a non-empty list']],
    ['releases as an object', (t: Json) => (t.releases = { 0: base().releases[0] }), ['releases must be a non-empty list']],
  ])('%s', (_, change, want) => {
    expect(problemsAfter(change)).toEqual(want);
  });

  test('tags that are not an object stop the check there (every hazard would fail on them)', () => {
    for (const tags of [null, ['security'], 'security', undefined]) {
      expect(problemsAfter((t) => {
        t.tags = tags;
        t.schema = 0;
        t.releases = [];
      })).toEqual(['schema must be 1', 'tags must be an object']);
    }
  });

  test('every problem is listed, in table order', () => {
    expect(problemsAfter((t) => {
      t.schema = 0;
      t.about = [];
      t.everyUpgrade[0].tag = 'nope';
      t.releases[0].date = 'soon';
      hazard(t).source = 'http://example.org';
    })).toEqual([
      'schema must be 1',
      'about must be a non-empty list of lines',
      'everyUpgrade[0]: tag "nope" is not in tags',
      'release 1.24.0: date must be an ISO date (YYYY-MM-DD)',
      'release 1.25.0 hazards[0]: source must be an https URL',
    ]);
  });
});

describe('tags', () => {
  test.each([
    ['an upper-case name', 'Security', ['tags: "Security" is not a tag name']],
    ['a one-letter name', 'a', ['tags: "a" is not a tag name']],
    ['a 42-character name', 'a'.repeat(42), [`tags: "${'a'.repeat(42)}" is not a tag name`]],
    ['a name starting with a digit', '1st', ['tags: "1st" is not a tag name']],
    ['a name with an underscore', 'min_k8s', ['tags: "min_k8s" is not a tag name']],
  ])('%s', (_, name, want) => {
    expect(problemsAfter((t) => (t.tags[name] = 'What it means.'))).toEqual(want);
  });

  test.each([
    ['empty', ''],
    ['two lines', 'a\nb'],
    ['a CR', 'a\rb'],
    ['a tab', 'a\tb'],
    ['leading space', ' a'],
    ['trailing space', 'a '],
    ['241 characters', 'x'.repeat(241)],
    ['not a string', 5],
  ])('a description that is %s', (_, description) => {
    expect(problemsAfter((t) => (t.tags.extra = description))).toEqual(['tags.extra: the description must be one line']);
  });
});

describe('hazards (the same rules in everyUpgrade and in a release)', () => {
  test.each([
    ['not an object (null)', (t: Json) => (t.releases[1].hazards = [null]), ['release 1.25.0 hazards[0]: not an object']],
    ['not an object (a list)', (t: Json) => (t.releases[1].hazards = [[]]), ['release 1.25.0 hazards[0]: not an object']],
    ['not an object (a string)', (t: Json) => (t.everyUpgrade = ['rolls-clusters']), ['everyUpgrade[0]: not an object']],
    ['an unknown key', (t: Json) => (hazard(t).severity = 'high'), ['release 1.25.0 hazards[0]: unknown key severity']],
    ['no tag', (t: Json) => delete hazard(t).tag, ['release 1.25.0 hazards[0]: tag undefined is not in tags']],
    ['a tag that is a number', (t: Json) => (hazard(t).tag = 5), ['release 1.25.0 hazards[0]: tag 5 is not in tags']],
    ['an unknown tag', (t: Json) => (t.everyUpgrade[0].tag = 'scary'), ['everyUpgrade[0]: tag "scary" is not in tags']],
    ['a tag inherited by every object', (t: Json) => (hazard(t).tag = 'constructor'), ['release 1.25.0 hazards[0]: tag "constructor" is not in tags']],
    ['two-line text', (t: Json) => (hazard(t).text = 'a\nb'), ['release 1.25.0 hazards[0]: text must be one non-empty line of at most 240 characters']],
    ['no text', (t: Json) => delete t.everyUpgrade[0].text, ['everyUpgrade[0]: text must be one non-empty line of at most 240 characters']],
    ['an http source', (t: Json) => (hazard(t).source = 'http://example.org/cve'), ['release 1.25.0 hazards[0]: source must be an https URL']],
    ['a source without a dotted host', (t: Json) => (hazard(t).source = 'https://localhost/cve'), ['release 1.25.0 hazards[0]: source must be an https URL']],
    ['a source with a space', (t: Json) => (hazard(t).source = 'https://example.org/a b'), ['release 1.25.0 hazards[0]: source must be an https URL']],
    ['a source with a trailing newline', (t: Json) => (hazard(t).source = 'https://example.org/a\n'), ['release 1.25.0 hazards[0]: source must be an https URL']],
    ['a source that is no URL', (t: Json) => (hazard(t).source = 'example.org/cve'), ['release 1.25.0 hazards[0]: source must be an https URL']],
    ['a source that is not a string', (t: Json) => (hazard(t).source = ['https://example.org/cve']), ['release 1.25.0 hazards[0]: source must be an https URL']],
    ['seeAlso as one string', (t: Json) => (hazard(t).seeAlso = 'https://example.org/more'), ['release 1.25.0 hazards[0]: seeAlso must be https URLs']],
    ['seeAlso with an http URL', (t: Json) => (hazard(t).seeAlso = ['https://example.org/a', 'http://example.org/b']), ['release 1.25.0 hazards[0]: seeAlso must be https URLs']],
    ['seeAlso with a number', (t: Json) => (hazard(t).seeAlso = [1]), ['release 1.25.0 hazards[0]: seeAlso must be https URLs']],
    ['fixedIn X.Y', (t: Json) => (hazard(t).fixedIn = '1.26'), ['release 1.25.0 hazards[0]: fixedIn must be X.Y.Z']],
    ['fixedIn with a v', (t: Json) => (hazard(t).fixedIn = 'v1.26.0'), ['release 1.25.0 hazards[0]: fixedIn must be X.Y.Z']],
    ['fixedIn a number', (t: Json) => (hazard(t).fixedIn = 1.26), ['release 1.25.0 hazards[0]: fixedIn must be X.Y.Z']],
    ['fixedIn in everyUpgrade, not X.Y.Z', (t: Json) => (t.everyUpgrade[0].fixedIn = '1.2.3.4'), ['everyUpgrade[0]: fixedIn must be X.Y.Z']],
    ['charts empty', (t: Json) => (hazard(t).charts = []), ['release 1.25.0 hazards[0]: charts must be a non-empty list of X.Y.Z']],
    ['charts as one string', (t: Json) => (hazard(t).charts = '0.23.1'), ['release 1.25.0 hazards[0]: charts must be a non-empty list of X.Y.Z']],
    ['charts with a leading zero', (t: Json) => (t.everyUpgrade[0].charts = ['0.23.01']), ['everyUpgrade[0]: charts must be a non-empty list of X.Y.Z']],
    ['charts with a number', (t: Json) => (t.everyUpgrade[0].charts = [23]), ['everyUpgrade[0]: charts must be a non-empty list of X.Y.Z']],
    ['charts with one bad entry', (t: Json) => (t.everyUpgrade[0].charts = ['0.23.1', 'latest']), ['everyUpgrade[0]: charts must be a non-empty list of X.Y.Z']],
    ['a tag in a list', (t: Json) => (hazard(t).tag = ['security']), ['release 1.25.0 hazards[0]: tag ["security"] is not in tags']],
    ['fixedIn in a list', (t: Json) => (hazard(t).fixedIn = ['1.25.1']), ['release 1.25.0 hazards[0]: fixedIn must be X.Y.Z']],
  ])('%s', (_, change, want) => {
    expect(problemsAfter(change)).toEqual(want);
  });

  test('a hazard with everything wrong lists every problem, in field order', () => {
    expect(problemsAfter((t) => (t.everyUpgrade[0] = { tag: 'x', text: '', source: 'ftp://a.b', seeAlso: ['x'], fixedIn: 'x', charts: ['x'], extra: 1 }))).toEqual([
      'everyUpgrade[0]: unknown key extra',
      'everyUpgrade[0]: tag "x" is not in tags',
      'everyUpgrade[0]: text must be one non-empty line of at most 240 characters',
      'everyUpgrade[0]: source must be an https URL',
      'everyUpgrade[0]: seeAlso must be https URLs',
      'everyUpgrade[0]: fixedIn must be X.Y.Z',
      'everyUpgrade[0]: charts must be a non-empty list of X.Y.Z',
    ]);
  });

  test('a fixedIn must come after the release it is listed under', () => {
    expect(problemsAfter((t) => (hazard(t).fixedIn = '1.25.0'))).toEqual(['release 1.25.0 hazards[0]: fixedIn 1.25.0 must come after the release']);
    expect(problemsAfter((t) => (hazard(t).fixedIn = '1.24.9'))).toEqual(['release 1.25.0 hazards[0]: fixedIn 1.24.9 must come after the release']);
    expect(problemsAfter((t) => (hazard(t).fixedIn = '1.25.1'))).toEqual([]);
    expect(problemsAfter((t) => (hazard(t).fixedIn = '2.0.0'))).toEqual([]);
    // only compared when both are X.Y.Z: a bad one has its own message
    expect(problemsAfter((t) => (hazard(t).fixedIn = '1.0'))).toEqual(['release 1.25.0 hazards[0]: fixedIn must be X.Y.Z']);
    expect(problemsAfter((t) => {
      t.releases[1].version = '1.25';
      hazard(t).fixedIn = '1.0.0';
    })).toEqual(['releases[1]: version must be X.Y.Z']);
  });

  test('a hazard\'s charts must ship its release', () => {
    expect(problemsAfter((t) => (hazard(t).charts = ['0.23.1', '0.22.0']))).toEqual(['release 1.25.0 hazards[0]: charts must be charts that ship this release']);
    expect(problemsAfter((t) => (hazard(t).charts = ['0.23.0', '0.23.1']))).toEqual([]);
    // not compared when the release's own charts are broken
    expect(problemsAfter((t) => (t.releases[1].charts = '0.23.1'))).toEqual(['release 1.25.0: charts must be a list of X.Y.Z']);
  });
});

describe('releases', () => {
  test.each([
    ['not an object', (t: Json) => (t.releases[0] = null), ['releases[0]: not an object']],
    ['a list', (t: Json) => (t.releases[1] = []), ['releases[1]: not an object']],
    ['a string', (t: Json) => (t.releases[1] = '1.25.0'), ['releases[1]: not an object']],
    ['an unknown key', (t: Json) => (t.releases[0].appVersion = '1.24.0'), ['releases[0]: unknown key appVersion']],
    ['a version with a v', (t: Json) => (t.releases[0].version = 'v1.24.0'), ['releases[0]: version must be X.Y.Z']],
    ['a version with a leading zero', (t: Json) => (t.releases[0].version = '1.024.0'), ['releases[0]: version must be X.Y.Z']],
    ['a version that is a number', (t: Json) => (t.releases[0].version = 1.24), ['releases[0]: version must be X.Y.Z']],
    ['a pre-release version', (t: Json) => (t.releases[1].version = '1.25.0-rc1'), ['releases[1]: version must be X.Y.Z']],
    ['a version that repeats the previous one', (t: Json) => (t.releases[1].version = '1.24.0'), ['releases[1]: 1.24.0 does not come after 1.24.0']],
    ['versions out of order', (t: Json) => (t.releases[1].version = '1.23.9'), ['releases[1]: 1.23.9 does not come after 1.24.0']],
    ['a date that does not exist', (t: Json) => (t.releases[0].date = '2025-02-29'), ['release 1.24.0: date must be an ISO date (YYYY-MM-DD)']],
    ['a thirteenth month', (t: Json) => (t.releases[0].date = '2024-13-01'), ['release 1.24.0: date must be an ISO date (YYYY-MM-DD)']],
    ['a date without leading zeros', (t: Json) => (t.releases[0].date = '2024-8-22'), ['release 1.24.0: date must be an ISO date (YYYY-MM-DD)']],
    ['a date with a time', (t: Json) => (t.releases[0].date = '2024-08-22T10:00'), ['release 1.24.0: date must be an ISO date (YYYY-MM-DD)']],
    ['a date inside other text', (t: Json) => (t.releases[0].date = 'on 2024-08-22'), ['release 1.24.0: date must be an ISO date (YYYY-MM-DD)']],
    ['a date that is a number', (t: Json) => (t.releases[0].date = 20240822), ['release 1.24.0: date must be an ISO date (YYYY-MM-DD)']],
    ['a date in a list', (t: Json) => (t.releases[0].date = ['2024-08-22']), ['release 1.24.0: date must be an ISO date (YYYY-MM-DD)']],
    ['a version in a list', (t: Json) => (t.releases[0].version = ['1.24.0']), ['releases[0]: version must be X.Y.Z']],
    ['a version in a list, with a fixedIn below it', (t: Json) => {
      t.releases[1].version = ['1.25.0'];
      hazard(t).fixedIn = '1.24.0';
    }, ['releases[1]: version must be X.Y.Z']],
    ['kubernetes with one bad entry', (t: Json) => (t.releases[1].kubernetes = ['1.31', '2.0']), ['release 1.25.0: kubernetes must be a list of 1.N versions']],
    ['charts as one string', (t: Json) => (t.releases[0].charts = '0.22.0'), ['release 1.24.0: charts must be a list of X.Y.Z']],
    ['a chart X.Y', (t: Json) => (t.releases[0].charts = ['0.22.0', '0.22']), ['release 1.24.0: charts must be a list of X.Y.Z']],
    ['no notes', (t: Json) => delete t.releases[0].notes, ['release 1.24.0: notes must be an https URL']],
    ['http notes', (t: Json) => (t.releases[0].notes = 'http://example.org/1.24.0'), ['release 1.24.0: notes must be an https URL']],
    ['kubernetes as one string', (t: Json) => (t.releases[1].kubernetes = '1.31'), ['release 1.25.0: kubernetes must be a list of 1.N versions']],
    ['kubernetes 1.31.2', (t: Json) => (t.releases[1].kubernetes = ['1.31.2']), ['release 1.25.0: kubernetes must be a list of 1.N versions']],
    ['kubernetes 2.0', (t: Json) => (t.releases[1].kubernetes = ['2.0']), ['release 1.25.0: kubernetes must be a list of 1.N versions']],
    ['kubernetes 1.1000', (t: Json) => (t.releases[1].kubernetes = ['1.1000']), ['release 1.25.0: kubernetes must be a list of 1.N versions']],
    ['kubernetes v1.31', (t: Json) => (t.releases[1].kubernetes = ['v1.31']), ['release 1.25.0: kubernetes must be a list of 1.N versions']],
    ['kubernetes 1.x', (t: Json) => (t.releases[1].kubernetes = ['1.x']), ['release 1.25.0: kubernetes must be a list of 1.N versions']],
    ['kubernetes with a number', (t: Json) => (t.releases[1].kubernetes = [1.31]), ['release 1.25.0: kubernetes must be a list of 1.N versions']],
    ['no hazards', (t: Json) => delete t.releases[0].hazards, ['release 1.24.0: hazards must be a list']],
    ['hazards as an object', (t: Json) => (t.releases[0].hazards = {}), ['release 1.24.0: hazards must be a list']],
  ])('%s', (_, change, want) => {
    expect(problemsAfter(change)).toEqual(want);
  });

  test('a release with a bad version is named by its index; with a version string, by that version', () => {
    expect(problemsAfter((t) => {
      t.releases[0].version = 124;
      t.releases[0].date = 'x';
    })).toEqual(['releases[0]: version must be X.Y.Z', 'releases[0]: date must be an ISO date (YYYY-MM-DD)']);
    expect(problemsAfter((t) => {
      t.releases[0].version = '1.24';
      t.releases[0].date = 'x';
    })).toEqual(['releases[0]: version must be X.Y.Z', 'release 1.24: date must be an ISO date (YYYY-MM-DD)']);
  });

  test('the order is checked against the last valid version, across a broken release', () => {
    expect(problemsAfter((t) => {
      t.releases.splice(1, 0, null, { ...base().releases[0], version: 'bad' });
      t.releases.push({ ...base().releases[0], version: '1.24.5' });
    })).toEqual([
      'releases[1]: not an object',
      'releases[2]: version must be X.Y.Z',
      'releases[4]: 1.24.5 does not come after 1.25.0',
    ]);
  });

  test('a release in a later minor with a lower patch comes after (numeric, not textual, order)', () => {
    expect(problemsAfter((t) => t.releases.push({ ...base().releases[0], version: '1.100.0' }))).toEqual([]);
    expect(problemsAfter((t) => t.releases.push({ ...base().releases[0], version: '1.25.10' }))).toEqual([]);
  });
});

describe('validateReleaseTable', () => {
  test('throws one Error listing every problem, one per indented line', () => {
    const t = base();
    t.schema = 2;
    t.releases[0].notes = 'x';
    expect(() => validateReleaseTable(t)).toThrow(
      new Error('invalid operator release table:\n  schema must be 1\n  release 1.24.0: notes must be an https URL'),
    );
    expect(() => validateReleaseTable(null)).toThrow(new Error('invalid operator release table:\n  the table is not an object'));
  });
});
