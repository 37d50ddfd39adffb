// linux/arm64 (SBSA: GH200, GB200, DGX Spark): which builds have aarch64 CUDA wheels, which
// nvidia/cuda tags have an arm64 variant, and the request checks (matrix/arm64.yaml). Pure
// functions of (matrix, request, build); linux/amd64 requests never read the arm64 data.
import type { Matrix } from "../matrix/data.js";
import type { Arm64Gpu, Arm64WheelRule } from "../matrix/types.gen.js";
import { satisfies } from "../matrix/versions.js";
import type { Problem } from "../errors.js";
import type { Request } from "../request/types.js";
import type { Build } from "./types.js";

export const PLATFORMS = ["linux/amd64", "linux/arm64"] as const;
export type Platform = (typeof PLATFORMS)[number];

export const isArm64 = (req: Pick<Request, "platform">): boolean => req.platform === "linux/arm64";

const normalize = (s: string): string => s.toLowerCase().replace(/[^a-z0-9.]/g, "");

/** The arm64-only GPU (Grace superchip, DGX Spark) a --gpu entry names, if it names one. */
export function arm64Gpu(m: Matrix, input: string): Arm64Gpu | undefined {
  const key = normalize(input);
  return m.arm64.gpus.find((g) => g.id === key);
}

const show = (v: string) => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);

/**
 * --platform (as typed, or undefined) with the GPUs and OS of the request -> the platform to record
 * ("linux/arm64"), or undefined for linux/amd64. Problems: an unknown platform, an arm64-only GPU
 * with linux/amd64, an --os NVIDIA publishes no arm64 images of.
 */
export function parsePlatform(raw: string | undefined, gpus: string[], os: string | undefined, m: Matrix, problems: Problem[]): "linux/arm64" | undefined {
  if (raw !== undefined && !(PLATFORMS as readonly string[]).includes(raw)) {
    problems.push({ code: "invalid-value", message: `--platform ${show(raw)} is not a platform cuda-scaffold generates for.`, alternatives: [...PLATFORMS], hint: "Use linux/amd64 (x86_64, the default) or linux/arm64 (Grace Hopper, Grace Blackwell, DGX Spark)." });
    return undefined;
  }
  const armOnly = gpus.filter((g) => arm64Gpu(m, g));
  if (raw === "linux/amd64" && armOnly.length) {
    problems.push({ code: "conflict", message: `--gpu ${armOnly.join(",")} only comes in arm64 (Grace) hosts, but --platform is linux/amd64.`, hint: "Leave --platform out (the GPU selects linux/arm64) or give --platform linux/arm64." });
    return undefined;
  }
  const arm = raw === "linux/arm64" || (raw === undefined && armOnly.length > 0);
  if (!arm) return undefined;
  if (os !== undefined && m.platform.os.some((o) => o.name === os)) {
    const row = m.arm64.os.find((o) => o.name === os);
    if (!row || !row.arm64) {
      const ok = m.arm64.os.filter((o) => o.arm64).map((o) => o.name);
      problems.push({
        code: "conflict",
        message: row ? `--os ${os} has no linux/arm64 nvidia/cuda images (${row.source}).` : `--os ${os}: the data has no evidence of linux/arm64 nvidia/cuda images for it.`,
        alternatives: ok,
        hint: `On linux/arm64 use one of ${ok.join(", ")}.`,
      });
    }
  }
  return "linux/arm64";
}

/** A wheel rule of matrix/arm64.yaml (`package`: only builds that install it; `alternative`: what a refusal names). */
export type WheelRule = Arm64WheelRule;

/** What a wheel rule is matched on: the framework release, its CUDA, and the packages it installs. */
export interface WheelKey {
  framework: Build["framework"];
  version: string;
  cuda: string;
  packages?: readonly { name: string }[];
}

/** The arm64 wheel rule of a build: the first that matches (undefined: no evidence either way). */
export function wheelRule(m: Matrix, b: WheelKey): WheelRule | undefined {
  return m.arm64.wheels.find(
    (r) =>
      r.framework === b.framework &&
      satisfies(b.version, r.versions) &&
      (!r.cuda || r.cuda.includes(b.cuda)) &&
      (!r.package || (b.packages ?? []).some((p) => p.name === r.package)),
  );
}

/** CUDA variants of the same release that do have aarch64 wheels, for a refusal's "nearest" hint. */
function siblingsWithWheels(m: Matrix, b: Build): string[] {
  const fw = b.framework === "cuda" ? undefined : m.frameworks[b.framework];
  const release = fw?.releases.find((r) => r.version === b.version);
  const names = (release?.builds ?? [])
    .filter((x) => x.cuda !== b.cuda && wheelRule(m, { framework: b.framework, version: b.version, cuda: x.cuda, packages: x.packages })?.aarch64 === true)
    .map((x) => `cu${x.cuda.replace(".", "")}`);
  return [...new Set(names)];
}

/** Why a build cannot be installed on linux/arm64, or null when it can (or the request is amd64). */
export function platformReason(b: Build, req: Request, m: Matrix): string | null {
  if (!isArm64(req) || b.framework === "cuda") return null;
  const rule = wheelRule(m, b);
  const others = siblingsWithWheels(m, b);
  const nearest = others.length ? `; ${b.version} has them for ${others.join(", ")}` : "";
  if (!rule) return `the data has no evidence of linux/aarch64 CUDA wheels for ${b.label} (matrix/arm64.yaml has no rule for it)${nearest}`;
  if (!rule.aarch64) return `no linux/aarch64 CUDA wheel (${rule.source})${nearest}${rule.alternative ? `; ${rule.alternative}` : ""}`;
  return null;
}

/** A build as installed on linux/arm64: its aarch64 wheel tag and the companion pins that index has. */
export function forPlatform(b: Build, req: Request, m: Matrix): Build {
  if (!isArm64(req) || b.framework === "cuda") return b;
  const rule = wheelRule(m, b);
  if (!rule?.aarch64) return b;
  const unsuffixed = new Set(rule.unsuffixed ?? []);
  const packages = b.packages.map((p) => (unsuffixed.has(p.name) ? { ...p, version: p.version.replace(/\+.*$/, "") } : p));
  const wheelPlatform = rule.platform && rule.glibc ? { tag: rule.platform, glibc: rule.glibc, source: rule.source } : b.wheelPlatform;
  return { ...b, packages, wheelPlatform, sources: [...new Set([...b.sources, rule.source])] };
}

/**
 * Does NVIDIA publish a linux/arm64 variant of the nvidia/cuda tags of this CUDA release on this OS?
 * With `cudnn`, of its -cudnn tags: those follow the base tags except where matrix/arm64.yaml
 * cudnnImages says not.
 */
export function imageHasArm64(m: Matrix, cuda: string, os: string, cudnn = false): boolean {
  const rule = m.arm64.images.find((r) => r.os.includes(os) && satisfies(cuda, r.cuda));
  if (rule?.arm64 !== true) return false;
  if (!cudnn) return true;
  const cudnnRules = m.arm64.cudnnImages ?? [];
  return cudnnRules.find((r) => r.os.includes(os) && satisfies(cuda, r.cuda))?.arm64 !== false;
}
