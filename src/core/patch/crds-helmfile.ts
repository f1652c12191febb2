/**
 * `bootstrap/helmfile.d/00-crds.yaml`, the helmfile that seeds the CRDs: read the CloudNativePG release's
 * version, and point that release at the main chart and a version in place (see text-edit.ts).
 */
import { isMap, isScalar, isSeq, type ParsedNode } from 'yaml';
import { CNPG_CHART_URL, RENOVATE_COMMENT } from '../versions.js';
import { yamlScalar } from '../yaml-scalar.js';
import {
  type Edit,
  type PMap,
  type PPair,
  type PSeq,
  Source,
  applyEdits,
  assertEditableScalar,
  assertValue,
  clearEmptyValue,
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
} from '../text-edit.js';

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
const headerFor = (file: string): string[] => [
  '# CRDs applied before Flux starts. Rendered and filtered to CustomResourceDefinitions only:',
  `#   helmfile --file ${file} template --quiet \\`,
  "#     | yq eval-all 'select(.kind == \"CustomResourceDefinition\")' - \\",
  '#     | kubectl apply --server-side --force-conflicts -f -',
  '# --force-conflicts: once Flux (helm-controller) manages these CRDs, a rerun of this bootstrap takes them back',
  '# instead of stopping at server-side-apply field conflicts.',
  '# The CloudNativePG CRDs ship inside the main cloudnative-pg chart (there is no separate CRDs chart).',
  '---',
  'helmDefaults:',
  '  args: ["--include-crds", "--no-hooks"]',
];

function releaseLines(dashCol: number, keyCol: number, version: string, namespace: string): string[] {
  const gap = Math.max(1, keyCol - dashCol - 1);
  const k = ' '.repeat(dashCol + 1 + gap);
  return [
    `${' '.repeat(dashCol)}-${' '.repeat(gap)}name: cloudnative-pg`,
    `${k}namespace: ${yamlScalar(namespace, 'plain-or-double')}`,
    `${k}chart: ${CNPG_CHART_URL}`,
    `${k}${RENOVATE_COMMENT}`,
    `${k}version: ${yamlScalar(version, 'plain-or-double')}`,
  ];
}

/** Whether a helmfile release is the CloudNativePG (CRDs) release. */
function isCnpgRelease(item: PMap): boolean {
  if (stringValue(getPair(item, 'name')?.value) === 'cloudnative-pg-crds') return true;
  const chart = stringValue(getPair(item, 'chart')?.value);
  if (chart === undefined) return false;
  const c = chart.trim().replace(/\/+$/, '');
  // Stryker disable next-line ConditionalExpression: equivalent, CNPG_CHART_URL ends with /cloudnative-pg
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

/** The namespace of the CloudNativePG release, as written, or undefined (no such release or no namespace). */
export function readCrdsHelmfileNamespace(text: string, file: string): string | undefined {
  const src = new Source(text, file);
  const { matches } = loadHelmfile(src);
  if (matches.length === 0) return undefined;
  return stringValue(getPair(matches[0], 'namespace')?.value);
}

/**
 * Point the CloudNativePG release of the CRDs helmfile at {@link CNPG_CHART_URL}
 * with `version`, keeping RENOVATE_COMMENT directly above its `version:`.
 *
 * A `renovate:` comment that is already directly above `version:` but differs
 * from RENOVATE_COMMENT (e.g. one tracking the old `-crds` chart) is replaced,
 * since the chart it tracked is being replaced too.
 */
export function patchCrdsHelmfile(text: string | undefined, file: string, version: string, namespace = 'cnpg-system'): string {
  assertValue(version, 'chart version');
  assertValue(namespace, 'namespace');
  if (text === undefined) {
    const out = [...headerFor(file), '---', 'releases:', ...releaseLines(2, 4, version, namespace), ''].join('\n');
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
      // Stryker disable next-line ArithmeticOperator: equivalent, releaseLines takes at least one space after the dash
      const keyCol = isMap(first) && !first.flow ? src.column(first.items[0].key!.range[0]) : dashCol + 2;
      const at = src.afterLineOf(contentEnd(seq));
      edits.push({ at, end: at, text: src.linesAt(at, releaseLines(dashCol, keyCol, version, namespace)) });
    } else {
      const dashCol = src.column(block.pair.key.range[0]) + 2;
      edits.push(...clearEmptyValue(src, block.pair));
      const at = src.afterLineOf(block.pair.value ? contentEnd(block.pair.value) : block.pair.key.range[1]);
      // Stryker disable next-line ArithmeticOperator: equivalent, releaseLines takes at least one space after the dash
      edits.push({ at, end: at, text: src.linesAt(at, releaseLines(dashCol, dashCol + 2, version, namespace)) });
    }
  } else {
    const at = src.body.length;
    edits.push({ at, end: at, text: src.linesAt(at, ['---', 'releases:', ...releaseLines(2, 4, version, namespace)]) });
  }

  // Stryker disable next-line ConditionalExpression: equivalent, no edits applied give the same text back
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
      edits.push(fillBlankValue(src, chartPair, CNPG_CHART_URL));
    } else {
      const v = chartPair.value as ParsedNode;
      assertEditableScalar(src, v, 'chart');
      if (v.value !== CNPG_CHART_URL) edits.push({ at: v.range[0], end: v.range[1], text: inStyleOf(v, CNPG_CHART_URL) });
    }
  }

  if (!versionPair) {
    // version (with its renovate comment) right after the chart line
    const lines = [keyIndent + RENOVATE_COMMENT, `${keyIndent}version: ${yamlScalar(version, 'plain-or-double')}`];
    if (chartPair) insertAfter(chartPair, lines);
    else insertAfter(nameAnchor, [chartLine, ...lines]);
    return;
  }

  // Pushed before the renovate insertion: both may land at the start of the
  // version line, and the comment must stay directly above `version:`.
  if (!chartPair) insertAfter(nameAnchor, [chartLine]);

  if (isBlankNull(versionPair.value)) {
    edits.push(fillBlankValue(src, versionPair, yamlScalar(version, 'plain-or-double')));
  } else {
    const v = versionPair.value as ParsedNode;
    assertEditableScalar(src, v, 'version');
    if (scalarText(src, v) !== version) edits.push({ at: v.range[0], end: v.range[1], text: inStyleOf(v, version) });
  }
  const above = lineAbove(src, versionPair.key.range[0]);
  // Stryker disable next-line ConditionalExpression,MethodExpression: equivalent, the branch below would put the same comment over itself
  if (above && above.text.trim() === RENOVATE_COMMENT) return;
  if (above && isRenovateComment(above.text)) {
    const lead = above.text.length - above.text.trimStart().length;
    edits.push({ at: above.start + lead, end: above.start + above.text.trimEnd().length, text: RENOVATE_COMMENT });
  } else {
    const ls = src.lineStart(versionPair.key.range[0]);
    edits.push({ at: ls, end: ls, text: src.indentOf(ls) + RENOVATE_COMMENT + src.eol });
  }
}

// Stryker disable all: the post-patch self-check, which only a bug in this file can trip (it guards the writer)
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
// Stryker restore all
