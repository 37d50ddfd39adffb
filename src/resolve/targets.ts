// --gpu names and compute capabilities -> targets, and whether a build's kernels can drive them.
import type { Matrix } from "../matrix/data.js";
import { compare, parts } from "../matrix/versions.js";
import { suggest, type Problem } from "../errors.js";
import type { Build, Target } from "./types.js";
import { arm64Gpu } from "./platform.js";

const normalize = (s: string): string => s.toLowerCase().replace(/[^a-z0-9.]/g, "");

export function resolveTargets(inputs: string[], m: Matrix, problems: Problem[]): Target[] {
  const targets: Target[] = [];
  for (const input of inputs) {
    const cc = /^(?:sm_?|compute_?)?([0-9]{1,2})\.?([0-9])$/.exec(input.replace(/\s/g, ""));
    if (cc && (input.includes(".") || /^(sm|compute)/.test(input))) {
      const value = `${Number(cc[1])}.${cc[2]}`;
      // Only capabilities some CUDA release or GPU in the data knows: sm_999 is a typo, not a GPU.
      const known = new Set([...m.cuda.toolkits.flatMap((t) => t.sm.map((x) => x.replace(/[af]$/, ""))), ...m.gpus.gpus.map((g) => g.cc)]);
      if (!known.has(value)) {
        const sorted = [...known].sort(compare);
        problems.push({ code: "unknown-gpu", message: `Unknown compute capability ${JSON.stringify(input)}: no CUDA release in our data targets sm_${cc[1]}${cc[2]}.`, hint: `Known capabilities run from sm_${sorted[0]!.replace(".", "")} to sm_${sorted[sorted.length - 1]!.replace(".", "")}; \`cuda-scaffold list gpus\` shows GPU names.` });
        continue;
      }
      targets.push({ input, label: `sm_${cc[1]}${cc[2]}`, cc: value });
      continue;
    }
    const key = normalize(input);
    const gpu = m.gpus.gpus.find((g) => g.id === key || (g.aliases ?? []).some((a) => normalize(a) === key) || normalize(g.name) === key);
    if (gpu) {
      const target: Target = { input, label: `${gpu.id} (${gpu.name}, sm_${gpu.cc.replace(".", "")})`, cc: gpu.cc };
      if (gpu.minDriver && gpu.minDriverSource) target.minDriver = { driver: gpu.minDriver, source: gpu.minDriverSource };
      targets.push(target);
      continue;
    }
    // GPUs that only come in arm64 hosts and are not in gpus.yaml (gb10): matrix/arm64.yaml.
    const arm = arm64Gpu(m, input);
    if (arm) {
      targets.push({ input, label: `${arm.id} (${arm.name}, sm_${arm.cc.replace(".", "")})`, cc: arm.cc });
      continue;
    }
    const names = m.gpus.gpus.flatMap((g) => [g.id, ...(g.aliases ?? [])]);
    const close = suggest(key, names);
    problems.push({
      code: "unknown-gpu",
      message: `Unknown GPU ${JSON.stringify(input)}${close.length ? `: did you mean ${close.join(" or ")}?` : "."}`,
      alternatives: close,
      hint: "Give a GPU name (a100, h100, rtx3090, t4, …) or a compute capability (sm_80, 8.0); `cuda-scaffold list gpus` shows the names.",
    });
  }
  return targets;
}

/**
 * Can a build drive a GPU of compute capability `cc`? Yes when it has machine code for the
 * same major version at an equal or lower minor (SASS runs on later minors of its major), or PTX
 * for an equal or lower capability (the driver compiles PTX for newer GPUs) — but PTX only counts
 * for an architecture the build's own CUDA release knows (`cudaSm`, from matrix/cuda.yaml): its
 * libraries (cuDNN, cuBLAS) carry no kernels for later architectures, so a CUDA 10.2 build's PTX
 * does not run on an A100; PyTorch's maintainers answer such reports with "you'll need the binaries
 * that are built with CUDA > 11.0" (https://github.com/pytorch/pytorch/issues/57922).
 * Arch-specific targets (9.0a, 10.0f) only count for their exact capability.
 */
export function canDrive(build: Pick<Build, "arch" | "ptx" | "cudaSm">, cc: string): boolean {
  const [maj, min] = parts(cc);
  const sass = build.arch.some((a) => {
    if (/[af]$/.test(a)) return compare(a.replace(/[af]$/, ""), cc) === 0;
    const [am, an] = parts(a);
    return am === maj && (an ?? 0) <= (min ?? 0);
  });
  return sass || (ptxReaches(build, cc) && cudaKnows(build, cc));
}

function ptxReaches(build: Pick<Build, "ptx">, cc: string): boolean {
  return build.ptx.some((p) => compare(p.replace(/[af]$/, ""), cc) <= 0 && !/[af]$/.test(p));
}

/** The build's CUDA release can target this architecture (unknown CUDA: assume it can). */
function cudaKnows(build: Pick<Build, "cudaSm">, cc: string): boolean {
  return build.cudaSm.length === 0 || build.cudaSm.some((s) => compare(s.replace(/[af]$/, ""), cc) === 0);
}

/** Why a build's PTX does not count for a GPU it would otherwise reach, or null. */
export function ptxTooOld(build: Pick<Build, "arch" | "ptx" | "cudaSm" | "cuda">, cc: string): string | null {
  if (canDrive(build, cc) || !ptxReaches(build, cc)) return null;
  return `its PTX does not count: CUDA ${build.cuda} predates sm_${cc.replace(".", "")}, so its libraries have no kernels for it`;
}

/** Our data knows which architectures the build's kernels cover. */
export function archKnown(build: Pick<Build, "arch" | "ptx">): boolean {
  return build.arch.length + build.ptx.length > 0;
}

export function archRange(build: Pick<Build, "arch" | "ptx">): string {
  const sm = (v: string) => `sm_${v.replace(".", "")}`;
  const list = build.arch.map(sm).join(", ");
  const ptx = build.ptx.length ? `; PTX ${build.ptx.map(sm).join(", ")}` : "";
  return `${list || "none"}${ptx}`;
}

/** Targets a host driver cannot run at all, whatever the framework: the GPU is newer than the driver. */
export function driverCannotDrive(targets: Target[], driver: string): Problem[] {
  return targets
    .filter((t) => t.minDriver && compare(driver, t.minDriver.driver) < 0)
    .map((t) => ({
      code: "driver-too-old" as const,
      message: `--driver ${driver} cannot drive ${t.label}: NVIDIA's first driver for it is ${t.minDriver!.driver}${/^[0-9]+$/.test(t.minDriver!.driver) ? ".x" : ""} (${t.minDriver!.source}).`,
      hint: `Install driver ${t.minDriver!.driver} or newer on the host; no container can bring its own kernel driver.`,
    }));
}
