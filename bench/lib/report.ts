import type { ScenarioReport } from "./scenario.ts";

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** One Markdown table per scenario: every metric with min / median / max over the repetitions. */
export function markdownTable(report: ScenarioReport): string {
  const lines = [`### ${report.title} (\`${report.scenario}\`, ${report.target}, ${report.repetitions.length} reps)`, ""];
  if (report.skipped) return [...lines, `Skipped: ${report.skipped}`, ""].join("\n");
  lines.push("| metric | min | median | max | unit | goal |", "|---|---:|---:|---:|---|---|");
  for (const metric of report.metrics) {
    const spread = report.summary[metric.key];
    if (!spread) continue;
    lines.push(`| ${metric.label} | ${format(spread.min)} | ${format(spread.median)} | ${format(spread.max)} | ${metric.unit} | ${metric.goal ?? ""} |`);
  }
  const steps = (report.prepared as { steps?: { targetRate: number; keptUp: boolean }[] } | undefined)?.steps;
  if (steps?.length) lines.push("", `Search: ${steps.map((step) => `${step.targetRate}/s ${step.keptUp ? "kept up" : "fell behind"}`).join(", ")}.`);
  return [...lines, ""].join("\n");
}
