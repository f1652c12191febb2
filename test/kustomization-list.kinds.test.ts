/**
 * kustomization-list.ts as a user meets it: the parent kustomization of the layout (kubernetes/apps/kustomization.yaml
 * and the like) gets our entry added or removed in place, in the file's own style (`./` prefixes, dash indentation,
 * flow lists), and a file that is not a kustomize Kustomization is refused with one message naming the line.
 */
import { describe, expect, test } from '@jest/globals';
import { FileError } from '../src/core/errors.js';
import { addKustomizationResource as add, removeKustomizationResource as remove } from '../src/core/patch/kustomization-list.js';

const F = 'kubernetes/apps/kustomization.yaml';
const H = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';
const WANT = 'expected a kustomize Kustomization (apiVersion: kustomize.config.k8s.io/v1beta1, kind: Kustomization)';
/** The refusal as `<class>: <message>`, or the text. */
function outcome(f: () => string | undefined): string | undefined {
  try {
    return f();
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

describe('adding our entry follows the file', () => {
  test('every entry written ./x: ours too; a mixed or empty list: as given', () => {
    expect(add(`${H}resources:\n  - ./a\n  - ./b/ks.yaml\n`, F, 'c/ks.yaml')).toBe(`${H}resources:\n  - ./a\n  - ./b/ks.yaml\n  - ./c/ks.yaml\n`);
    expect(add(`${H}resources:\n  - ./a\n  - b\n`, F, 'c')).toBe(`${H}resources:\n  - ./a\n  - b\n  - c\n`);
    expect(add(`${H}resources:\n  - ./a\n`, F, './c')).toBe(`${H}resources:\n  - ./a\n  - ./c\n`);
    expect(add(`${H}resources: []\n`, F, 'c')).toBe(`${H}resources: [c]\n`);
    expect(add(`${H}resources:\n  - {path: x}\n  - ./a\n`, F, 'c')).toBe(`${H}resources:\n  - {path: x}\n  - ./a\n  - c\n`);
    expect(add(`${H}resources:\n  -\n  - ./a\n`, F, 'c')).toBe(`${H}resources:\n  -\n  - ./a\n  - c\n`);
  });

  test('the dash column and the gap after the dash are the file\'s; comments stay where they are', () => {
    expect(add(`${H}resources:\n-   a\n-   b # x\n# tail\n`, F, 'c')).toBe(`${H}resources:\n-   a\n-   b # x\n-   c\n# tail\n`);
    expect(add(`${H}resources:\n    - a\n`, F, 'c')).toBe(`${H}resources:\n    - a\n    - c\n`);
  });

  test('flow lists get the entry after their last item, with a trailing comma or over several lines', () => {
    expect(add(`${H}resources: [./a, ./b,]\n`, F, 'c')).toBe(`${H}resources: [./a, ./b, ./c,]\n`);
    expect(add(`${H}resources: [\n  a, # one\n  b\n]\n`, F, 'c')).toBe(`${H}resources: [\n  a, # one\n  b, c\n]\n`);
  });

  test('no resources key, an empty or a null one: a block list under the root\'s indentation', () => {
    expect(add(`${H}resources: ~ # none\nnamespace: x\n`, F, 'c')).toBe(`${H}resources: # none\n  - c\nnamespace: x\n`);
    expect(add('  kind: Kustomization\n  namespace: x\n', F, 'c')).toBe('  kind: Kustomization\n  namespace: x\n  resources:\n    - c\n');
    expect(add('namespace: x\n', F, 'c')).toBe('namespace: x\nresources:\n  - c\n');
    expect(add('apiVersion: kustomize.config.k8s.io/v1\n', F, 'c')).toBe('apiVersion: kustomize.config.k8s.io/v1\nresources:\n  - c\n');
    expect(add(`---\n${H}---\n# nothing\n`, F, 'c')).toBe(`---\n${H}resources:\n  - c\n---\n# nothing\n`);
  });

  test('an entry YAML would not read as itself is double-quoted, in a new file and an existing one', () => {
    expect(add(`${H}resources:\n  - a\n`, F, 'my dir/ks.yaml')).toBe(`${H}resources:\n  - a\n  - "my dir/ks.yaml"\n`);
    expect(add(undefined, F, 'on')).toBe(`---\n${H}resources:\n  - "on"\n`);
  });

  test('an entry already listed, with or without ./, leaves the file as it is', () => {
    for (const [text, entry] of [[`${H}resources:\n  - ./c\n`, 'c'], [`${H}resources:\n  - c\n  - ./c\n`, './c'], [`${H}resources: [ c ]\n`, './c']]) {
      expect(add(text, F, entry)).toBe(text);
    }
  });
});

describe('a file that is not a kustomize Kustomization is refused, naming the line', () => {
  test.each([
    ['two documents', `${H}---\n${H}`, `${F}:4: holds 2 YAML documents; ${WANT}`],
    ['a flow mapping', '{kind: Kustomization}\n', `${F}:1: is not a YAML block mapping; ${WANT}`],
    ['a scalar', 'hello\n', `${F}:1: is not a YAML block mapping; ${WANT}`],
    ['a kind that is not a string', 'kind: [x]\n', `${F}:1: is a (non-string kind); ${WANT}`],
    ['another kind', 'apiVersion: v1\nkind: ConfigMap\n', `${F}:2: is a ConfigMap; ${WANT}`],
    ['another apiVersion', 'apiVersion: v1\n', `${F}:1: has apiVersion v1; ${WANT}`],
    ['an apiVersion that is not a string', 'kind: Kustomization\napiVersion: 1\n', `${F}:2: has apiVersion (non-string); ${WANT}`],
    ['a Flux Kustomization', 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n', `${F}:1: has apiVersion kustomize.toolkit.fluxcd.io/v1 (that is a Flux Kustomization); ${WANT}`],
    ['resources as a map', 'resources:\n  a: b\n', `${F}:2: resources is not a sequence`],
    ['only comments', '# nothing\n---\n', `${F}: is empty; ${WANT}`],
  ])('%s', (_, text, message) => {
    expect(outcome(() => add(text, F, 'c'))).toBe(`FileError: ${message}`);
    expect(outcome(() => remove(text, F, 'c'))).toBe(`FileError: ${message}`);
    expect(() => add(text, F, 'c')).toThrow(FileError);
  });
});

describe('removing our entry', () => {
  test('every line naming it goes, with or without ./ or spaces; other lines and comments stay', () => {
    expect(remove(`${H}resources:\n  - ./c\n  - a # keep\n  - c\n`, F, './c')).toBe(`${H}resources:\n  - a # keep\n`);
    expect(remove(`${H}resources:\n  - " ./c "\n  - a\n`, F, 'c')).toBe(`${H}resources:\n  - a\n`);
    expect(remove(`${H}resources:\n  -\n  - c\n`, F, 'c')).toBe(`${H}resources:\n  -\n`);
  });

  test('the last entry gone leaves `resources: []`, not a null value', () => {
    expect(remove(`${H}resources:\n  - ./c # ours\nnamespace: x\n`, F, 'c')).toBe(`${H}resources: []\nnamespace: x\n`);
  });

  test('nothing to remove, a flow list (left to the user) or no file: unchanged', () => {
    for (const text of [`${H}resources:\n  - a\n`, `${H}resources: [c, a]\n`, H, `${H}resources:\n`]) expect(remove(text, F, 'c')).toBe(text);
    expect(remove(undefined, F, 'c')).toBeUndefined();
  });
});

describe('what counts as the same entry', () => {
  test('only leading ./ (any number) is dropped; ./ inside a path is part of it', () => {
    expect(add(`${H}resources:\n  - ././c\n`, F, 'c')).toBe(`${H}resources:\n  - ././c\n`);
    expect(remove(`${H}resources:\n  - ././c\n  - a\n`, F, 'c')).toBe(`${H}resources:\n  - a\n`);
    expect(add(`${H}resources:\n  - a./b\n`, F, 'ab')).toBe(`${H}resources:\n  - a./b\n  - ab\n`);
  });

  test('an empty item or a mapping is no entry, whatever its text would be', () => {
    expect(add(`${H}resources:\n  -\n`, F, 'null')).toBe(`${H}resources:\n  -\n  - "null"\n`);
    expect(remove(`${H}resources:\n  -\n  - c\n`, F, 'null')).toBe(`${H}resources:\n  -\n  - c\n`);
    expect(add(`${H}resources:\n  - {a: b}\n`, F, 'undefined')).toBe(`${H}resources:\n  - {a: b}\n  - undefined\n`);
    expect(remove(`${H}resources:\n  - {a: b}\n  - c\n`, F, 'undefined')).toBe(`${H}resources:\n  - {a: b}\n  - c\n`);
  });

  test('the last entry gone after `resources :` (a space before the colon): `[]` after the colon', () => {
    expect(remove(`${H}resources :\n  - c\n`, F, 'c')).toBe(`${H}resources : []\n`);
  });

  test('an empty entry is a programming error, named', () => {
    expect(outcome(() => add(H, F, ''))).toBe('Error: internal error: kustomization resource must be a non-empty string, got ""');
  });
});
