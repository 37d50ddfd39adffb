// Composes the stages: read the matrix → read upstream → diff → one result object. No printing, no exit.
import { collectCuda } from "./collect-cuda.mjs";
import { collectFramework } from "./collect-frameworks.mjs";
import { collectImages } from "./collect-images.mjs";
import { diffCuda } from "./diff-cuda.mjs";
import { diffFramework } from "./diff-frameworks.mjs";
import { diffImages, taggedCudaReleases } from "./diff-images.mjs";
import { FRAMEWORKS, loadMatrix } from "./load-matrix.mjs";
import { compareDotted, majorMinor, naturalCompare } from "./versions.mjs";

export const GROUPS = Object.freeze([
  ["new-release", "New framework releases"],
  ["new-build", "New builds of known releases"],
  ["new-cuda", "New CUDA releases"],
  ["lifecycle", "Image tags that changed lifecycle"],
  ["new-tags", "New image tags"],
  ["rebuilt", "Image tags re-pushed since the matrix's asOf"],
  ["disagreement", "Upstream facts that disagree with curated rows"],
]);
const SECTION_ORDER = [...FRAMEWORKS, "cuda", "images"];

export function sortFindings(findings) {
  const g = (f) => GROUPS.findIndex(([id]) => id === f.group);
  const s = (f) => SECTION_ORDER.indexOf(f.section);
  return [...findings].sort((a, b) => g(a) - g(b) || s(a) - s(b) || naturalCompare(a.key, b.key));
}

/**
 * @param {{ matrixDir: string, upstream: ReturnType<import("./fetch-upstream.mjs").createUpstream>, date: string }} options
 */
export async function runRefresh({ matrixDir, upstream, date }) {
  const matrix = loadMatrix(matrixDir);
  const [cuda, images] = await Promise.all([collectCuda(upstream, matrix.cuda), collectImages(upstream)]);
  const knownMinors = [...new Set([...matrix.cuda.toolkits.map((t) => String(t.version)), ...cuda.listing.versions.map(majorMinor)])].sort(compareDotted);
  const frameworks = await Promise.all(FRAMEWORKS.map((name) => collectFramework(upstream, name, matrix.frameworks[name], knownMinors)));
  const findings = sortFindings([
    ...frameworks.flatMap((up) => diffFramework(matrix.frameworks[up.framework], up, date)),
    ...diffCuda(matrix.cuda, cuda, taggedCudaReleases(images), date),
    ...diffImages(matrix.images, images, matrix.asOf, date),
  ]);
  const sources = [...upstream.log].sort((a, b) => naturalCompare(a.url, b.url));
  const unreadable = sources.filter((s) => s.status === "error");
  const nothingRead = !sources.some((s) => s.status === "ok");
  const exitCode = findings.length ? 3 : unreadable.length || nothingRead ? 4 : 0;
  const summary = Object.fromEntries(GROUPS.map(([id]) => [id, findings.filter((f) => f.group === id).length]));
  return {
    schema: "cuda-scaffold/data-refresh@1",
    date,
    mode: upstream.offline ? "offline" : "live",
    matrixAsOf: matrix.asOf,
    exitCode,
    summary,
    findings,
    sources,
  };
}
