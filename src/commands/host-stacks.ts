// What a host can run, from its facts and the matrix: GPU capabilities filled in from our GPU
// data where the driver does not report them, the newest CUDA the driver supports, and the
// newest build of each framework the driver and GPUs can run (on an arm64 host, of those with
// aarch64 CUDA wheels).
import type { Matrix } from "../matrix/data.js";
import { FRAMEWORK_NAMES, driverFloor } from "../matrix/lookup.js";
import { compare, majorMinor, newestFirst } from "../matrix/versions.js";
import { candidatesFor } from "../resolve/candidates.js";
import { archKnown, canDrive } from "../resolve/targets.js";
import { platformReason, type Platform } from "../resolve/platform.js";
import type { Request } from "../request/types.js";
import type { GpuFacts, HostFacts } from "../doctor/index.js";

const normalize = (s: string): string => s.toLowerCase().replace(/^nvidia\s+/, "").replace(/[^a-z0-9]/g, "");

/** The GPU row a name as nvidia-smi prints it belongs to ("Tesla V100-SXM2-16GB" -> v100). */
export function gpuByName(m: Matrix, name: string) {
  const key = normalize(name).replace(/^(tesla|geforce|quadro)/, "");
  const rows = m.gpus.gpus
    .flatMap((g) => [g.id, ...(g.aliases ?? []), normalize(g.name).replace(/^(tesla|geforce|quadro)/, "")].map((k) => ({ k, g })))
    .filter(({ k }) => key.startsWith(k) || key.includes(k));
  return rows.sort((a, b) => b.k.length - a.k.length)[0]?.g;
}

/** The arm64-only GPU (GH200, GB200, GB10; matrix/arm64.yaml) a name as nvidia-smi prints it
 *  belongs to: its first word after "NVIDIA" ("NVIDIA GH200 480GB" -> gh200; GB100 is not gb10). */
export function arm64GpuByName(m: Matrix, name: string) {
  const model = name.toLowerCase().replace(/^\s*nvidia\s+/, "").split(/[\s_-]+/)[0] ?? "";
  return m.arm64.gpus.find((g) => g.id === model);
}

export function withCapabilities(m: Matrix, gpus: GpuFacts[]): (GpuFacts & { computeCapabilitySource: "driver" | "matrix" | null })[] {
  return gpus.map((g) => {
    if (g.computeCapability) return { ...g, computeCapabilitySource: "driver" as const };
    const cc = gpuByName(m, g.name)?.cc ?? arm64GpuByName(m, g.name)?.cc ?? null;
    return { ...g, computeCapability: cc, computeCapabilitySource: cc ? ("matrix" as const) : null };
  });
}

/**
 * The platform a stack for this host targets: linux/arm64 on an aarch64 machine or with an
 * arm64-only GPU, linux/amd64 on x86_64; null when neither is known, or on Jetson (L4T is
 * neither, and is refused).
 */
export function hostPlatform(m: Matrix, facts: Pick<HostFacts, "machine" | "jetson" | "gpus">): Platform | null {
  if (facts.jetson) return null;
  if (facts.machine === "aarch64" || facts.gpus.some((g) => arm64GpuByName(m, g.name))) return "linux/arm64";
  return facts.machine === "x86_64" ? "linux/amd64" : null;
}

/** The newest CUDA minor whose first release runs on the driver (when nvidia-smi does not say). */
export function newestCudaFor(m: Matrix, driver: string): string | null {
  const ok = m.cuda.toolkits.filter((t) => compare(driver, t.releases[0]!.driver) >= 0).map((t) => t.version);
  return ok.sort(newestFirst)[0] ?? null;
}

export interface FrameworkOnHost {
  framework: string;
  newest: { version: string; cuda: string; label: string } | null;
  /** CUDA builds (major.minor) of any release this host can run */
  cudaBuilds: string[];
}

export function hostStacks(m: Matrix, driver: string | null, ccs: string[], platform: Platform | null = null): FrameworkOnHost[] {
  if (!driver) return [];
  // Only the platform is read from the request (resolve/platform.ts): on arm64, builds without aarch64 CUDA wheels drop out.
  const arm = { platform: platform === "linux/arm64" ? "linux/arm64" : undefined } as Request;
  return FRAMEWORK_NAMES.filter((n) => m.frameworks[n]).map((name) => {
    const builds = candidatesFor({ name, range: null }, m, []).filter(
      (b) =>
        compare(driver, driverFloor(m, b.cuda) ?? "999") >= 0 &&
        (!archKnown(b) || ccs.every((cc) => canDrive(b, cc))) &&
        platformReason(b, arm, m) === null,
    );
    const best = builds[0];
    return {
      framework: name,
      newest: best ? { version: best.version, cuda: best.cuda, label: best.label } : null,
      cudaBuilds: [...new Set(builds.map((b) => majorMinor(b.cuda)))].sort(compare),
    };
  });
}

/** The first driver of each of the host's GPUs that our data knows (one row per distinct GPU). */
export function gpuFloors(m: Matrix, gpus: GpuFacts[]): { gpu: string; minDriver: string; source: string }[] {
  const rows = new Map<string, { gpu: string; minDriver: string; source: string }>();
  for (const g of gpus) {
    const row = gpuByName(m, g.name);
    if (row?.minDriver && row.minDriverSource) rows.set(row.id, { gpu: g.name, minDriver: row.minDriver, source: row.minDriverSource });
  }
  return [...rows.values()];
}

/**
 * The last driver branch of each of the host's GPUs whose architecture NVIDIA left on a legacy
 * branch (matrix/platform.yaml gpuChipFamilies lastDriverBranch: R580 for Maxwell, Pascal and
 * Volta, R470 for Kepler), one row per distinct GPU.
 */
export function gpuCeilings(m: Matrix, gpus: GpuFacts[]): { gpu: string; architecture: string; lastBranch: string; source: string }[] {
  const rows = new Map<string, { gpu: string; architecture: string; lastBranch: string; source: string }>();
  for (const g of gpus) {
    const row = gpuByName(m, g.name);
    const family = row && m.platform.gpuChipFamilies.find((f) => f.architecture === row.architecture && f.lastDriverBranch);
    if (row && family?.lastDriverBranch) rows.set(row.id, { gpu: g.name, architecture: family.architecture, lastBranch: family.lastDriverBranch, source: family.lastDriverBranchSource ?? family.source });
  }
  return [...rows.values()];
}

export function hostFactsSummary(m: Matrix, facts: HostFacts) {
  const gpus = withCapabilities(m, facts.gpus);
  const cuda = facts.cuda ?? (facts.driver ? newestCudaFor(m, facts.driver) : null);
  const ccs = gpus.map((g) => g.computeCapability).filter((c): c is string => c !== null);
  const platform = hostPlatform(m, facts);
  return { gpus, cuda, platform, stacks: hostStacks(m, facts.driver, ccs, platform) };
}
