/**
 * Summaries of repeated measurements (median, range, relative spread) and the table the bench
 * prints. Medians, because this machine is shared and a single run can land on a busy moment.
 */

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
  /** (max − min) ÷ median: how noisy the runs were. */
  readonly spread: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values: readonly number[]): Summary {
  const m = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { median: m, min, max, runs: values.length, spread: m === 0 ? 0 : (max - min) / m };
}

/** Significant enough for a figure that varies by several percent between runs. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return Number(value.toFixed(Math.min(decimals, 6)));
}

export function formatNumber(value: number): string {
  const r = round(value);
  return Math.abs(r) >= 1000 ? Math.round(r).toLocaleString('en-US') : String(r);
}

/** One printed line: label, median with unit, and the range of the runs. */
export function describe(label: string, unit: string, s: Summary): string {
  const range = s.runs > 1 ? `  (${s.runs} runs: ${formatNumber(s.min)}–${formatNumber(s.max)}, spread ${Math.round(s.spread * 100)}%)` : '';
  return `  ${label.padEnd(44)} ${formatNumber(s.median).padStart(9)} ${unit}${range}`;
}

/** A figure with a ceiling, e.g. REGISTER → READY < 5 ms. */
export function describeBelow(label: string, unit: string, s: Summary, target: number): string {
  const verdict = s.median < target ? 'met' : 'NOT met';
  return `${describe(label, unit, s)}  [target < ${formatNumber(target)} ${unit}: ${verdict}]`;
}

export function describeRatio(label: string, value: number, target?: number): string {
  const verdict = target === undefined ? '' : `  [target ≥ ${target}: ${value >= target ? 'met' : 'NOT met'}]`;
  return `  ${label.padEnd(44)} ${value.toFixed(2).padStart(9)}${verdict}`;
}

/** How many times to repeat a slow measurement: `min` always, up to `max` while within `budgetMs`. */
export interface RunBudget {
  readonly min: number;
  readonly max: number;
  readonly budgetMs: number;
}

/** Whether another run fits: below `min`, always; below `max`, if the time spent so far allows. */
export function anotherRun(budget: RunBudget, done: number, startedAt: number): boolean {
  if (done < budget.min) return true;
  return done < budget.max && since(startedAt) < budget.budgetMs;
}

/** Milliseconds since `start` (a `performance.now()` reading). */
export function since(start: number): number {
  return performance.now() - start;
}
