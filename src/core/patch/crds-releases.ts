/**
 * The apps layout's `crds.yaml` helmfile (bootstrap/helmfile/crds.yaml, or kubernetes/bootstrap/helmfile/crds.yaml):
 * its releases carry only `name` and `namespace`; chart and version come from the app's ocirepository.yaml through
 * the file's `default` template. Add (or re-namespace) the `cloudnative-pg` release in place (see text-edit.ts),
 * following the file's style: `inherit:` copied from its sibling releases when they carry one, nothing more when
 * the file sets `defaultInherit` once. Never a second release.
 */
import { isMap, isSeq, type ParsedNode } from 'yaml';
import { yamlScalar } from '../yaml-scalar.js';
import { type Edit, type PMap, Source, applyEdits, assertValue, contentEnd, getPair, isEmptyDoc, isEmptyValue, parseDocs, stringValue } from '../text-edit.js';

const NAME = 'cloudnative-pg';

interface Found {
  src: Source;
  releases?: { pair: NonNullable<ReturnType<typeof getPair>>; items: PMap[] };
  ours: PMap[];
}

function load(src: Source): Found {
  const found: Found = { src, ours: [] };
  for (const doc of parseDocs(src).filter((d) => !isEmptyDoc(d))) {
    const root = doc.contents as ParsedNode;
    if (!isMap(root)) throw src.err('is not a helmfile: a YAML document is not a mapping', root.range[0]);
    const pair = getPair(root, 'releases');
    if (!pair) continue;
    if (found.releases) throw src.err('has two releases lists; keep one', pair.key.range[0]);
    const v = pair.value;
    if (isEmptyValue(v)) {
      found.releases = { pair, items: [] };
      continue;
    }
    if (!isSeq(v) || v.flow) throw src.err('releases is not a block sequence', v!.range[0]);
    const items = v.items as ParsedNode[];
    for (const item of items) if (!isMap(item)) throw src.err('a release is not a mapping', item.range[0]);
    found.releases = { pair, items: items as PMap[] };
    found.ours = (items as PMap[]).filter((m) => stringValue(getPair(m, 'name')?.value) === NAME);
  }
  if (found.ours.length > 1) throw found.src.err(`holds ${found.ours.length} releases named ${NAME}; keep one`, found.ours[1].range[0]);
  return found;
}

/** The namespace of the cloudnative-pg release, when there is one. */
export function readCrdsRelease(text: string, file: string): { namespace?: string } | undefined {
  const f = load(new Source(text, file));
  return f.ours.length === 0 ? undefined : { namespace: stringValue(getPair(f.ours[0], 'namespace')?.value) };
}

/**
 * Add `- name: cloudnative-pg` + `namespace: <namespace>` (and the siblings' `inherit:` block, as written) to the
 * releases list; an existing cloudnative-pg release only gets its namespace set. Returns the text unchanged when
 * nothing is to do. Throws a FileError for a file that is not a helmfile with one releases list.
 */
export function addCrdsRelease(text: string, file: string, namespace: string): string {
  assertValue(namespace, 'namespace');
  const src = new Source(text, file);
  const f = load(src);
  const edits: Edit[] = [];
  if (f.ours.length === 1) {
    const ns = getPair(f.ours[0], 'namespace');
    if (stringValue(ns?.value) === namespace) return text;
    if (ns?.value) edits.push({ at: ns.value.range[0], end: ns.value.range[1], text: yamlScalar(namespace, 'plain-or-double') });
    else {
      const name = getPair(f.ours[0], 'name')!;
      const at = src.afterLineOf(contentEnd(name.value));
      edits.push({ at, end: at, text: src.linesAt(at, [`${' '.repeat(src.column(name.key.range[0]))}namespace: ${yamlScalar(namespace, 'plain-or-double')}`]) });
    }
  } else {
    if (!f.releases) throw src.err('has no releases list (expected a helmfile with `releases:`)');
    const items = f.releases.items;
    const last = items.at(-1);
    const keyCol = last ? src.column(last.items[0].key!.range[0]) : src.column(f.releases.pair.key.range[0]) + 4;
    const dashCol = last ? src.column((f.releases.pair.value as ParsedNode).range[0]) : keyCol - 2;
    const pad = ' '.repeat(keyCol);
    const lines = [`${' '.repeat(dashCol)}-${' '.repeat(keyCol - dashCol - 1)}name: ${NAME}`, `${pad}namespace: ${yamlScalar(namespace, 'plain-or-double')}`];
    // The siblings' inherit block, copied as written (older repos: `inherit: [{ template: default }]` per release).
    const inherit = last ? getPair(last, 'inherit') : undefined;
    if (inherit) {
      const start = src.lineStart(inherit.key.range[0]);
      const end = src.afterLineOf(contentEnd(inherit.value));
      lines.push(...src.body.slice(start, end).replace(/\r?\n$/, '').split(/\r?\n/));
    }
    if (last) {
      // A blank line between releases when the file separates them so.
      // Stryker disable next-line ArithmeticOperator: equivalent, a space always separates the dash from the release's first key
      const blank = items.length > 1 && /\n[ \t]*\r?\n[ \t]*-/.test(src.body.slice(items[items.length - 2].range[1] - 1, last.range[0] + 1));
      const at = src.afterLineOf(contentEnd(last));
      edits.push({ at, end: at, text: src.linesAt(at, blank ? ['', ...lines] : lines) });
    } else {
      const pair = f.releases.pair;
      const colon = src.body.indexOf(':', pair.key.range[1]);
      const lineEnd = src.nextLineStart(colon);
      // `releases:` / `releases: []` / `releases: ~`: replace the empty value with the block.
      // Stryker disable next-line ArithmeticOperator: unreachable, the parser gives an empty value a null scalar (pair.value is set)
      edits.push({ at: colon + 1, end: pair.value ? pair.value.range[1] : colon + 1, text: '' });
      edits.push({ at: lineEnd, end: lineEnd, text: src.linesAt(lineEnd, lines) });
    }
  }
  const out = src.bom + applyEdits(src.body, edits);
  // Stryker disable all: the post-patch self-check, which only a bug in this file can trip (it guards the writer)
  const check = load(new Source(out, file));
  if (check.ours.length !== 1 || stringValue(getPair(check.ours[0], 'namespace')?.value) !== namespace) {
    throw new Error(`internal error: patched ${file} does not hold one ${NAME} release in ${namespace}`);
  }
  // Stryker restore all
  return out;
}
