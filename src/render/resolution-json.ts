// The resolution as `resolve --json` prints it and the lock file records it (SPEC §4 contract).
import { majorMinor } from "../matrix/versions.js";
import type { Resolution } from "../resolve/types.js";

export function resolutionJson(res: Resolution) {
  return {
    frameworks: res.builds.map((b) => ({
      name: b.framework,
      version: b.version,
      cuda: b.cuda,
      cudnn: b.cudnn,
      default: b.isDefault,
      packages: b.packages.map((p) => ({ name: p.name, version: p.version, ...(p.extras ? { extras: p.extras } : {}) })),
      ...b.pip,
    })),
    cuda: res.cuda,
    cudnn: res.cudnn === null ? null : majorMinor(res.cudnn),
    python: res.plan.python.version,
    os: res.plan.os.name,
    image: res.image,
    /** lifecycle of the nvidia/cuda tag in FROM when the files were made (null: a plain OS image) */
    imageStatus: res.plan.base.image?.status ?? null,
    minDriver: res.minDriver,
    variant: res.request.variant,
    gpus: res.targets.map((t) => ({ name: t.input, computeCapability: t.cc })),
    warnings: res.warnings,
    matrixVersion: res.matrixVersion,
  };
}
