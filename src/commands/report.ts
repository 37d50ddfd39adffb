// Human-readable text for resolutions; shared by the default command, resolve and explain.
import type { Resolution } from "../resolve/types.js";
import { stackSummary } from "../render/views.js";

export function summaryLines(res: Resolution): string[] {
  const lines = [`  ${stackSummary(res)}`, `  image   ${res.image}  (${res.plan.base.why})`];
  const compiler = res.plan.compiler;
  if (compiler) lines.push(`  ptxas   adds CUDA's ptxas and libdevice (${compiler.packages.join(" ")}): XLA compiles GPU code when the program runs`);
  const cc = res.builds.find((b) => b.hostCompiler);
  if (cc) lines.push(`  cc      adds C and C++ compilers: ${cc.hostCompiler!.why}`);
  if (res.plan.devPackages.length) lines.push(`  dev     adds nvcc for CUDA ${res.cuda} (${res.plan.devPackages.join(" ")})`);
  lines.push(`  driver  ${res.minDriver} or newer on the host`);
  if (res.warnings.length) {
    lines.push("", "warnings:");
    for (const w of res.warnings) lines.push(`  ! ${w.code}: ${w.message}`);
  }
  return lines;
}
