/**
 * `kubernetes/clusters/<cluster>/cluster-settings.yaml`: read the ConfigMap's data, and set the generator's
 * variables in place (see text-edit.ts for the byte-preserving rule).
 */
import { isMap, isScalar, isSeq, type ParsedNode } from 'yaml';
import { INFRASTRUCTURE } from '../layout.js';
import { RENOVATE_COMMENT } from '../versions.js';
import { yamlScalar } from '../yaml-scalar.js';
import {
  type Edit,
  type PMap,
  type PPair,
  Source,
  applyEdits,
  assertEditableScalar,
  assertValue,
  clearEmptyValue,
  contentEnd,
  fillBlankValue,
  getPair,
  isBlankNull,
  isEmptyDoc,
  isEmptyValue,
  isRenovateComment,
  lineAbove,
  parseDocs,
  scalarText,
  stringValue,
} from '../text-edit.js';

const SECTION_COMMENT = '# CloudNativePG Operator';
/** The variable that gets the renovate comment above it. */
const VERSION_KEY = INFRASTRUCTURE.clusterVars.chartVersion;

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
      throw src.err(`data.${String(key.value)} must be a string, found ${isMap(v) ? 'a mapping' : isSeq(v) ? 'a sequence' : 'an alias'}`, v.range[0]);
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
    lines.push(`${indent}${k}: ${yamlScalar(values[k], 'double')}`);
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
  const ctx = loadClusterSettings(src);
  const data = ctx.data;
  const edits: Edit[] = [];
  const present = new Map<string, PPair>();
  for (const pair of (data?.items ?? []) as PPair[]) {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, keys.includes holds only for a string key
    if (isScalar(pair.key) && typeof pair.key.value === 'string' && keys.includes(pair.key.value)) {
      present.set(pair.key.value, pair);
    }
  }

  for (const [key, pair] of present) {
    const quoted = yamlScalar(values[key], 'double');
    if (isBlankNull(pair.value)) {
      edits.push(fillBlankValue(src, pair, quoted));
    } else {
      const v = pair.value as ParsedNode;
      assertEditableScalar(src, v, `data.${key}`);
      // Stryker disable next-line ConditionalExpression,MethodExpression: equivalent, replacing a value by its own text changes no byte
      if (src.body.slice(v.range[0], v.range[1]) !== quoted) edits.push({ at: v.range[0], end: v.range[1], text: quoted });
    }
    // Stryker disable next-line OptionalChaining: equivalent, a data key is never on line 1 (data: is above it)
    if (key === VERSION_KEY && !isRenovateComment(lineAbove(src, pair.key.range[0])?.text)) {
      const ls = src.lineStart(pair.key.range[0]);
      edits.push({ at: ls, end: ls, text: src.indentOf(ls) + RENOVATE_COMMENT + src.eol });
    }
  }

  // The other entries are refused as readClusterSettings refuses them (a FileError with the line), not by the check
  // of the output (an internal error); ours were refused above with the patch's own words.
  settingsData(ctx);
  const missing = keys.filter((k) => !present.has(k));
  if (missing.length > 0) edits.push(...insertMissing(ctx, present, missing, values));

  // Stryker disable next-line ConditionalExpression: equivalent, no edits applied give the same text back
  if (edits.length === 0) return text;
  const out = src.bom + applyEdits(src.body, edits);
  verifyClusterSettings(out, file, values);
  return out;
}

/**
 * Edits that insert the `missing` keys: after the last CNPG_ key already present, else as a new section at the
 * end of `data`, else in a new (or emptied) `data:` block.
 */
function insertMissing({ src, root, dataPair, data }: ClusterSettings, present: Map<string, PPair>, missing: string[], values: Record<string, string>): Edit[] {
  const edits: Edit[] = [];
  if (data) {
    // the indentation of the line of the first entry (not the key column: `? KEY`)
    const indent = src.indentOf(data.items[0].key!.range[0]);
    const cnpgPairs = [...present].filter(([k]) => k.startsWith('CNPG_')).map(([, p]) => p);
    if (cnpgPairs.length > 0) {
      // Keys of an existing CNPG section: continue it right after its last key.
      // Stryker disable next-line EqualityOperator,ConditionalExpression: equivalent, `present` is filled in file order
      const last = cnpgPairs.reduce((a, b) => (b.key.range[0] > a.key.range[0] ? b : a));
      const at = src.afterLineOf(contentEnd(last.value ?? last.key));
      edits.push({ at, end: at, text: src.linesAt(at, settingLines(indent, missing, values)) });
    } else {
      const at = src.afterLineOf(contentEnd(data));
      const lines = ['', indent + SECTION_COMMENT, ...settingLines(indent, missing, values)];
      edits.push({ at, end: at, text: src.linesAt(at, lines) });
    }
    return edits;
  }
  const rootCol = src.column(root.items[0].key!.range[0]);
  const indent = ' '.repeat(rootCol + childIndentStep(src, root));
  const section = [indent + SECTION_COMMENT, ...settingLines(indent, missing, values)];
  if (dataPair) {
    edits.push(...clearEmptyValue(src, dataPair));
    const at = src.afterLineOf(dataPair.value ? contentEnd(dataPair.value) : dataPair.key.range[1]);
    edits.push({ at, end: at, text: src.linesAt(at, section) });
  } else {
    const at = src.afterLineOf(contentEnd(root));
    edits.push({ at, end: at, text: src.linesAt(at, [' '.repeat(rootCol) + 'data:', ...section]) });
  }
  return edits;
}

/** Indentation step used by the root map's first nested block mapping (2 if none). */
function childIndentStep(src: Source, root: PMap): number {
  const rootCol = src.column(root.items[0].key!.range[0]);
  for (const p of root.items) {
    const v = p.value;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, a block mapping always has an item
    if (isMap(v) && !v.flow && v.items.length > 0) {
      const step = src.column(v.items[0].key!.range[0]) - rootCol;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, a nested block mapping is always indented deeper
      if (step > 0) return step;
    }
  }
  return 2;
}

// Stryker disable all: the post-patch self-check, which only a bug in this file can trip (it guards the writer)
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
// Stryker restore all
