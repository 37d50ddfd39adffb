// Renders a refresh result as the reviewable Markdown report (stdout, and the pull request's body).
import { GROUPS } from "./run-refresh.mjs";

function sourceLines(sources) {
  const lines = [];
  const by = (status) => sources.filter((s) => s.status === status);
  const read = by("ok");
  lines.push(`- read: ${read.length}`);
  for (const s of read) lines.push(`  - ${s.url}${s.capturedAt ? ` (recorded ${s.capturedAt}${s.provenance ? `, ${s.provenance}` : ""})` : ""}`);
  const missing = by("not-found");
  if (missing.length) lines.push(`- not found (404): ${missing.length}`, ...missing.map((s) => `  - ${s.url} — ${s.purpose}`));
  const failed = by("error");
  if (failed.length) lines.push(`- failed: ${failed.length}`, ...failed.map((s) => `  - ${s.url} — ${s.error}`));
  const unrecorded = by("not-recorded");
  if (unrecorded.length) lines.push(`- not recorded in the offline fixtures: ${unrecorded.length} (listed in --json)`);
  return lines;
}

export function renderMarkdown(result) {
  const total = result.findings.length;
  const counts = GROUPS.filter(([id]) => result.summary[id]).map(([id, title]) => `${title[0].toLowerCase()}${title.slice(1)}: ${result.summary[id]}`);
  const lines = [
    "# data:refresh — upstream compared with matrix/",
    "",
    `Run ${result.date} (${result.mode === "offline" ? "offline, on recorded upstream responses" : "live"}) against matrix/ as of ${result.matrixAsOf ?? "unknown"}.`,
    total ? `${total} difference${total === 1 ? "" : "s"}: ${counts.join("; ")}.` : "No differences.",
    "Nothing in matrix/ was changed: curated rows, notes and sources stay as they are; proposed rows (--write-proposals) are snippets to review.",
  ];
  for (const [id, title] of GROUPS) {
    const group = result.findings.filter((f) => f.group === id);
    if (!group.length) continue;
    lines.push("", `## ${title}`, "");
    for (const f of group) {
      lines.push(`- **${f.title}**`);
      for (const d of f.details) lines.push(`  - ${d}`);
      if (f.sources.length) lines.push(`  - source: ${f.sources.join(" · ")}`);
    }
  }
  lines.push("", "## Sources", "", ...sourceLines(result.sources), "");
  lines.push(`Exit code ${result.exitCode} (0 no differences, 3 differences, 4 no differences but a source failed or none was read).`, "");
  return lines.join("\n");
}
