/**
 * Issue 14: the byte-exact text edits under every patcher (src/core/text-edit.ts), as units. Each function here
 * decides a byte a user sees in a patched file (where a line goes, which line ending, which quoting) or a refusal
 * they read (file, line and problem), so each is pinned on the input kinds that tell its branches apart: first and
 * last line, CRLF, a BOM, no final newline, offsets out of range, empty and flow values, tags, aliases.
 */
import { describe, expect, test } from '@jest/globals';
import { isMap, isSeq, type ParsedNode } from 'yaml';
import { FileError } from '../src/core/errors.js';
import {
  type PMap,
  type PPair,
  type PScalar,
  Source,
  applyEdits,
  assertEditableScalar,
  assertValue,
  clearEmptyValue,
  colonAfterKey,
  contentEnd,
  fillBlankValue,
  getPair,
  inStyleOf,
  isBlankNull,
  isEmptyDoc,
  isEmptyValue,
  isRenovateComment,
  lineAbove,
  parseDocs,
  scalarText,
  stringValue,
} from '../src/core/text-edit.js';

const F = 'f.yaml';
const src = (text: string): Source => new Source(text, F);

/** The root mapping of a one-document text. */
function rootOf(text: string): { s: Source; root: PMap } {
  const s = src(text);
  const root = parseDocs(s)[0].contents as ParsedNode;
  if (!isMap(root)) throw new Error('test input is not a mapping');
  return { s, root: root as PMap };
}

/** The pair of a root key. */
function pairOf(text: string, key: string): { s: Source; pair: PPair } {
  const { s, root } = rootOf(text);
  return { s, pair: getPair(root, key)! };
}

function fileError(fn: () => unknown): { message: string; line: number | undefined; problem: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FileError);
    const f = e as FileError;
    return { message: f.message, line: f.line, problem: f.problem };
  }
  throw new Error('no FileError thrown');
}

describe('Source: BOM, body and the line ending the file uses', () => {
  test.each([
    ['LF', 'a: 1\nb: 2\n', '', 'a: 1\nb: 2\n', '\n'],
    ['CRLF', 'a: 1\r\nb: 2\r\n', '', 'a: 1\r\nb: 2\r\n', '\r\n'],
    ['a BOM and CRLF', '\uFEFFa: 1\r\nb: 2\r\n', '\uFEFF', 'a: 1\r\nb: 2\r\n', '\r\n'],
    ['the first line break decides (LF, then CRLF)', 'a: 1\nb: 2\r\n', '', 'a: 1\nb: 2\r\n', '\n'],
    ['the first line break decides (CRLF, then LF)', 'a: 1\r\nb: 2\n', '', 'a: 1\r\nb: 2\n', '\r\n'],
    ['no line break at all', 'a: 1', '', 'a: 1', '\n'],
    ['an empty first line', '\na: 1\r\n', '', '\na: 1\r\n', '\n'],
    ['a lone CR line', '\r\na: 1\n', '', '\r\na: 1\n', '\r\n'],
    ['a BOM that is not at the start is content', 'a: \uFEFF\n', '', 'a: \uFEFF\n', '\n'],
  ])('%s', (_, text, bom, body, eol) => {
    const s = src(text);
    expect([s.bom, s.body, s.eol, s.file]).toEqual([bom, body, eol, F]);
  });
});

describe('Source: offsets to lines and columns', () => {
  const s = src('ab\ncd\n\nef'); // lines: 'ab' 0-2, 'cd' 3-5, '' 6, 'ef' 7-8

  test('line: 1-based, a line break belongs to the line it ends, clamped to the body', () => {
    expect([0, 1, 2, 3, 5, 6, 7, 8, 9].map((o) => s.line(o))).toEqual([1, 1, 1, 2, 2, 3, 4, 4, 4]);
    expect([s.line(-5), s.line(100)]).toEqual([1, 4]);
  });

  test('line: the end of a file that ends with a newline is its last line, not the line after it', () => {
    const t = src('a\nb\n');
    expect([t.line(3), t.line(4), t.line(99)]).toEqual([2, 2, 2]);
    expect([src('\n').line(1), src('').line(0), src('x').line(1)]).toEqual([1, 1, 1]);
  });

  test('lineStart', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 9].map((o) => s.lineStart(o))).toEqual([0, 0, 0, 3, 3, 3, 6, 7, 7]);
    expect(s.lineStart(-3)).toBe(0);
    // offset 0 of a body that starts with a line break is on line 1, which starts at 0
    expect(src('\nab').lineStart(0)).toBe(0);
  });

  test('nextLineStart: the start of the next line, or the end of the body', () => {
    expect([0, 2, 3, 5, 6, 7, 9].map((o) => s.nextLineStart(o))).toEqual([3, 3, 6, 6, 7, 9, 9]);
    expect(s.nextLineStart(-3)).toBe(3);
  });

  test('afterLineOf: the line after the one on which a node ending at `end` ends', () => {
    // a node ending at 2 ('ab') or at 3 (its range includes the line break) ends on line 1
    expect([s.afterLineOf(0), s.afterLineOf(2), s.afterLineOf(3), s.afterLineOf(4), s.afterLineOf(5), s.afterLineOf(6), s.afterLineOf(9)]).toEqual([
      3, 3, 3, 6, 6, 6, 9,
    ]);
  });

  test('column and indentOf (spaces and tabs, any offset on the line)', () => {
    const t = src('a:\n    b: 1\n \tc: 2\nd\n');
    expect([t.column(0), t.column(7), t.column(9)]).toEqual([0, 4, 6]);
    expect([t.indentOf(0), t.indentOf(3), t.indentOf(9), t.indentOf(13), t.indentOf(19)]).toEqual(['', '    ', '    ', ' \t', '']);
  });

  test('lineText: the line without its line ending', () => {
    const t = src('a: 1\r\nb: 2\nc: 3');
    expect([t.lineText(0), t.lineText(6), t.lineText(11)]).toEqual(['a: 1', 'b: 2', 'c: 3']);
    expect(src('x\n\ny\n').lineText(2)).toBe('');
  });
});

describe('Source.linesAt: whole lines at a line boundary, in the file\'s line ending', () => {
  test('at a line start each line gets the line ending', () => {
    expect(src('a\r\nb\r\n').linesAt(3, ['x', 'y'])).toBe('x\r\ny\r\n');
    expect(src('a\nb\n').linesAt(4, ['x'])).toBe('x\n');
    expect(src('a\nb\n').linesAt(2, ['x', ''])).toBe('x\n\n');
  });

  test('at the start of a body without a line break (or an empty one) the lines come before it', () => {
    expect(src('a: 1').linesAt(0, ['x', 'y'])).toBe('x\ny\n');
    expect(src('').linesAt(0, ['x'])).toBe('x\n');
  });

  test('at the end of a body without a final newline each line is preceded by one', () => {
    expect(src('a\r\nb').linesAt(4, ['x', 'y'])).toBe('\r\nx\r\ny');
    expect(src('a').linesAt(1, ['x'])).toBe('\nx');
  });

  test('anywhere else it is a programming error', () => {
    expect(() => src('ab\n').linesAt(1, ['x'])).toThrow(new Error('internal error: f.yaml: insertion point 1 is not at a line boundary'));
    expect(() => src('ab\n').linesAt(1, ['x'])).not.toThrow(FileError);
  });
});

describe('Source.err: a FileError naming the file, and the line when an offset is given', () => {
  test('with and without an offset', () => {
    const s = src('a: 1\nb: 2\n');
    const e = s.err('bad thing', 6);
    expect(e).toBeInstanceOf(FileError);
    expect([e.message, e.line, e.file]).toEqual(['f.yaml:2: bad thing', 2, F]);
    const n = s.err('is empty');
    expect([n.message, n.line]).toEqual(['f.yaml: is empty', undefined]);
    expect(s.err('first', 0).message).toBe('f.yaml:1: first');
  });
});

describe('applyEdits', () => {
  test('splices edits given in any order; insertions at one offset keep their order', () => {
    const body = 'hello world';
    const edits = [
      { at: 5, end: 5, text: 'B' },
      { at: 1, end: 2, text: 'A' },
      { at: 5, end: 5, text: 'C' },
      { at: 5, end: 5, text: 'D' },
      { at: 6, end: 11, text: 'there' },
    ];
    expect(applyEdits(body, edits)).toBe('hAlloBCD there');
    expect(applyEdits(body, [])).toBe(body);
    expect(applyEdits(body, [{ at: 0, end: 0, text: '>' }, { at: 11, end: 11, text: '<' }])).toBe('>hello world<');
  });

  test('adjacent edits are fine, an insertion right after a replacement too', () => {
    expect(applyEdits('abcd', [{ at: 2, end: 2, text: 'Y' }, { at: 0, end: 2, text: 'X' }])).toBe('XYcd');
    expect(applyEdits('abcd', [{ at: 1, end: 3, text: '' }, { at: 3, end: 4, text: 'Z' }])).toBe('aZ');
  });

  test('overlapping or reversed edits are a programming error', () => {
    const overlapping = new Error('internal error: overlapping edits');
    expect(() => applyEdits('abcd', [{ at: 0, end: 3, text: '' }, { at: 2, end: 2, text: 'x' }])).toThrow(overlapping);
    expect(() => applyEdits('abcd', [{ at: 3, end: 2, text: 'x' }])).toThrow(overlapping);
  });
});

describe('parseDocs: every document, or the first problem as a FileError with its line', () => {
  test.each([
    ['a syntax error', 'a: 1\n---\n]\n', 'f.yaml:3: invalid YAML: Unexpected flow-seq-end token in YAML document: "]"', 3],
    ['a bad indentation', 'a: b\n  c: d\n', 'f.yaml:1: invalid YAML: Nested mappings are not allowed in compact mappings', 1],
    ['an error of the stream itself (no document)', '%TAG\n', 'f.yaml:1: invalid YAML: %TAG directive should contain exactly two parts', 1],
    ['an unknown tag (a warning)', 'a: 1\nb: !foo 1\n', 'f.yaml:2: unsupported YAML: Unresolved tag: !foo', 2],
    ['an unsupported version (a warning)', '%YAML 1.3\n---\na: 1\n', 'f.yaml:1: unsupported YAML: Unsupported YAML version 1.3', 1],
    ['a duplicate key, named', 'a: 1\nb: 2\na: 3\n', 'f.yaml:3: duplicate key a', 3],
    ['a duplicate key in a nested mapping', 'a:\n  b: 1\n  b: 2\n', 'f.yaml:3: duplicate key b', 3],
    ['a duplicate key in a later document', 'a: 1\n---\nx:\n  - y: 1\n    y: 2\n', 'f.yaml:5: duplicate key y', 5],
    ['a duplicate key quoted differently', '"a": 1\na: 2\n', 'f.yaml:2: duplicate key a', 2],
  ])('%s', (_, text, message, line) => {
    expect(fileError(() => parseDocs(src(text)))).toMatchObject({ message, line });
  });

  test('what is not a duplicate: a number and a string, complex keys', () => {
    expect(parseDocs(src('1: x\n"1": y\n'))).toHaveLength(1);
    expect(parseDocs(src('a: 1\n? [x]\n: 2\n? [x]\n: 3\n'))).toHaveLength(1);
    expect(parseDocs(src('a:\n  b: 1\nc:\n  b: 2\n'))).toHaveLength(1);
  });

  test('documents are counted as the parser sees them, empty ones included; no document at all is no error', () => {
    expect(parseDocs(src('a: 1\n---\n---\nb: 2\n')).map((d) => isEmptyDoc(d))).toEqual([false, true, false]);
    expect(parseDocs(src(''))).toEqual([]);
    expect(parseDocs(src('%YAML 1.2\n'))).toEqual([]);
    expect(parseDocs(src('# only a comment\n'))).toEqual([]);
  });
});

describe('the values that mean "nothing here yet"', () => {
  const { root } = rootOf('blank:\ntilde: ~\nnul: null\nseq: []\nmap: {}\nstr: x\nempty: ""\nfull: [1]\nblock:\n  a: 1\nzero: 0\n');
  const value = (k: string): ParsedNode | null => getPair(root, k)!.value;

  test('isBlankNull: only a value with no text at all', () => {
    expect(['blank', 'tilde', 'nul', 'seq', 'str', 'empty'].map((k) => isBlankNull(value(k)))).toEqual([true, false, false, false, false, false]);
    expect([isBlankNull(null), isBlankNull(undefined)]).toEqual([true, true]);
  });

  test('isEmptyValue: blank, ~, null, [] and {}; not "", 0, [1] or a block mapping', () => {
    expect(['blank', 'tilde', 'nul', 'seq', 'map', 'str', 'empty', 'full', 'block', 'zero'].map((k) => isEmptyValue(value(k)))).toEqual([
      true, true, true, true, true, false, false, false, false, false,
    ]);
    expect(isEmptyValue(null)).toBe(true);
  });

  test('isEmptyDoc: a document of comments, of ~ or of nothing; not one of a value', () => {
    const docs = parseDocs(src('a: 1\n---\n# c\n---\n~\n---\n---\nx\n---\n[]\n'));
    expect(docs.map((d) => isEmptyDoc(d))).toEqual([false, true, false, true, false, false]);
  });
});

describe('getPair, stringValue, scalarText', () => {
  const text = 'name: app\n1: one\nnum: 1.10\nhex: 0x1F\ndq: "a\\tb"\nsq: \'it\'\'s\'\nnil: ~\nblank:\nlit: |\n  x\nlist: [a]\n? [k]\n: v\n';
  const { s, root } = rootOf(text);
  const value = (k: string): ParsedNode | null => getPair(root, k)!.value;

  test('getPair finds string keys only, by value', () => {
    expect((getPair(root, 'name')!.value as PScalar).value).toBe('app');
    expect(getPair(root, '1')).toBeUndefined();
    expect(getPair(root, 'k')).toBeUndefined();
    expect(getPair(root, 'missing')).toBeUndefined();
  });

  test('stringValue: only string scalars', () => {
    expect([value('name'), value('num'), value('dq'), value('nil'), value('list')].map((v) => stringValue(v))).toEqual([
      'app', undefined, 'a\tb', undefined, undefined,
    ]);
    expect([stringValue(null), stringValue(undefined)]).toEqual([undefined, undefined]);
  });

  test('scalarText: a plain scalar as written, a quoted or block one as its value, null as nothing', () => {
    expect(['name', 'num', 'hex', 'dq', 'sq', 'nil', 'blank', 'lit'].map((k) => scalarText(s, value(k) as PScalar))).toEqual([
      'app', '1.10', '0x1F', 'a\tb', "it's", '', '', 'x\n',
    ]);
  });
});

describe('contentEnd: where the last content of a node ends (not its trailing comments or blank lines)', () => {
  test.each([
    ['a block mapping ending in a comment and blank lines', 'a: 1\nb: 2 # c\n\n# tail\n', 'b: 2'],
    ['a nested mapping', 'a:\n  b: 1 # c\n\n# tail\n', '  b: 1'],
    ['a block sequence', '- a\n- b # c\n', '- b'],
    ['a sequence of mappings', '- x: 1\n  y: [1, 2] # c\n# end\n', '  y: [1, 2]'],
    ['a last key with a blank value', 'a: 1\nb:\n# c\n', 'b:'],
    ['a last key with ~', 'a: 1\nb: ~ # c\n', 'b: ~'],
    ['a last key with an explicit key and no value', 'a: 1\n? b\n', '? b'],
    ['a flow mapping', '{a: 1, b: 2} # c\n', '{a: 1, b: 2}'],
  ])('%s', (_, text, before) => {
    const s = src(text);
    const root = parseDocs(s)[0].contents as ParsedNode;
    expect(s.body.slice(0, contentEnd(root))).toBe(s.body.slice(0, s.body.indexOf(before) + before.length));
  });

  test('of a flow value and of nothing', () => {
    const { pair } = pairOf('x: [a, b] # c\ny: 1\n', 'x');
    expect(contentEnd(pair.value)).toBe('x: [a, b]'.length);
    expect(contentEnd(null)).toBe(0);
  });

  test('a block mapping whose last value is a sequence ends at that sequence', () => {
    const s = src('a:\n  - x\n  - y # c\nb:\n  c: 1\n');
    const root = parseDocs(s)[0].contents as PMap;
    const a = getPair(root, 'a')!.value as ParsedNode;
    expect(isSeq(a)).toBe(true);
    expect(contentEnd(a)).toBe('a:\n  - x\n  - y'.length);
  });
});

describe('colonAfterKey and clearEmptyValue', () => {
  test('colonAfterKey: just after the colon, across spaces and after a quoted key', () => {
    for (const [text, key, want] of [
      ['a: 1\n', 'a', 2],
      ['a  : 1\n', 'a', 4],
      ['x: 0\n"a"\t: 1\n', 'a', 10],
      ['x: 0\n? a\n: 1\n', 'a', 10],
    ] as const) {
      const { s, pair } = pairOf(text, key);
      expect([text, colonAfterKey(s, pair)]).toEqual([text, want]);
    }
  });

  test('colonAfterKey on an explicit key without a value is a programming error', () => {
    const { s, pair } = pairOf('x: 0\n? a\n', 'a');
    expect(() => colonAfterKey(s, pair)).toThrow(new Error("internal error: f.yaml: no ':' after key at offset 9"));
  });

  test('fillBlankValue: after the colon of `key:`, or a `: value` line under an explicit key alone on its line', () => {
    const text = 'a:\nb  : # c\n  ? c # k\n  ? d\n';
    const s = src('x:\n' + text.replace(/^(?=[ab])/gm, '  '));
    const root = parseDocs(s)[0].contents as PMap;
    const x = getPair(root, 'x')!.value as PMap;
    const edits = ['a', 'b', 'c', 'd'].map((k) => fillBlankValue(s, getPair(x, k)!, '"1"'));
    expect(applyEdits(s.body, edits)).toBe('x:\n  a: "1"\n  b  : "1" # c\n  ? c # k\n  : "1"\n  ? d\n  : "1"\n');
    const crlf = src('? k\r\n? l');
    const [k, l] = (parseDocs(crlf)[0].contents as PMap).items as PPair[];
    expect(applyEdits(crlf.body, [fillBlankValue(crlf, k, 'v'), fillBlankValue(crlf, l, 'w')])).toBe('? k\r\n: v\r\n? l\r\n: w');
  });

  test('clearEmptyValue: removes ~, null, {} and [] after the colon, nothing for a blank value', () => {
    const text = 'a: ~ # c\nb: {}\nc: null\nd:\ne:   []\n? f\n';
    const { s, root } = rootOf(text);
    const edits = ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => clearEmptyValue(s, getPair(root, k)!));
    expect(edits).toEqual([
      [{ at: 2, end: 4, text: '' }],
      [{ at: 11, end: 14, text: '' }],
      [{ at: 17, end: 22, text: '' }],
      [],
      [{ at: 28, end: 33, text: '' }],
      [],
    ]);
    expect(applyEdits(s.body, edits.flat())).toBe('a: # c\nb:\nc:\nd:\ne:\n? f\n');
  });
});

describe('assertEditableScalar: the refusal of a value that cannot become one quoted line', () => {
  const text = 'map:\n  a: 1\nseq:\n  - a\nbase: &b x\nalias: *b\nlit: |\n  x\nfold: >-\n  x\nint: !!int 1\nmine: !!str 1\nplain: 1.0\nsq: \'x\'\n';
  const { s, root } = rootOf(text);
  const check = (k: string): void => assertEditableScalar(s, getPair(root, k)!.value as ParsedNode, `data.${k}`);

  test.each([
    ['map', 'f.yaml:2: data.map must be a single string value, found a mapping', 2],
    ['seq', 'f.yaml:4: data.seq must be a single string value, found a sequence', 4],
    ['alias', 'f.yaml:6: data.alias must be a single string value, found an alias', 6],
    ['lit', 'f.yaml:7: data.lit uses a block scalar (| or >); write it on one line', 7],
    ['fold', 'f.yaml:9: data.fold uses a block scalar (| or >); write it on one line', 9],
    ['int', 'f.yaml:11: data.int has the explicit tag tag:yaml.org,2002:int; remove it', 11],
  ])('%s', (k, message, line) => {
    expect(fileError(() => check(k))).toMatchObject({ message, line });
  });

  test('accepted: plain, quoted, and a scalar tagged !!str', () => {
    for (const k of ['plain', 'sq', 'mine', 'base']) expect(() => check(k)).not.toThrow();
  });
});

describe('inStyleOf: a new value in the quoting of the old one', () => {
  const { root } = rootOf('dq: "a"\nsq: \'a\'\nplain: a\n');
  const node = (k: string): PScalar => getPair(root, k)!.value as PScalar;

  test.each([
    ['dq', '0.26.1', '"0.26.1"'],
    ['sq', '0.26.1', "'0.26.1'"],
    ['sq', "it's", "'it''s'"],
    ['plain', '0.26.1', '0.26.1'],
    ['plain', '1.0', '"1.0"'],
    ['plain', 'yes', '"yes"'],
    ['dq', 'a"b', '"a\\"b"'],
  ])('%s %s -> %s', (k, value, want) => {
    expect(inStyleOf(node(k), value)).toBe(want);
  });
});

describe('isRenovateComment and lineAbove', () => {
  test('isRenovateComment: a comment line mentioning renovate:, at any indentation', () => {
    expect(
      [
        '# renovate: datasource=docker depName=x',
        '    #renovate: x',
        '  # see renovate: docs',
        'version: 1 # renovate: x',
        '# renovate x',
        '# other',
        '',
      ].map((l) => isRenovateComment(l)),
    ).toEqual([true, true, true, false, false, false, false]);
    expect(isRenovateComment(undefined)).toBe(false);
  });

  test('lineAbove: the line above, its start and text without the line ending; none on line 1', () => {
    const s = src('a: 1\r\n  # c  \r\nb: 2');
    expect(lineAbove(s, 0)).toBeUndefined();
    expect(lineAbove(s, 3)).toBeUndefined();
    expect(lineAbove(s, 6)).toEqual({ start: 0, text: 'a: 1' });
    expect(lineAbove(s, 9)).toEqual({ start: 0, text: 'a: 1' });
    expect(lineAbove(s, 15)).toEqual({ start: 6, text: '  # c  ' });
    expect(lineAbove(src('\nb'), 1)).toEqual({ start: 0, text: '' });
  });
});

describe('assertValue: a guard against programming errors, with the value in the message', () => {
  test('strings pass; the empty string only when allowed', () => {
    expect(() => assertValue('x', 'chart version')).not.toThrow();
    expect(() => assertValue('', 'v', true)).not.toThrow();
    expect(() => assertValue('', 'chart version')).toThrow(new Error('internal error: chart version must be a non-empty string, got ""'));
  });

  test('anything else is refused, naming what it is', () => {
    expect(() => assertValue(5, 'chart version')).toThrow(new Error('internal error: chart version must be a non-empty string, got 5'));
    expect(() => assertValue(undefined, 'v', true)).toThrow(new Error('internal error: v must be a string, got undefined'));
    expect(() => assertValue(null, 'v', true)).toThrow(new Error('internal error: v must be a string, got null'));
  });
});
