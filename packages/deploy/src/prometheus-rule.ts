import { type K8sObject } from './manifests';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered YAML is walked untyped here */

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const SEVERITIES = new Set(['critical', 'warning']);

/**
 * Checks a Prometheus Operator PrometheusRule offline (kubernetes-models has no schema for it):
 * groups with unique names, every rule an alert or a record with an expression, `for` a
 * Prometheus duration, alerts with a known severity, a summary and a runbook.
 */
export function prometheusRuleProblems(object: K8sObject): string[] {
  const where = `PrometheusRule/${object.metadata?.name ?? '?'}`;
  const groups = (object as any).spec?.groups;
  if (!Array.isArray(groups) || groups.length === 0) return [`${where}: spec.groups must be a non-empty list`];
  const problems: string[] = [];
  const names = new Set<string>();
  for (const group of groups) {
    if (typeof group?.name !== 'string' || names.has(group.name)) problems.push(`${where}: every group needs a unique name`);
    names.add(group?.name);
    if (!Array.isArray(group?.rules) || group.rules.length === 0) problems.push(`${where}/${group?.name}: rules must be a non-empty list`);
    for (const rule of group?.rules ?? []) {
      const id = `${where}/${group.name}/${rule?.alert ?? rule?.record ?? '?'}`;
      if ((typeof rule?.alert === 'string') === (typeof rule?.record === 'string'))
        problems.push(`${id}: a rule is either an alert or a record`);
      if (typeof rule?.expr !== 'string' || !rule.expr.trim()) problems.push(`${id}: expr is required`);
      if (rule?.for !== undefined && !DURATION.test(String(rule.for))) problems.push(`${id}: for must be a duration like 5m`);
      if (typeof rule?.alert === 'string') {
        if (!SEVERITIES.has(rule.labels?.severity)) problems.push(`${id}: labels.severity must be critical or warning`);
        if (!rule.annotations?.summary) problems.push(`${id}: annotations.summary is required`);
        if (!rule.annotations?.runbook) problems.push(`${id}: annotations.runbook is required`);
      }
    }
  }
  return problems;
}

/** The metric names an expression reads (identifiers followed by a selector, a range or an operator). */
export function metricNamesIn(expr: string): string[] {
  const withoutStrings = expr.replace(/"[^"]*"/g, '""');
  const withoutGrouping = withoutStrings.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const words = withoutGrouping.match(/[a-zA-Z_:][a-zA-Z0-9_:]*(?=\s*[{[)\s]|$)/g) ?? [];
  const FUNCTIONS =
    /^(sum|max|min|avg|count|rate|irate|increase|histogram_quantile|absent|absent_over_time|delta|deriv|topk|bottomk|time|vector|scalar|and|or|unless|le|for)$/;
  return [...new Set(words.filter((w) => !FUNCTIONS.test(w) && !/^\d/.test(w)))];
}
