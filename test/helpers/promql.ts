/**
 * PromQL as Prometheus' own grammar reads it: @prometheus-io/lezer-promql (the parser of the Prometheus web UI).
 * Everything a test asserts about an `expr` (syntax errors, metric names, label matchers, grouping labels) comes
 * from the parse tree, never from a regular expression over the text.
 */
import { parser } from '@prometheus-io/lezer-promql';

type Tree = ReturnType<typeof parser.parse>;
type Node = Tree['topNode'];

export interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface PromqlSelector {
  metric: string;
  matchers: Matcher[];
}

export interface PromqlGrouping {
  /** `by` or `without`. */
  kind: 'by' | 'without';
  labels: string[];
  /** Metric names of the selectors inside the aggregation. */
  metrics: string[];
}

export interface PromqlAnalysis {
  /** One line per error node: position and the text around it. Empty when the expression parses. */
  errors: string[];
  selectors: PromqlSelector[];
  groupings: PromqlGrouping[];
  /** Function names called (rate, histogram_quantile, ...). */
  functions: string[];
}

/** A PromQL string literal's value (Go string-literal rules: "..." and '...' take escapes, `...` is raw). */
export function unquotePromqlString(lit: string): string {
  return unquoteLiteral(lit);
}

function unquoteLiteral(lit: string): string {
  const q = lit[0];
  if (lit.length < 2 || lit.at(-1) !== q || !'"\'`'.includes(q)) throw new Error(`not a PromQL string literal: ${lit}`);
  const body = lit.slice(1, -1);
  if (q === '`') return body;
  const simple: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' };
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/gs, (_, e: string) => {
    if (e.length === 1) {
      if (!(e in simple)) throw new Error(`unknown escape \\${e} in ${lit}`);
      return simple[e];
    }
    if (/^[0-7]{3}$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return String.fromCodePoint(parseInt(e.slice(1), 16));
  });
}

function children(node: Node): Node[] {
  const out: Node[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function descendants(node: Node, name: string): Node[] {
  const out: Node[] = [];
  const walk = (n: Node) => {
    for (const c of children(n)) {
      if (c.type.name === name) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}

function selectorOf(expr: string, node: Node): PromqlSelector {
  const text = (n: Node) => expr.slice(n.from, n.to);
  // In a tree with error nodes a "string" may be cut short; the error list reports that, so read it raw here.
  const unquotePromqlString = (lit: string) => {
    try {
      return unquoteLiteral(lit);
    } catch {
      return lit;
    }
  };
  let metric = '';
  const matchers: Matcher[] = [];
  for (const c of children(node)) {
    if (c.type.name === 'Identifier') metric = text(c);
    if (c.type.name !== 'LabelMatchers') continue;
    for (const m of children(c)) {
      if (m.type.name === 'QuotedLabelName') {
        metric = unquotePromqlString(text(m.getChild('StringLiteral')!));
        continue;
      }
      if (m.type.name !== 'UnquotedLabelMatcher' && m.type.name !== 'QuotedLabelMatcher') continue;
      const nameNode = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
      const op = m.getChild('MatchOp');
      const value = children(m).filter((x) => x.type.name === 'StringLiteral').at(-1);
      if (!nameNode || !op || !value) continue; // an error node reports it
      const label = nameNode.type.name === 'LabelName' ? text(nameNode) : unquotePromqlString(text(nameNode.getChild('StringLiteral')!));
      const matcher: Matcher = { label, op: text(op) as Matcher['op'], value: unquotePromqlString(text(value)) };
      if (label === '__name__' && matcher.op === '=') metric = matcher.value;
      else matchers.push(matcher);
    }
  }
  return { metric, matchers };
}

/** Parse `expr` and read what a test needs from the tree. */
export function analysePromql(expr: string): PromqlAnalysis {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) errors.push(`error at ${n.from}: ${JSON.stringify(expr.slice(Math.max(0, n.from - 15), n.from))} ^ ${JSON.stringify(expr.slice(n.from, n.from + 15))}`);
    },
  });
  const top = tree.topNode;
  const selectors = descendants(top, 'VectorSelector').map((n) => selectorOf(expr, n));
  const groupings: PromqlGrouping[] = descendants(top, 'AggregateExpr').flatMap((agg) => {
    const mod = agg.getChild('AggregateModifier');
    if (!mod) return [];
    const kind = mod.getChild('By') ? 'by' : 'without';
    const labels = descendants(mod, 'LabelName').map((l) => expr.slice(l.from, l.to));
    const body = agg.getChild('FunctionCallBody');
    const metrics = body ? descendants(body, 'VectorSelector').map((n) => selectorOf(expr, n).metric) : [];
    return [{ kind, labels, metrics: [...new Set(metrics)] } as PromqlGrouping];
  });
  const functions = descendants(top, 'FunctionIdentifier').map((f) => expr.slice(f.from, f.to));
  return { errors, selectors, groupings, functions };
}
