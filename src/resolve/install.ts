// What pip installs for a build on the stack's Python. A package's extra is installed as the
// framework documents it, except where the data records that the package index cannot install it
// (matrix/frameworks extraUnavailable: tensorflow[and-cuda] 2.15.0 requires tensorrt-libs==8.6.1,
// which only NVIDIA's own index had). Then the package is installed without the extra, and the
// extra's nvidia-* wheels (the build's cudaWheels) by name: the same CUDA libraries, without the
// requirements the row names as left out.
import type { ExtraUnavailable, PipPackage } from "../matrix/types.gen.js";
import type { Build } from "./types.js";

/** The data's row for an extra of this build that cannot be installed on this Python, or null. */
export function extraLeftOut(b: Pick<Build, "extraUnavailable">, python: string): ExtraUnavailable | null {
  const row = b.extraUnavailable;
  return row && (!row.python || row.python.includes(python)) ? row : null;
}

export interface Install {
  /** the packages as the Dockerfile pins them (the extra dropped where it cannot be installed) */
  packages: PipPackage[];
  /** requirements installed beside the packages: the extra's nvidia-* wheels, where the extra is left out */
  wheels: string[];
  leftOut: ExtraUnavailable | null;
}

export function installOf(b: Build, python: string): Install {
  const leftOut = extraLeftOut(b, python);
  if (!leftOut) return { packages: b.packages, wheels: [], leftOut: null };
  const packages = b.packages.map((p) => {
    if (!p.extras?.includes(leftOut.extra)) return p;
    const extras = p.extras.filter((e) => e !== leftOut.extra);
    const { extras: _dropped, ...rest } = p;
    return extras.length ? { ...rest, extras } : rest;
  });
  return { packages, wheels: b.cudaWheels.map((w) => `${w.name}${w.spec}`), leftOut };
}

/**
 * A package's wheel by its direct URL for the stack's Python ({CP} -> cp38), or null where the
 * package comes from an index (matrix/frameworks `wheel`: jaxlib 0.1.x's CUDA wheels, which no
 * index or find-links page lists under a version of their own).
 */
export function wheelUrl(p: Pick<PipPackage, "wheel">, python: string): string | null {
  return p.wheel ? p.wheel.replace("{CP}", `cp${python.replace(".", "")}`) : null;
}

/** One sentence on what was left out and why, for the Dockerfile's comment and `explain`. */
export function leftOutText(b: Build, row: ExtraUnavailable): string {
  const main = b.packages.find((p) => p.extras?.includes(row.extra)) ?? b.packages[0]!;
  return `${main.name}[${row.extra}] ${main.version} cannot be installed from the package index: ${row.why} So ${main.name} and the extra's ${b.cudaWheels.length} nvidia-* wheels are pinned by name, leaving out ${row.leftOut.join(", ")}; ${b.display} loses only ${row.optional}`;
}
