// Every candidate considered and why it was kept or rejected, the base image and the driver
// floor with where they come from, and the sources of the facts used.
import { matrix } from "../matrix/data.js";
import { toolkit } from "../matrix/lookup.js";
import type { RequestOptions } from "../request/request-options.js";
import { projectLines, requestFor } from "../project/from-project.js";
import { requestArgs } from "../render/header.js";
import { stackSummary } from "../render/views.js";
import { clusterImage } from "../render/render-files.js";
import { clusterExplainLines } from "../render/cluster/explain-lines.js";
import { TOOL_VERSION } from "../version.js";
import { installOf, leftOutText } from "../resolve/install.js";

const MARK = { chosen: "✔ chosen  ", viable: "· viable  ", rejected: "✘ rejected" } as const;

export function explain(specs: string[], opts: RequestOptions, print: (s: string) => void): number {
  const { req, res } = requestFor(specs, opts, matrix);
  const lines = [`explain ${requestArgs(req).join(" ")}`, "", "candidates (newest release first; within a release the default build, then newest CUDA):"];
  for (const c of res.explain.candidates) lines.push(`  ${MARK[c.verdict]} ${c.label}${c.reasons.length ? `: ${c.reasons.join("; ")}` : ""}`);
  const unverified = res.builds.filter((b) => b.unverified);
  if (unverified.length) {
    lines.push("", "unverified releases (used only because their exact version was asked for):");
    for (const b of unverified) {
      lines.push(`  ! ${b.display} ${b.version}: ${b.unverified!.reason}`);
      for (const s of b.unverified!.sources) lines.push(`    ${s}`);
    }
  }
  if (res.explain.conflicts.length) {
    lines.push("", "combinations rejected:");
    for (const c of res.explain.conflicts) lines.push(`  ✘ ${c}`);
  }
  if (res.targets.length) lines.push("", `GPUs: ${res.targets.map((t) => t.label).join(", ")}`);
  lines.push("", `stack: ${stackSummary(res)}`, "", "base image:", `  ${res.plan.base.why}`);
  const compiler = res.plan.compiler;
  if (compiler) lines.push(`  adds ${compiler.packages.join(" ")} (CUDA's ptxas and libdevice) from NVIDIA's ${res.plan.os.nvidiaRepo} repository to every target: ${compiler.labels.join(" and ")}: ${compiler.why.join("; ")} (${compiler.sources[0]})`);
  for (const b of res.builds.filter((x) => x.hostCompiler)) lines.push(`  adds C and C++ compilers to every target: ${b.label}: ${b.hostCompiler!.why} (${b.hostCompiler!.sources[0]})`);
  if (res.plan.devPackages.length) lines.push(`  dev target adds ${res.plan.devPackages.join(" ")} from NVIDIA's ${res.plan.os.nvidiaRepo} repository`);
  for (const b of res.builds.filter((x) => x.unversionedNames)) {
    lines.push(`  links ${b.unversionedNames!.names.join(" ")} to the image's versioned libraries: ${b.label} dlopens them by those bare names, which only NVIDIA's -dev packages ship (${b.unversionedNames!.sources[0]})`);
  }
  lines.push(`  Python ${res.plan.python.version}: ${res.plan.python.source === "uv" ? "uv-managed build" : `${res.plan.os.name}'s own python3`}; newest the build supports${req.python ? " matching --python" : ""}`);
  const leftOut = res.builds.flatMap((b) => {
    const install = installOf(b, res.plan.python.version);
    return install.leftOut ? [{ b, install, row: install.leftOut }] : [];
  });
  if (leftOut.length) {
    lines.push("", "install:");
    for (const { b, install, row } of leftOut) {
      lines.push(`  ${leftOutText(b, row)}`, `    installs ${[...install.packages.map((p) => `${p.name}==${p.version}`), ...install.wheels].join(" ")}`);
    }
  }
  lines.push("", `driver floor: ${res.minDriver}`);
  for (const f of res.driverFloors) lines.push(`  ${f.driver.padEnd(10)} ${f.why}`);
  const compat = toolkit(matrix, res.cuda)?.compatDriver;
  if (compat) lines.push(`  (NVIDIA's minor-version compatibility lets CUDA ${res.cuda.split(".")[0]}.x run on ${compat} or newer, without PTX JIT; the floor above is the toolkit's own, which this tool uses.)`);
  if (res.warnings.length) {
    lines.push("", "warnings:");
    for (const w of res.warnings) lines.push(`  ! ${w.code}: ${w.message}`);
  }
  lines.push(...projectLines(req.project.read));
  lines.push("", "sources:", ...res.explain.sources.map((s) => `  ${s}`));
  if (req.cluster) {
    const { image, lockHash } = clusterImage(res, matrix, TOOL_VERSION);
    lines.push("", ...clusterExplainLines(res, matrix, image, lockHash));
  }
  print(lines.join("\n"));
  return 0;
}
