import { parser } from '@prometheus-io/lezer-promql';

/**
 * Which labels a PromQL expression uses on which series, read from Prometheus' own
 * PromQL grammar (lezer-promql, the parser of the Prometheus UI) rather than by
 * pattern matching: label matchers on a selector, and the `by (...)` / `without (...)`
 * labels of every aggregation over it. A dev dependency, for tests only.
 */
export interface LabelUse {
  series: string;
  label: string;
  via: 'matcher' | 'by' | 'without';
}

type Node = NonNullable<ReturnType<typeof parser.parse>['topNode']['firstChild']>;

function* descendants(node: Node): Generator<Node> {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    yield child;
    yield* descendants(child);
  }
}

export function parsePromql(expr: string) {
  const tree = parser.parse(expr);
  const errors: number[] = [];
  tree.iterate({
    enter(n) {
      if (n.type.isError) errors.push(n.from);
    },
  });
  const text = (n: Node) => expr.slice(n.from, n.to);
  const seriesIn = (n: Node) =>
    [n, ...descendants(n)]
      .filter((d) => d.name === 'VectorSelector')
      .flatMap((v) => {
        const id = v.getChild('Identifier');
        return id ? [{ selector: v, series: text(id) }] : [];
      });

  const uses: LabelUse[] = [];
  for (const { selector, series } of seriesIn(tree.topNode as Node)) {
    for (const name of [...descendants(selector)].filter((d) => d.name === 'LabelName'))
      uses.push({ series, label: text(name), via: 'matcher' });
  }
  for (const agg of [tree.topNode as Node, ...descendants(tree.topNode as Node)]) {
    if (agg.name !== 'AggregateExpr') continue;
    const modifier = agg.getChild('AggregateModifier');
    if (!modifier) continue;
    const via = modifier.getChild('Without') ? 'without' : 'by';
    const labels = [...descendants(modifier)].filter((d) => d.name === 'LabelName').map(text);
    for (const { series } of seriesIn(agg)) for (const label of labels) uses.push({ series, label, via });
  }
  return { uses, errors };
}
