/**
 * crds-releases.ts as a user meets it: the apps layout's bootstrap crds.yaml helmfile gets one `cloudnative-pg`
 * release (name + namespace, and the inherit block its neighbours carry, as written), an existing one only follows
 * the namespace, and a file that is not a helmfile with one releases list is refused naming the line.
 */
import { describe, expect, test } from '@jest/globals';
import { FileError } from '../src/core/errors.js';
import { addCrdsRelease as add, readCrdsRelease as read } from '../src/core/patch/crds-releases.js';

const F = 'bootstrap/helmfile/crds.yaml';
const H = '---\nbases:\n  - default.yaml\n---\n';
const OURS = '  - name: cloudnative-pg\n    namespace: db\n';
function outcome(f: () => string): string {
  try {
    return f();
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

describe('adding the release', () => {
  test('after the last release, in the list\'s own dash column and gap; a trailing comment stays after it', () => {
    expect(add(`${H}releases:\n  - name: a\n    namespace: a\n  - name: b\n    namespace: b\n`, F, 'db')).toBe(`${H}releases:\n  - name: a\n    namespace: a\n  - name: b\n    namespace: b\n${OURS}`);
    expect(add(`${H}releases:\n-   name: a\n    namespace: a\n`, F, 'db')).toBe(`${H}releases:\n-   name: a\n    namespace: a\n-   name: cloudnative-pg\n    namespace: db\n`);
    expect(add(`${H}releases:\n  - name: a\n    namespace: a\n\n# end\n`, F, 'db')).toBe(`${H}releases:\n  - name: a\n    namespace: a\n${OURS}\n# end\n`);
  });

  test('a blank line before it only when the file separates its releases so', () => {
    expect(add(`${H}releases:\n  - name: a\n    namespace: a\n\n  - name: b\n    namespace: b\n`, F, 'db')).toBe(`${H}releases:\n  - name: a\n    namespace: a\n\n  - name: b\n    namespace: b\n\n${OURS}`);
  });

  test('the last release\'s inherit block, as written (flow or block, CRLF kept); none when the last has none', () => {
    expect(add(`${H}releases:\n  - name: a\n    inherit: [{ template: default }]\n`, F, 'db')).toBe(`${H}releases:\n  - name: a\n    inherit: [{ template: default }]\n${OURS}    inherit: [{ template: default }]\n`);
    expect(add('releases:\r\n  - name: a\r\n    namespace: a\r\n    inherit:\r\n      - template: default\r\n', F, 'db')).toBe(
      'releases:\r\n  - name: a\r\n    namespace: a\r\n    inherit:\r\n      - template: default\r\n  - name: cloudnative-pg\r\n    namespace: db\r\n    inherit:\r\n      - template: default\r\n',
    );
    expect(add(`${H}releases:\n  - name: a\n    inherit:\n      - template: default\n  - name: b\n    namespace: b\n`, F, 'db')).toBe(`${H}releases:\n  - name: a\n    inherit:\n      - template: default\n  - name: b\n    namespace: b\n${OURS}`);
  });

  test('an empty, null or [] releases list becomes a block list under the key\'s indentation', () => {
    for (const empty of ['releases:\n', 'releases: ~\n', 'releases: []\n']) expect(add(`${H}${empty}`, F, 'db')).toBe(`${H}releases:\n${OURS}`);
    expect(add('  releases: []\n', F, 'db')).toBe('  releases:\n    - name: cloudnative-pg\n      namespace: db\n');
  });

  test('the releases list in the first of two documents; the other document stays', () => {
    expect(add('releases:\n  - name: a\n---\nhelmDefaults: {}\n', F, 'db')).toBe(`releases:\n  - name: a\n${OURS}---\nhelmDefaults: {}\n`);
  });

  test('a namespace YAML would not read as a string is double-quoted', () => {
    expect(add('releases:\n  - name: a\n', F, 'yes')).toBe('releases:\n  - name: a\n  - name: cloudnative-pg\n    namespace: "yes"\n');
  });
});

describe('an existing cloudnative-pg release', () => {
  test('the same namespace: the file unchanged; another: only its value changes, its comment stays', () => {
    const same = `${H}releases:\n${OURS}`;
    expect(add(same, F, 'db')).toBe(same);
    expect(add(`${H}releases:\n  - name: cloudnative-pg\n    namespace: "old" # c\n`, F, 'db')).toBe(`${H}releases:\n  - name: cloudnative-pg\n    namespace: db # c\n`);
  });

  test('without a namespace: one added under its name, not after the last release', () => {
    expect(add(`${H}releases:\n  - name: cloudnative-pg # ours\n  - name: x\n`, F, 'db')).toBe(`${H}releases:\n  - name: cloudnative-pg # ours\n    namespace: db\n  - name: x\n`);
  });

  test('readCrdsRelease: its namespace, none, or no release', () => {
    expect(read(`${H}releases:\n${OURS}`, F)).toEqual({ namespace: 'db' });
    expect(read(`${H}releases:\n  - name: cloudnative-pg\n`, F)).toEqual({ namespace: undefined });
    expect(read(`${H}releases:\n  - name: x\n`, F)).toBeUndefined();
    expect(read(H, F)).toBeUndefined();
  });
});

describe('refusals name the file and the line', () => {
  test.each([
    ['no releases list', `${H}helmDefaults: {}\n`, `${F}: has no releases list (expected a helmfile with \`releases:\`)`],
    ['two releases lists', 'releases: []\n---\nreleases: []\n', `${F}:3: has two releases lists; keep one`],
    ['a document that is not a mapping', '- a\n', `${F}:1: is not a helmfile: a YAML document is not a mapping`],
    ['a flow releases list', 'releases: [{name: a}]\n', `${F}:1: releases is not a block sequence`],
    ['a scalar releases', 'releases: x\n', `${F}:1: releases is not a block sequence`],
    ['a release that is not a mapping', 'releases:\n  - a\n', `${F}:2: a release is not a mapping`],
    ['two cloudnative-pg releases', 'releases:\n  - name: cloudnative-pg\n  - name: x\n  - name: cloudnative-pg\n', `${F}:4: holds 2 releases named cloudnative-pg; keep one`],
  ])('%s', (_, text, message) => {
    expect(outcome(() => add(text, F, 'db'))).toBe(`FileError: ${message}`);
    expect(() => add(text, F, 'db')).toThrow(FileError);
  });

  test('readCrdsRelease refuses the same files', () => {
    expect(() => read('releases: []\n---\nreleases: []\n', F)).toThrow(`${F}:3: has two releases lists; keep one`);
  });
});

describe('the edges of a hand-written crds.yaml', () => {
  test('a release without a name is a neighbour, not ours', () => {
    expect(add('releases:\n  - chart: x\n    namespace: a\n', F, 'db')).toBe(`releases:\n  - chart: x\n    namespace: a\n${OURS}`);
  });

  test('our release already in the namespace, quoted: the file is left as written', () => {
    const text = 'releases:\n  - name: cloudnative-pg\n    namespace: "db"\n';
    expect(add(text, F, 'db')).toBe(text);
  });

  test('the separation is read between the last two releases only; a blank line of spaces counts', () => {
    expect(add('releases:\n  - name: a\n  \t\n  - name: b\n', F, 'db')).toBe(`releases:\n  - name: a\n  \t\n  - name: b\n\n${OURS}`);
    expect(add('releases:\n  - name: a\n\n  - name: b\n  - name: c\n', F, 'db')).toBe(`releases:\n  - name: a\n\n  - name: b\n  - name: c\n${OURS}`);
  });

  test('the copied inherit block takes the file\'s line ending even where the block mixed them', () => {
    expect(add('releases:\r\n  - name: a\r\n    inherit:\n      - template: default\n', F, 'db')).toBe(
      'releases:\r\n  - name: a\r\n    inherit:\n      - template: default\n  - name: cloudnative-pg\r\n    namespace: db\r\n    inherit:\r\n      - template: default\r\n',
    );
  });

  test('`releases : []` (a space before the colon) gets the block after the colon', () => {
    expect(add('releases : []\n', F, 'db')).toBe(`releases :\n${OURS}`);
  });

  test('an empty namespace is a programming error, named', () => {
    expect(outcome(() => add('releases: []\n', F, ''))).toBe('Error: internal error: namespace must be a non-empty string, got ""');
  });
});
