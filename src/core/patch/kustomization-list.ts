/**
 * A kustomize `kustomization.yaml` (the layout's parent kustomization): add one entry to `resources:` in place
 * (see text-edit.ts).
 */
import { isMap, isScalar, isSeq, type ParsedNode } from 'yaml';
import { yamlScalar } from '../yaml-scalar.js';
import {
  type Edit,
  type PMap,
  type PPair,
  Source,
  applyEdits,
  assertValue,
  clearEmptyValue,
  contentEnd,
  getPair,
  isEmptyDoc,
  isEmptyValue,
  parseDocs,
  stringValue,
} from '../text-edit.js';

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
  // Stryker disable next-line StringLiteral: equivalent, for a non-string apiVersion any text that is not a kustomize prefix reads the same
  if (apiPair && !(api ?? '').startsWith('kustomize.config.k8s.io/')) {
    // Stryker disable next-line StringLiteral: equivalent, as above
    const flux = (api ?? '').startsWith('kustomize.toolkit.fluxcd.io/') ? ' (that is a Flux Kustomization)' : '';
    throw src.err(`has apiVersion ${api ?? '(non-string)'}${flux}; ${want}`, apiPair.key.range[0]);
  }
  const resourcesPair = getPair(root, 'resources');
  // Stryker disable next-line ArrayDeclaration: equivalent, a made-up first entry only matters for a resource of that name
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
      `  - ${yamlScalar(entry, 'plain-or-double')}`,
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
  // Stryker disable next-line StringLiteral,ArrayDeclaration: equivalent, a non-scalar item or no list has no ./ either way
  const listed = isSeq(seq) ? seq.items.map((i) => (isScalar(i) ? String(i.value) : '')) : [];
  if (listed.length > 0 && listed.every((v) => v.startsWith('./')) && !entry.startsWith('./')) entry = `./${entry}`;
  if (!pair) {
    const at = src.afterLineOf(contentEnd(k.root));
    const lines = [`${' '.repeat(rootCol)}resources:`, `${' '.repeat(rootCol + 2)}- ${yamlScalar(entry, 'plain-or-double')}`];
    edits.push({ at, end: at, text: src.linesAt(at, lines) });
  } else if (isSeq(seq) && seq.items.length > 0) {
    if (seq.flow) {
      // `[a, b]` -> `[a, b, entry]`. Inserted right after the last item rather
      // than before `]`, which is the same for the usual layout and stays valid
      // with a trailing comma (`[a, b,]`) or a comment before `]`.
      const last = seq.items[seq.items.length - 1] as ParsedNode;
      edits.push({ at: last.range[1], end: last.range[1], text: `, ${yamlScalar(entry, 'plain-or-double')}` });
    } else {
      const dashCol = src.column(seq.range[0]);
      const first = seq.items[0] as ParsedNode;
      const gap = Math.max(1, src.column(first.range[0]) - dashCol - 1);
      const at = src.afterLineOf(contentEnd(seq));
      edits.push({ at, end: at, text: src.linesAt(at, [`${' '.repeat(dashCol)}-${' '.repeat(gap)}${yamlScalar(entry, 'plain-or-double')}`]) });
    }
  } else if (
    // Stryker disable next-line LogicalOperator: equivalent, an empty or null value is a scalar whose flow is undefined
    isSeq(seq) && seq.flow
  ) {
    // `resources: []`
    edits.push({ at: seq.range[0] + 1, end: seq.range[0] + 1, text: yamlScalar(entry, 'plain-or-double') });
  } else {
    // `resources:` / `resources: ~`
    edits.push(...clearEmptyValue(src, pair));
    const at = src.afterLineOf(pair.value ? contentEnd(pair.value) : pair.key.range[1]);
    const line = `${' '.repeat(src.column(pair.key.range[0]) + 2)}- ${yamlScalar(entry, 'plain-or-double')}`;
    edits.push({ at, end: at, text: src.linesAt(at, [line]) });
  }

  const out = src.bom + applyEdits(src.body, edits);
  verifyKustomization(out, file, entry);
  return out;
}

// Stryker disable all: the post-patch self-check, which only a bug in this file can trip (it guards the writer)
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
// Stryker restore all

/**
 * Remove `entry` from a block `resources:` list (compared without a leading `./`), the whole line; the text is
 * returned unchanged when it is not listed (or the list is a flow sequence, left to the user).
 */
export function removeKustomizationResource(text: string | undefined, file: string, entry: string): string | undefined {
  if (text === undefined) return text;
  const src = new Source(text, file);
  const k = loadKustomization(src);
  const wanted = normalizeResource(entry);
  const seq = k.resourcesPair?.value;
  if (!isSeq(seq) || seq.flow) return text;
  const edits: Edit[] = [];
  for (const item of seq.items as ParsedNode[]) {
    if (isScalar(item) && item.value !== null && normalizeResource(String(item.value)) === wanted) {
      const start = src.lineStart(item.range[0]);
      edits.push({ at: start, end: src.afterLineOf(contentEnd(item)), text: '' });
    }
  }
  // Stryker disable next-line ConditionalExpression: equivalent, no edits applied give the same text back
  if (edits.length === 0) return text;
  // The last entry gone: `resources: []`, not an empty (null) value.
  if (edits.length === seq.items.length) {
    const colon = src.body.indexOf(':', k.resourcesPair!.key.range[1]);
    edits.push({ at: colon + 1, end: colon + 1, text: ' []' });
  }
  return src.bom + applyEdits(src.body, edits);
}
