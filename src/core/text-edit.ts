/**
 * Byte-preserving edits of a user's YAML file, shared by the patchers in patch/.
 *
 * The rule: a user's file is never regenerated. The `yaml` package's Document API is used only to *locate*
 * byte offsets (node `.range` is `[start, valueEnd, nodeEnd]`); the edits are splices into the ORIGINAL text:
 * either the source text of one value scalar is replaced, or whole lines are inserted at a line boundary. Every
 * other byte (comments, blank lines, quoting, indentation, key order, other documents, `---` markers, CRLF line
 * endings, a UTF-8 BOM, trailing whitespace, a missing final newline) comes out identical. Inserted lines use the
 * file's line ending and their siblings' indentation. Values are printed by the one serialiser, yaml-scalar.ts.
 */
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
  type Document,
  type Pair,
  type ParsedNode,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { FileError } from './errors.js';
import { yamlScalar } from './yaml-scalar.js';

const STR_TAG = 'tag:yaml.org,2002:str';

export type PDoc = Document.Parsed;
export type PMap = YAMLMap.Parsed;
export type PSeq = YAMLSeq.Parsed;
export type PScalar = Scalar.Parsed;
export type PPair = Pair<ParsedNode, ParsedNode | null>;

/** The file text split into BOM + body; all offsets are into `body`. */
export class Source {
  readonly bom: string;
  readonly body: string;
  readonly eol: string;

  constructor(
    text: string,
    readonly file: string,
  ) {
    this.bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
    this.body = text.slice(this.bom.length);
    // The line ending of the first line break decides for the whole file.
    const nl = this.body.indexOf('\n');
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, for nl of 0 or -1 body[nl - 1] is undefined, never '\r'
    this.eol = nl > 0 && this.body[nl - 1] === '\r' ? '\r\n' : '\n';
  }

  /** 1-based line number of an offset. */
  line(offset: number): number {
    let n = 1;
    let end = Math.min(Math.max(offset, 0), this.body.length);
    // An error "at" the end of a file that ends with a newline belongs to its last line.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, body[-1] is undefined, and a last character that is not a line break counts no line
    if (end === this.body.length && end > 0 && this.body[end - 1] === '\n') end--;
    for (let i = this.body.indexOf('\n'); i !== -1 && i < end; i = this.body.indexOf('\n', i + 1)) n++;
    return n;
  }

  /** Offset of the start of the line holding `offset`. */
  lineStart(offset: number): number {
    if (offset <= 0) return 0;
    return this.body.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Offset of the start of the line after the one holding `offset` (or the end of the body). */
  nextLineStart(offset: number): number {
    const i = this.body.indexOf('\n', Math.max(offset, 0));
    return i === -1 ? this.body.length : i + 1;
  }

  /** Start of the line after the one on which a node whose source ends at `end` ends. */
  afterLineOf(end: number): number {
    return this.nextLineStart(Math.max(end - 1, 0));
  }

  column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  /** Leading whitespace of the line holding `offset`. */
  indentOf(offset: number): string {
    const start = this.lineStart(offset);
    // Stryker disable next-line Regex: equivalent, `[ \t]*` always matches at the start of the line, if only the empty string
    return /^[ \t]*/.exec(this.body.slice(start))![0];
  }

  /** The text of the line starting at `start`, without its line ending. */
  lineText(start: number): string {
    const next = this.nextLineStart(start);
    // Stryker disable next-line Regex: equivalent, the slice holds one line break at most, at its end
    return this.body.slice(start, next).replace(/\r?\n$/, '');
  }

  /**
   * Text that inserts whole `lines` at `at`, which must be a line boundary:
   * at a line start each line gets the file's line ending; at the very end of
   * a body without a final newline each line is *preceded* by one, so the
   * file still ends without a newline.
   */
  linesAt(at: number, lines: readonly string[]): string {
    if (at === 0 || this.body[at - 1] === '\n') return lines.map((l) => l + this.eol).join('');
    if (at === this.body.length) return lines.map((l) => this.eol + l).join('');
    throw new Error(`internal error: ${this.file}: insertion point ${at} is not at a line boundary`);
  }

  err(problem: string, offset?: number): FileError {
    return new FileError(this.file, problem, offset === undefined ? undefined : this.line(offset));
  }
}

export interface Edit {
  at: number;
  end: number;
  text: string;
}

/** Splice non-overlapping edits into `body`. Insertions at the same offset keep their order. */
export function applyEdits(body: string, edits: readonly Edit[]): string {
  // Array.prototype.sort is stable (ES2019): edits at the same offset keep their order.
  const sorted = [...edits].sort((a, b) => a.at - b.at);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.at < pos || e.end < e.at) throw new Error('internal error: overlapping edits');
    out += body.slice(pos, e.at) + e.text;
    pos = e.end;
  }
  return out + body.slice(pos);
}

/**
 * Parse every document, refusing errors, warnings and duplicate keys.
 * Duplicate keys are detected here rather than by the parser so the message
 * can name the key.
 */
export function parseDocs(src: Source): PDoc[] {
  const stream = parseAllDocuments(src.body, { prettyErrors: false, uniqueKeys: false });
  const docs = Array.from(stream) as PDoc[];
  const streamErrors = (stream as { errors?: { message: string; pos: [number, number] }[] }).errors;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, only an empty stream carries errors of its own
  if (docs.length === 0 && streamErrors && streamErrors.length > 0) {
    throw src.err(`invalid YAML: ${streamErrors[0].message}`, streamErrors[0].pos[0]);
  }
  for (const doc of docs) {
    const e = doc.errors[0];
    if (e) throw src.err(`invalid YAML: ${e.message}`, e.pos[0]);
    const w = doc.warnings[0];
    if (w) throw src.err(`unsupported YAML: ${w.message}`, w.pos[0]);
    visit(doc, {
      Map(_key, map) {
        const seen = new Set<unknown>();
        for (const pair of map.items) {
          if (!isScalar(pair.key)) continue;
          const k = pair.key.value;
          // Stryker disable next-line OptionalChaining: equivalent, a parsed key always has a range
          if (seen.has(k)) throw src.err(`duplicate key ${String(k)}`, pair.key.range?.[0]);
          seen.add(k);
        }
      },
    });
  }
  return docs;
}

/** A `null` scalar with no source text (e.g. the value of `key:`). */
export function isBlankNull(node: ParsedNode | null | undefined): boolean {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, only a null scalar has an empty range; a collection's value is undefined
  return node == null || (isScalar(node) && node.value === null && node.range[0] === node.range[1]);
}

export function isEmptyDoc(doc: PDoc): boolean {
  return isBlankNull(doc.contents as ParsedNode | null);
}

/** A value that means "nothing here yet": `key:`, `key: ~`, `key: null`, `key: []`, `key: {}`. */
export function isEmptyValue(node: ParsedNode | null): boolean {
  if (node == null) return true;
  if (isScalar(node)) return node.value === null;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, a block collection always has an item and an alias has no items
  return (isMap(node) || isSeq(node)) && node.flow === true && node.items.length === 0;
}

export function getPair(map: PMap, key: string): PPair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key) as PPair | undefined;
}

export function stringValue(node: ParsedNode | null | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** The scalar as the user wrote it: source text for plain scalars (so `1.0` stays `1.0`), the value otherwise. */
export function scalarText(src: Source, node: PScalar): string {
  if (node.value === null) return '';
  if (node.type === 'PLAIN') return src.body.slice(node.range[0], node.range[1]);
  return String(node.value);
}

/** End offset of the last *content* of a node (not of trailing comments). */
export function contentEnd(node: ParsedNode | null): number {
  if (node == null) return 0;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, a block collection always has an item
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    const last = node.items[node.items.length - 1] as ParsedNode | PPair;
    if (isPair(last)) {
      const p = last as PPair;
      return Math.max(p.key ? contentEnd(p.key) : 0, p.value ? contentEnd(p.value) : 0);
    }
    return contentEnd(last);
  }
  return node.range[1];
}

/** Offset just after the `:` that follows a pair's key. */
export function colonAfterKey(src: Source, pair: PPair): number {
  let i = pair.key.range[1];
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, past the end body[i] is undefined, which is no whitespace
  while (i < src.body.length && /\s/.test(src.body[i])) i++;
  if (src.body[i] !== ':') throw new Error(`internal error: ${src.file}: no ':' after key at offset ${i}`);
  return i + 1;
}

/**
 * The edit that gives a pair with no value text its value: ` text` after the colon of `key:`, or, for an explicit
 * key with no value at all (`? key` alone on its line), a `: text` line under it, in the column of its `?`.
 */
export function fillBlankValue(src: Source, pair: PPair, text: string): Edit {
  if (pair.value == null) {
    const at = src.afterLineOf(contentEnd(pair.key));
    return { at, end: at, text: src.linesAt(at, [`${src.indentOf(pair.key.range[0])}: ${text}`]) };
  }
  const colon = colonAfterKey(src, pair);
  return { at: colon, end: colon, text: ` ${text}` };
}

/**
 * For a pair whose value is written as `~`, `null`, `[]` or `{}`: an edit
 * removing that text (so block content can go below the key). None for `key:`.
 */
export function clearEmptyValue(src: Source, pair: PPair): Edit[] {
  const v = pair.value;
  if (v == null || v.range[0] === v.range[1]) return [];
  return [{ at: colonAfterKey(src, pair), end: v.range[1], text: '' }];
}

/** Refuse values that cannot be replaced by a one-line scalar. */
export function assertEditableScalar(src: Source, node: ParsedNode, what: string): asserts node is PScalar {
  if (!isScalar(node)) {
    const kind = isMap(node) ? 'a mapping' : isSeq(node) ? 'a sequence' : 'an alias';
    throw src.err(`${what} must be a single string value, found ${kind}`, node.range[0]);
  }
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    throw src.err(`${what} uses a block scalar (| or >); write it on one line`, node.range[0]);
  }
  if (node.tag && node.tag !== STR_TAG) {
    throw src.err(`${what} has the explicit tag ${node.tag}; remove it`, node.range[0]);
  }
}

/** `value` written in the quoting style of an existing scalar (plain only where it stays a string). */
export function inStyleOf(node: PScalar, value: string): string {
  if (node.type === 'QUOTE_DOUBLE') return yamlScalar(value, 'double');
  if (node.type === 'QUOTE_SINGLE') return yamlScalar(value, 'single');
  return yamlScalar(value, 'plain-or-double');
}

export function isRenovateComment(line: string | undefined): boolean {
  if (line === undefined) return false;
  const t = line.trim();
  return t.startsWith('#') && t.includes('renovate:');
}

/** Text of the line directly above the line holding `offset`, if any. */
export function lineAbove(src: Source, offset: number): { start: number; text: string } | undefined {
  const ls = src.lineStart(offset);
  if (ls === 0) return undefined;
  const start = src.lineStart(ls - 1);
  return { start, text: src.lineText(start) };
}

/**
 * Values come validated by the caller; this only guards against programming
 * errors. Whatever the string, it is emitted quoted (JSON-style) when needed,
 * so it cannot inject YAML.
 */
export function assertValue(value: unknown, what: string, allowEmpty = false): asserts value is string {
  if (typeof value !== 'string' || (value === '' && !allowEmpty)) {
    throw new Error(`internal error: ${what} must be a ${allowEmpty ? '' : 'non-empty '}string, got ${JSON.stringify(value)}`);
  }
}
