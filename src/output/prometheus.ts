/**
 * Prometheus text exposition format (version 0.0.4), for node_exporter's
 * textfile collector: one HELP and TYPE line per metric family, then its
 * samples, labels escaped as the format requires.
 */

export interface Sample {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** Families in first-seen order; a family's HELP/TYPE come from its first sample. */
export function exposition(samples: readonly Sample[]): string {
  const families = new Map<string, Sample[]>();
  for (const sample of samples) {
    if (!NAME.test(sample.name)) throw new Error(`invalid metric name '${sample.name}'`);
    for (const label of Object.keys(sample.labels)) if (!LABEL.test(label)) throw new Error(`invalid label name '${label}'`);
    const family = families.get(sample.name) ?? [];
    family.push(sample);
    families.set(sample.name, family);
  }
  const lines: string[] = [];
  for (const [name, family] of families) {
    lines.push(`# HELP ${name} ${escapeHelp(family[0]!.help)}`, `# TYPE ${name} ${family[0]!.type}`);
    for (const sample of family) {
      const labels = Object.entries(sample.labels)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
        .join(',');
      lines.push(`${name}${labels ? `{${labels}}` : ''} ${formatValue(sample.value)}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
