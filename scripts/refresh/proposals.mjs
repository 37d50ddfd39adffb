// Turns findings that carry a proposed row into YAML snippets, one file per matrix file they concern.
// The snippets are for a reviewer to merge by hand: they never replace curated rows, and the CLI writes
// them only into the folder named by --write-proposals (never into matrix/).
import { stringify } from "yaml";
import { naturalCompare } from "./versions.mjs";

/** @returns {{ file: string, text: string }[]} relative paths (under the proposals folder) and contents */
export function buildProposals(findings, date) {
  const byFile = new Map();
  for (const f of findings) {
    if (!f.proposal) continue;
    const { file, key, row } = f.proposal;
    if (!byFile.has(file)) byFile.set(file, new Map());
    const groups = byFile.get(file);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(row);
  }
  return [...byFile.keys()].sort(naturalCompare).map((file) => {
    const groups = byFile.get(file);
    const header = [
      `# Proposed by data:refresh on ${date}: rows for matrix/${file}, review before merging.`,
      "# Each row names its upstream source. Fields upstream does not state are null or empty and must be",
      "# filled in from the sources the matrix's notes name; curated rows are never replaced by these.",
      "",
    ].join("\n");
    const body = [...groups.keys()].sort(naturalCompare).map((key) => stringify({ [key]: groups.get(key) }, { lineWidth: 0 })).join("\n");
    return { file, text: `${header}${body}` };
  });
}
