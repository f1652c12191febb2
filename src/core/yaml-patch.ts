/**
 * In-place patchers for the user's own YAML files.
 *
 * The hard rule of this module: a user's file is never regenerated. The `yaml`
 * package's Document API is used only to *locate* byte offsets (node `.range`
 * is `[start, valueEnd, nodeEnd]`); the edits themselves are splices into the
 * ORIGINAL text: either the source text of one value scalar is replaced, or new
 * whole lines are inserted at a line boundary. Every other byte (comments,
 * blank lines, quoting, indentation, key order, other documents, `---`
 * markers, CRLF line endings, a UTF-8 BOM, trailing whitespace, a missing
 * final newline) comes out identical. Inserted lines use the file's line ending
 * and their siblings' indentation. After patching, the result is parsed again
 * and the intended values are asserted; a mismatch is an internal error.
 *
 * The only time a whole file is generated is when it does not exist yet
 * (`text === undefined`).
 */
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  parse as parseYaml,
  parseAllDocuments,
  visit,
  type Document,
  type Pair,
  type ParsedNode,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

/** A refusal to touch a user's file, as one line: `<file>:<line>: <problem>`. */
export class FileError extends Error {
  /** The problem alone, without the `file:line:` prefix. */
  readonly problem: string;

  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
  ) {
    const problem = message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
    super(line === undefined ? `${file}: ${problem}` : `${file}:${line}: ${problem}`);
    this.name = 'FileError';
    this.problem = problem;
  }
}

export const CNPG_CHART_URL = 'oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg';
export const RENOVATE_COMMENT =
  '# renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg';

const SECTION_COMMENT = '# CloudNativePG Operator';
const VERSION_KEY = 'CNPG_OPERATOR_VERSION';
const STR_TAG = 'tag:yaml.org,2002:str';

type PDoc = Document.Parsed;
type PMap = YAMLMap.Parsed;
type PSeq = YAMLSeq.Parsed;
type PScalar = Scalar.Parsed;
type PPair = Pair<ParsedNode, ParsedNode | null>;

// ---------------------------------------------------------------------------
// Source text, offsets and edits
// ---------------------------------------------------------------------------

/** The file text split into BOM + body; all offsets are into `body`. */
class Source {
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
    this.eol = nl > 0 && this.body[nl - 1] === '\r' ? '\r\n' : '\n';
  }

  /** 1-based line number of an offset. */
  line(offset: number): number {
    let n = 1;
    let end = Math.min(Math.max(offset, 0), this.body.length);
    // An error "at" the end of a file that ends with a newline belongs to its last line.
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
    return /^[ \t]*/.exec(this.body.slice(start))![0];
  }

  /** The text of the line starting at `start`, without its line ending. */
  lineText(start: number): string {
    const next = this.nextLineStart(start);
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

interface Edit {
  at: number;
  end: number;
  text: string;
}

/** Splice non-overlapping edits into `body`. Insertions at the same offset keep their order. */
function applyEdits(body: string, edits: readonly Edit[]): string {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.at - b.at || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.at < pos || e.end < e.at) throw new Error('internal error: overlapping edits');
    out += body.slice(pos, e.at) + e.text;
    pos = e.end;
  }
  return out + body.slice(pos);
}

// ---------------------------------------------------------------------------
// Parsing and node helpers
// ---------------------------------------------------------------------------

/**
 * Parse every document, refusing errors, warnings and duplicate keys.
 * Duplicate keys are detected here rather than by the parser so the message
 * can name the key.
 */
function parseDocs(src: Source): PDoc[] {
  const stream = parseAllDocuments(src.body, { prettyErrors: false, uniqueKeys: false });
  const docs = Array.from(stream) as PDoc[];
  const streamErrors = (stream as { errors?: { message: string; pos: [number, number] }[] }).errors;
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
          if (seen.has(k)) throw src.err(`duplicate key ${String(k)}`, pair.key.range?.[0]);
          seen.add(k);
        }
      },
    });
  }
  return docs;
}

/** A `null` scalar with no source text (e.g. the value of `key:`). */
function isBlankNull(node: ParsedNode | null | undefined): boolean {
  return node == null || (isScalar(node) && node.value === null && node.range[0] === node.range[1]);
}

function isEmptyDoc(doc: PDoc): boolean {
  return isBlankNull(doc.contents as ParsedNode | null);
}

/** A value that means "nothing here yet": `key:`, `key: ~`, `key: null`, `key: []`, `key: {}`. */
function isEmptyValue(node: ParsedNode | null): boolean {
  if (node == null) return true;
  if (isScalar(node)) return node.value === null;
  return (isMap(node) || isSeq(node)) && node.flow === true && node.items.length === 0;
}

function getPair(map: PMap, key: string): PPair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key) as PPair | undefined;
}

function stringValue(node: ParsedNode | null | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** The scalar as the user wrote it: source text for plain scalars (so `1.0` stays `1.0`), the value otherwise. */
function scalarText(src: Source, node: PScalar): string {
  if (node.value === null) return '';
  if (node.type === 'PLAIN') return src.body.slice(node.range[0], node.range[1]);
  return String(node.value);
}

/** End offset of the last *content* of a node (not of trailing comments). */
function contentEnd(node: ParsedNode | null): number {
  if (node == null) return 0;
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
function colonAfterKey(src: Source, pair: PPair): number {
  let i = pair.key.range[1];
  while (i < src.body.length && /\s/.test(src.body[i])) i++;
  if (src.body[i] !== ':') throw new Error(`internal error: ${src.file}: no ':' after key at offset ${i}`);
  return i + 1;
}

/**
 * For a pair whose value is written as `~`, `null`, `[]` or `{}`: an edit
 * removing that text (so block content can go below the key). None for `key:`.
 */
function clearEmptyValue(src: Source, pair: PPair): Edit[] {
  const v = pair.value;
  if (v == null || v.range[0] === v.range[1]) return [];
  return [{ at: colonAfterKey(src, pair), end: v.range[1], text: '' }];
}

/** Refuse values that cannot be replaced by a one-line scalar. */
function assertEditableScalar(src: Source, node: ParsedNode, what: string): asserts node is PScalar {
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

const PLAIN_SAFE = /^(?:\.\/)?[A-Za-z0-9_/][A-Za-z0-9_./@+=-]*(?::[A-Za-z0-9_./@+=-]+)*$/;

/**
 * `s` double-quoted: JSON escaping (valid YAML double-quoted escapes), plus
 * `\uXXXX` escapes for characters YAML does not allow raw or that editors
 * treat as line breaks.
 */
function quote(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `s` as a plain scalar if it reads back as the same string, else double-quoted. */
function plainOrQuoted(s: string): string {
  if (PLAIN_SAFE.test(s)) {
    try {
      if (parseYaml(s) === s) return s;
    } catch {
      // fall through to quoting
    }
  }
  return quote(s);
}

/** `value` written in the quoting style of an existing scalar (plain only if it stays a string). */
function inStyleOf(node: PScalar, value: string): string {
  if (node.type === 'QUOTE_DOUBLE') return quote(value);
  if (node.type === 'QUOTE_SINGLE' && /^[\x20-\x7e]*$/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  if (node.type === 'QUOTE_SINGLE') return quote(value);
  return plainOrQuoted(value);
}

function isRenovateComment(line: string | undefined): boolean {
  if (line === undefined) return false;
  const t = line.trim();
  return t.startsWith('#') && t.includes('renovate:');
}

/** Text of the line directly above the line holding `offset`, if any. */
function lineAbove(src: Source, offset: number): { start: number; text: string } | undefined {
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
function assertValue(value: unknown, what: string, allowEmpty = false): asserts value is string {
  if (typeof value !== 'string' || (value === '' && !allowEmpty)) {
    throw new Error(`internal error: ${what} must be a ${allowEmpty ? '' : 'non-empty '}string, got ${JSON.stringify(value)}`);
  }
}

// ---------------------------------------------------------------------------
// cluster-settings.yaml
// ---------------------------------------------------------------------------

interface ClusterSettings {
  src: Source;
  root: PMap;
  dataPair?: PPair;
  /** The `data` block mapping, if it has entries. */
  data?: PMap;
}

function loadClusterSettings(src: Source): ClusterSettings {
  const want = 'expected a ConfigMap named cluster-settings in namespace flux-system';
  const docs = parseDocs(src).filter((d) => !isEmptyDoc(d));
  if (docs.length === 0) throw src.err(`is empty; ${want}`);
  if (docs.length > 1) {
    throw src.err(
      `holds ${docs.length} YAML documents; expected exactly one (the cluster-settings ConfigMap)`,
      (docs[1].contents as ParsedNode).range[0],
    );
  }
  const root = docs[0].contents as ParsedNode;
  if (!isMap(root) || root.flow) throw src.err(`is not a YAML block mapping; ${want}`, root.range[0]);
  const kindPair = getPair(root, 'kind');
  const kind = stringValue(kindPair?.value);
  if (kind !== 'ConfigMap') {
    throw src.err(
      kind === undefined ? `has no kind; ${want}` : `is a ${kind}, not a ConfigMap; ${want}`,
      kindPair?.key.range[0] ?? root.range[0],
    );
  }
  const metaPair = getPair(root, 'metadata');
  const meta = metaPair?.value;
  if (!isMap(meta)) throw src.err(`has no metadata mapping; ${want}`, metaPair?.key.range[0] ?? root.range[0]);
  const namePair = getPair(meta, 'name');
  const name = stringValue(namePair?.value);
  if (name !== 'cluster-settings') {
    throw src.err(
      name === undefined ? `has no metadata.name; ${want}` : `is the ConfigMap ${name}; ${want}`,
      namePair?.key.range[0] ?? meta.range[0],
    );
  }
  const nsPair = getPair(meta, 'namespace');
  if (nsPair) {
    const ns = stringValue(nsPair.value);
    if (ns !== 'flux-system') {
      throw src.err(`is in namespace ${ns ?? '(not a string)'}; ${want}`, nsPair.key.range[0]);
    }
  }
  const dataPair = getPair(root, 'data');
  if (!dataPair || isEmptyValue(dataPair.value)) return { src, root, dataPair };
  const data = dataPair.value as ParsedNode;
  if (!isMap(data) || data.flow) {
    throw src.err('data must be a block mapping (one KEY: "value" per line)', data.range[0]);
  }
  return { src, root, dataPair, data };
}

/** The data of the cluster-settings ConfigMap as strings (validated like {@link patchClusterSettings}). */
export function readClusterSettings(text: string, file: string): Record<string, string> {
  return settingsData(loadClusterSettings(new Source(text, file)));
}

function settingsData({ src, data }: ClusterSettings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of data?.items ?? []) {
    const key = pair.key as ParsedNode;
    if (!isScalar(key) || key.value === null) throw src.err('data keys must be strings', key.range[0]);
    const v = pair.value;
    if (v != null && !isScalar(v)) {
      throw src.err(`data.${String(key.value)} must be a string, found a ${isMap(v) ? 'mapping' : isSeq(v) ? 'sequence' : 'alias'}`, v.range[0]);
    }
    out[String(key.value)] = v == null ? '' : scalarText(src, v);
  }
  return out;
}

function assertSettingKey(key: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) throw new Error(`internal error: invalid cluster-settings key ${JSON.stringify(key)}`);
}

/** `KEY: "value"` lines (with the renovate comment above the operator version), indented. */
function settingLines(indent: string, keys: readonly string[], values: Record<string, string>): string[] {
  const lines: string[] = [];
  for (const k of keys) {
    if (k === VERSION_KEY) lines.push(indent + RENOVATE_COMMENT);
    lines.push(`${indent}${k}: ${quote(values[k])}`);
  }
  return lines;
}

/**
 * Set `values` in the `data` of the cluster-settings ConfigMap.
 *
 * - An existing key (anywhere in `data`) gets only its value scalar's source
 *   text replaced by the double-quoted value; `KEY:` with no value gets
 *   ` "value"` after the colon. CNPG_OPERATOR_VERSION gets RENOVATE_COMMENT
 *   inserted above it unless the line above is already a `renovate:` comment.
 * - Missing keys: if at least one key of `values` whose name starts with
 *   `CNPG_` already exists in `data`, the missing keys are inserted directly
 *   after the line of the last such key (no new section header: the CNPG
 *   section already exists there). Otherwise they are appended after the last
 *   entry of `data` as a new section: a blank line, `# CloudNativePG Operator`,
 *   then the keys. Without `data` (or with an empty `data:`), a `data:` block
 *   holding the section is added.
 */
export function patchClusterSettings(text: string | undefined, file: string, values: Record<string, string>): string {
  const keys = Object.keys(values);
  for (const k of keys) {
    assertSettingKey(k);
    assertValue(values[k], `cluster-settings value ${k}`, true);
  }
  if (text === undefined) {
    const out = [
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: cluster-settings',
      '  namespace: flux-system',
      'data:',
      `  ${SECTION_COMMENT}`,
      ...settingLines('  ', keys, values),
      '',
    ].join('\n');
    verifyClusterSettings(out, file, values);
    return out;
  }

  const src = new Source(text, file);
  const { root, dataPair, data } = loadClusterSettings(src);
  const edits: Edit[] = [];
  const present = new Map<string, PPair>();
  for (const pair of (data?.items ?? []) as PPair[]) {
    if (isScalar(pair.key) && typeof pair.key.value === 'string' && keys.includes(pair.key.value)) {
      present.set(pair.key.value, pair);
    }
  }

  for (const [key, pair] of present) {
    const quoted = quote(values[key]);
    if (isBlankNull(pair.value)) {
      const colon = colonAfterKey(src, pair);
      edits.push({ at: colon, end: colon, text: ` ${quoted}` });
    } else {
      const v = pair.value as ParsedNode;
      assertEditableScalar(src, v, `data.${key}`);
      if (src.body.slice(v.range[0], v.range[1]) !== quoted) edits.push({ at: v.range[0], end: v.range[1], text: quoted });
    }
    if (key === VERSION_KEY && !isRenovateComment(lineAbove(src, pair.key.range[0])?.text)) {
      const ls = src.lineStart(pair.key.range[0]);
      edits.push({ at: ls, end: ls, text: src.indentOf(ls) + RENOVATE_COMMENT + src.eol });
    }
  }

  const missing = keys.filter((k) => !present.has(k));
  if (missing.length > 0) {
    if (data) {
      // the indentation of the line of the first entry (not the key column: `? KEY`)
      const indent = src.indentOf(data.items[0].key!.range[0]);
      const cnpgPairs = [...present].filter(([k]) => k.startsWith('CNPG_')).map(([, p]) => p);
      if (cnpgPairs.length > 0) {
        // Keys of an existing CNPG section: continue it right after its last key.
        const last = cnpgPairs.reduce((a, b) => (b.key.range[0] > a.key.range[0] ? b : a));
        const at = src.afterLineOf(contentEnd(last.value ?? last.key));
        edits.push({ at, end: at, text: src.linesAt(at, settingLines(indent, missing, values)) });
      } else {
        const at = src.afterLineOf(contentEnd(data));
        const lines = ['', indent + SECTION_COMMENT, ...settingLines(indent, missing, values)];
        edits.push({ at, end: at, text: src.linesAt(at, lines) });
      }
    } else {
      const rootCol = src.column(root.items[0].key!.range[0]);
      const step = childIndentStep(src, root);
      const indent = ' '.repeat(rootCol + step);
      const section = [indent + SECTION_COMMENT, ...settingLines(indent, missing, values)];
      if (dataPair) {
        edits.push(...clearEmptyValue(src, dataPair));
        const at = src.afterLineOf(dataPair.value ? contentEnd(dataPair.value) : dataPair.key.range[1]);
        edits.push({ at, end: at, text: src.linesAt(at, section) });
      } else {
        const at = src.afterLineOf(contentEnd(root));
        edits.push({ at, end: at, text: src.linesAt(at, [' '.repeat(rootCol) + 'data:', ...section]) });
      }
    }
  }

  if (edits.length === 0) return text;
  const out = src.bom + applyEdits(src.body, edits);
  verifyClusterSettings(out, file, values);
  return out;
}

/** Indentation step used by the root map's first nested block mapping (2 if none). */
function childIndentStep(src: Source, root: PMap): number {
  const rootCol = src.column(root.items[0].key!.range[0]);
  for (const p of root.items) {
    const v = p.value;
    if (isMap(v) && !v.flow && v.items.length > 0) {
      const step = src.column(v.items[0].key!.range[0]) - rootCol;
      if (step > 0) return step;
    }
  }
  return 2;
}

function verifyClusterSettings(out: string, file: string, values: Record<string, string>): void {
  let ctx: ClusterSettings;
  let data: Record<string, string>;
  try {
    ctx = loadClusterSettings(new Source(out, file));
    data = settingsData(ctx);
  } catch (e) {
    throw new Error(`internal error: patched ${file} does not validate: ${(e as Error).message}`);
  }
  for (const [k, v] of Object.entries(values)) {
    if (data[k] !== v) throw new Error(`internal error: patched ${file} has ${k}=${JSON.stringify(data[k])}, expected ${JSON.stringify(v)}`);
  }
  if (VERSION_KEY in values) {
    const pair = getPair(ctx.data!, VERSION_KEY)!;
    if (!isRenovateComment(lineAbove(ctx.src, pair.key.range[0])?.text)) {
      throw new Error(`internal error: patched ${file} has no renovate comment above ${VERSION_KEY}`);
    }
  }
}

// ---------------------------------------------------------------------------
// bootstrap/helmfile.d/00-crds.yaml
// ---------------------------------------------------------------------------

/*
 * The file created when missing. helmfile documents `helmDefaults.args` as
 * "additional and global args passed to helm" (helmfile configuration
 * reference), and multi-document helmfiles are merged in order, so a separate
 * `helmDefaults` document applies to the `releases` document. `--include-crds`
 * makes `helm template` emit CRDs and `--no-hooks` keeps hook resources out;
 * as `helm upgrade` has no `--include-crds` flag, an accidental
 * `helmfile sync`/`apply` on this template-only file fails instead of
 * installing the chart. This is the layout widely used for `00-crds.yaml` in
 * Flux home-ops repositories, which is why it was chosen over moving the flags
 * into the header comment.
 */
const HELMFILE_HEADER = [
  '# CRDs applied before Flux starts. Rendered and filtered to CustomResourceDefinitions only:',
  '#   helmfile --file bootstrap/helmfile.d/00-crds.yaml template \\',
  "#     | yq ea 'select(.kind == \"CustomResourceDefinition\")' \\",
  '#     | kubectl apply --server-side -f -',
  '# The CloudNativePG CRDs ship inside the main cloudnative-pg chart (there is no separate CRDs chart).',
  '---',
  'helmDefaults:',
  '  args: ["--include-crds", "--no-hooks"]',
];

function releaseLines(dashCol: number, keyCol: number, version: string): string[] {
  const gap = Math.max(1, keyCol - dashCol - 1);
  const k = ' '.repeat(dashCol + 1 + gap);
  return [
    `${' '.repeat(dashCol)}-${' '.repeat(gap)}name: cloudnative-pg`,
    `${k}namespace: cnpg-system`,
    `${k}chart: ${CNPG_CHART_URL}`,
    `${k}${RENOVATE_COMMENT}`,
    `${k}version: ${plainOrQuoted(version)}`,
  ];
}

/** Whether a helmfile release is the CloudNativePG (CRDs) release. */
function isCnpgRelease(item: PMap): boolean {
  if (stringValue(getPair(item, 'name')?.value) === 'cloudnative-pg-crds') return true;
  const chart = stringValue(getPair(item, 'chart')?.value);
  if (chart === undefined) return false;
  const c = chart.trim().replace(/\/+$/, '');
  return c === CNPG_CHART_URL || c.endsWith('/cloudnative-pg') || c.endsWith('/cloudnative-pg-crds');
}

interface ReleasesBlock {
  pair: PPair;
  /** The sequence, unless `releases` is empty (`releases:`, `~`, `[]`). */
  seq?: PSeq;
}

interface Helmfile {
  src: Source;
  hasContent: boolean;
  blocks: ReleasesBlock[];
  matches: PMap[];
}

function loadHelmfile(src: Source): Helmfile {
  const docs = parseDocs(src).filter((d) => !isEmptyDoc(d));
  const blocks: ReleasesBlock[] = [];
  const matches: PMap[] = [];
  docs.forEach((doc) => {
    const root = doc.contents as ParsedNode;
    if (!isMap(root)) throw src.err('is not a helmfile: a YAML document is not a mapping', root.range[0]);
    const pair = getPair(root, 'releases');
    if (!pair) return;
    const v = pair.value;
    if (isEmptyValue(v)) {
      blocks.push({ pair });
      return;
    }
    if (!isSeq(v)) throw src.err('releases is not a sequence', v!.range[0]);
    blocks.push({ pair, seq: v });
    for (const item of v.items as ParsedNode[]) {
      if (isMap(item) && isCnpgRelease(item)) matches.push(item);
    }
  });
  if (matches.length > 1) {
    const lines = matches.map((m) => src.line(m.range[0]));
    throw src.err(
      `ambiguous: ${matches.length} releases look like the CloudNativePG release (lines ${lines.join(', ')}); keep only one`,
      matches[0].range[0],
    );
  }
  return { src, hasContent: docs.length > 0, blocks, matches };
}

/** The version of the CloudNativePG release, or undefined (no such release, no version, or no content). */
export function readCrdsHelmfileVersion(text: string, file: string): string | undefined {
  const src = new Source(text, file);
  const { matches } = loadHelmfile(src);
  if (matches.length === 0) return undefined;
  const v = getPair(matches[0], 'version')?.value;
  if (!isScalar(v) || v.value === null) return undefined;
  return scalarText(src, v);
}

/**
 * Point the CloudNativePG release of the CRDs helmfile at {@link CNPG_CHART_URL}
 * with `version`, keeping RENOVATE_COMMENT directly above its `version:`.
 *
 * A `renovate:` comment that is already directly above `version:` but differs
 * from RENOVATE_COMMENT (e.g. one tracking the old `-crds` chart) is replaced,
 * since the chart it tracked is being replaced too.
 */
export function patchCrdsHelmfile(text: string | undefined, file: string, version: string): string {
  assertValue(version, 'chart version');
  if (text === undefined) {
    const out = [...HELMFILE_HEADER, '---', 'releases:', ...releaseLines(2, 4, version), ''].join('\n');
    verifyHelmfile(out, file, version);
    return out;
  }

  const src = new Source(text, file);
  const hf = loadHelmfile(src);
  if (!hf.hasContent) throw src.err('is empty; expected a helmfile with a releases list');
  const edits: Edit[] = [];

  if (hf.matches.length === 1) {
    editRelease(src, hf.matches[0], version, edits);
  } else if (hf.blocks.length > 0) {
    const block = hf.blocks[hf.blocks.length - 1];
    if (block.seq) {
      const seq = block.seq;
      if (seq.flow) throw src.err('releases is a flow sequence ([...]); write it as a block list to let it be edited', seq.range[0]);
      const dashCol = src.column(seq.range[0]);
      const first = seq.items[0] as ParsedNode;
      const keyCol = isMap(first) && !first.flow ? src.column(first.items[0].key!.range[0]) : dashCol + 2;
      const at = src.afterLineOf(contentEnd(seq));
      edits.push({ at, end: at, text: src.linesAt(at, releaseLines(dashCol, keyCol, version)) });
    } else {
      const dashCol = src.column(block.pair.key.range[0]) + 2;
      edits.push(...clearEmptyValue(src, block.pair));
      const at = src.afterLineOf(block.pair.value ? contentEnd(block.pair.value) : block.pair.key.range[1]);
      edits.push({ at, end: at, text: src.linesAt(at, releaseLines(dashCol, dashCol + 2, version)) });
    }
  } else {
    const at = src.body.length;
    edits.push({ at, end: at, text: src.linesAt(at, ['---', 'releases:', ...releaseLines(2, 4, version)]) });
  }

  if (edits.length === 0) return text;
  const out = src.bom + applyEdits(src.body, edits);
  verifyHelmfile(out, file, version);
  return out;
}

function editRelease(src: Source, item: PMap, version: string, edits: Edit[]): void {
  if (item.flow) throw src.err('the CloudNativePG release is a flow mapping ({...}); write it as a block mapping', item.range[0]);
  const keyIndent = ' '.repeat(src.column(item.items[0].key!.range[0]));
  const chartPair = getPair(item, 'chart');
  const versionPair = getPair(item, 'version');
  const chartLine = `${keyIndent}chart: ${CNPG_CHART_URL}`;
  /** Insert whole lines right after the line of `anchor`'s value. */
  const insertAfter = (anchor: PPair, lines: string[]): void => {
    const at = src.afterLineOf(anchor.value ? contentEnd(anchor.value) : anchor.key.range[1]);
    edits.push({ at, end: at, text: src.linesAt(at, lines) });
  };
  // Matched by name only (no chart key): the chart goes right after the name line.
  const nameAnchor = getPair(item, 'name') ?? (item.items[0] as PPair);

  if (chartPair) {
    if (isBlankNull(chartPair.value)) {
      const colon = colonAfterKey(src, chartPair);
      edits.push({ at: colon, end: colon, text: ` ${CNPG_CHART_URL}` });
    } else {
      const v = chartPair.value as ParsedNode;
      assertEditableScalar(src, v, 'chart');
      if (v.value !== CNPG_CHART_URL) edits.push({ at: v.range[0], end: v.range[1], text: inStyleOf(v, CNPG_CHART_URL) });
    }
  }

  if (!versionPair) {
    // version (with its renovate comment) right after the chart line
    const lines = [keyIndent + RENOVATE_COMMENT, `${keyIndent}version: ${plainOrQuoted(version)}`];
    if (chartPair) insertAfter(chartPair, lines);
    else insertAfter(nameAnchor, [chartLine, ...lines]);
    return;
  }

  // Pushed before the renovate insertion: both may land at the start of the
  // version line, and the comment must stay directly above `version:`.
  if (!chartPair) insertAfter(nameAnchor, [chartLine]);

  if (isBlankNull(versionPair.value)) {
    const colon = colonAfterKey(src, versionPair);
    edits.push({ at: colon, end: colon, text: ` ${plainOrQuoted(version)}` });
  } else {
    const v = versionPair.value as ParsedNode;
    assertEditableScalar(src, v, 'version');
    if (scalarText(src, v) !== version) edits.push({ at: v.range[0], end: v.range[1], text: inStyleOf(v, version) });
  }
  const above = lineAbove(src, versionPair.key.range[0]);
  if (above && above.text.trim() === RENOVATE_COMMENT) {
    // already in place
  } else if (above && isRenovateComment(above.text)) {
    const lead = above.text.length - above.text.trimStart().length;
    edits.push({ at: above.start + lead, end: above.start + above.text.trimEnd().length, text: RENOVATE_COMMENT });
  } else {
    const ls = src.lineStart(versionPair.key.range[0]);
    edits.push({ at: ls, end: ls, text: src.indentOf(ls) + RENOVATE_COMMENT + src.eol });
  }
}

function verifyHelmfile(out: string, file: string, version: string): void {
  let hf: Helmfile;
  try {
    hf = loadHelmfile(new Source(out, file));
  } catch (e) {
    throw new Error(`internal error: patched ${file} does not validate: ${(e as Error).message}`);
  }
  const fail = (what: string): never => {
    throw new Error(`internal error: patched ${file}: ${what}`);
  };
  if (hf.matches.length !== 1) fail('no CloudNativePG release');
  const item = hf.matches[0];
  if (stringValue(getPair(item, 'chart')?.value) !== CNPG_CHART_URL) fail('chart not set');
  const vp = getPair(item, 'version');
  const v = vp?.value;
  if (!vp || !isScalar(v) || scalarText(hf.src, v) !== version) fail('version not set');
  if (lineAbove(hf.src, vp!.key.range[0])?.text.trim() !== RENOVATE_COMMENT) fail('renovate comment not above version');
}

// ---------------------------------------------------------------------------
// kustomization.yaml (kustomize)
// ---------------------------------------------------------------------------

const normalizeResource = (s: string): string => s.trim().replace(/^(\.\/)+/, '');

interface KustomizationFile {
  src: Source;
  root: PMap;
  resourcesPair?: PPair;
  /** Entries of `resources`, normalised. */
  entries: string[];
}

function loadKustomization(src: Source): KustomizationFile {
  const want = 'expected a kustomize Kustomization (apiVersion: kustomize.config.k8s.io/v1beta1, kind: Kustomization)';
  const docs = parseDocs(src).filter((d) => !isEmptyDoc(d));
  if (docs.length === 0) throw src.err(`is empty; ${want}`);
  if (docs.length > 1) throw src.err(`holds ${docs.length} YAML documents; ${want}`, (docs[1].contents as ParsedNode).range[0]);
  const root = docs[0].contents as ParsedNode;
  if (!isMap(root) || root.flow) throw src.err(`is not a YAML block mapping; ${want}`, root.range[0]);
  // kustomize treats a missing apiVersion/kind as a Kustomization, so both are optional here.
  const kindPair = getPair(root, 'kind');
  const kind = kindPair && stringValue(kindPair.value);
  if (kindPair && kind !== 'Kustomization') throw src.err(`is a ${kind ?? '(non-string kind)'}; ${want}`, kindPair.key.range[0]);
  const apiPair = getPair(root, 'apiVersion');
  const api = apiPair && stringValue(apiPair.value);
  if (apiPair && !(api ?? '').startsWith('kustomize.config.k8s.io/')) {
    const flux = (api ?? '').startsWith('kustomize.toolkit.fluxcd.io/') ? ' (that is a Flux Kustomization)' : '';
    throw src.err(`has apiVersion ${api ?? '(non-string)'}${flux}; ${want}`, apiPair.key.range[0]);
  }
  const resourcesPair = getPair(root, 'resources');
  const entries: string[] = [];
  const v = resourcesPair?.value;
  if (resourcesPair && !isEmptyValue(v ?? null)) {
    if (!isSeq(v)) throw src.err('resources is not a sequence', v!.range[0]);
    for (const item of v.items as ParsedNode[]) {
      if (isScalar(item) && item.value !== null) entries.push(normalizeResource(String(item.value)));
    }
  }
  return { src, root, resourcesPair, entries };
}

/**
 * Add `entry` to `resources:` of a kustomize Kustomization unless it is already
 * listed (entries compared without a leading `./`); an already listed entry
 * returns the text unchanged. kustomize treats a file without apiVersion/kind as
 * a Kustomization, so those are accepted; any other kind, or a Flux
 * `kustomize.toolkit.fluxcd.io` Kustomization, is refused.
 */
export function addKustomizationResource(text: string | undefined, file: string, entry: string): string {
  assertValue(entry, 'kustomization resource');
  if (text === undefined) {
    const out = [
      '---',
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      `  - ${plainOrQuoted(entry)}`,
      '',
    ].join('\n');
    verifyKustomization(out, file, entry);
    return out;
  }

  const src = new Source(text, file);
  const k = loadKustomization(src);
  const wanted = normalizeResource(entry);
  if (k.entries.includes(wanted)) return text;

  const edits: Edit[] = [];
  const rootCol = src.column(k.root.items[0].key!.range[0]);
  const pair = k.resourcesPair;
  const seq = pair?.value;
  // Follow the file's own style: when every listed resource is written `./x`, so is ours.
  const listed = isSeq(seq) ? seq.items.map((i) => (isScalar(i) ? String(i.value) : '')) : [];
  if (listed.length > 0 && listed.every((v) => v.startsWith('./')) && !entry.startsWith('./')) entry = `./${entry}`;
  if (!pair) {
    const at = src.afterLineOf(contentEnd(k.root));
    const lines = [`${' '.repeat(rootCol)}resources:`, `${' '.repeat(rootCol + 2)}- ${plainOrQuoted(entry)}`];
    edits.push({ at, end: at, text: src.linesAt(at, lines) });
  } else if (isSeq(seq) && seq.items.length > 0) {
    if (seq.flow) {
      // `[a, b]` -> `[a, b, entry]`. Inserted right after the last item rather
      // than before `]`, which is the same for the usual layout and stays valid
      // with a trailing comma (`[a, b,]`) or a comment before `]`.
      const last = seq.items[seq.items.length - 1] as ParsedNode;
      edits.push({ at: last.range[1], end: last.range[1], text: `, ${plainOrQuoted(entry)}` });
    } else {
      const dashCol = src.column(seq.range[0]);
      const first = seq.items[0] as ParsedNode;
      const gap = Math.max(1, src.column(first.range[0]) - dashCol - 1);
      const at = src.afterLineOf(contentEnd(seq));
      edits.push({ at, end: at, text: src.linesAt(at, [`${' '.repeat(dashCol)}-${' '.repeat(gap)}${plainOrQuoted(entry)}`]) });
    }
  } else if (isSeq(seq) && seq.flow) {
    // `resources: []`
    edits.push({ at: seq.range[0] + 1, end: seq.range[0] + 1, text: plainOrQuoted(entry) });
  } else {
    // `resources:` / `resources: ~`
    edits.push(...clearEmptyValue(src, pair));
    const at = src.afterLineOf(pair.value ? contentEnd(pair.value) : pair.key.range[1]);
    const line = `${' '.repeat(src.column(pair.key.range[0]) + 2)}- ${plainOrQuoted(entry)}`;
    edits.push({ at, end: at, text: src.linesAt(at, [line]) });
  }

  const out = src.bom + applyEdits(src.body, edits);
  verifyKustomization(out, file, entry);
  return out;
}

function verifyKustomization(out: string, file: string, entry: string): void {
  let k: KustomizationFile;
  try {
    k = loadKustomization(new Source(out, file));
  } catch (e) {
    throw new Error(`internal error: patched ${file} does not validate: ${(e as Error).message}`);
  }
  const n = k.entries.filter((e) => e === normalizeResource(entry)).length;
  if (n !== 1) throw new Error(`internal error: patched ${file} lists ${entry} ${n} times`);
}
