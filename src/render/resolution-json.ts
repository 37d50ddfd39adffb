// The resolution as `resolve --json` prints it and the lock file records it (SPEC §4 contract).
import { majorMinor } from "../matrix/versions.js";
import type { Resolution } from "../resolve/types.js";
import { installOf } from "../resolve/install.js";

export function resolutionJson(res: Resolution) {
  return {
    frameworks: res.builds.map((b) => {
      // The packages as the Dockerfile installs them: an extra the package index cannot install is
      // replaced by its nvidia-* wheels, and the lock says which requirements that left out.
      const install = installOf(b, res.plan.python.version);
      return {
        name: b.framework,
        version: b.version,
        cuda: b.cuda,
        cudnn: b.cudnn,
        default: b.isDefault,
        packages: install.packages.map((p) => ({ name: p.name, version: p.version, ...(p.extras ? { extras: p.extras } : {}) })),
        ...(install.leftOut ? { wheels: install.wheels, extraLeftOut: { extra: install.leftOut.extra, leftOut: install.leftOut.leftOut, source: install.leftOut.source } } : {}),
        ...b.pip,
        // The bare library names its loader dlopens, which the Dockerfile links (matrix/library-compat.yaml).
        ...(b.unversionedNames ? { unversionedNames: b.unversionedNames } : {}),
        // What compiles GPU code when the program runs, for which the image carries CUDA's ptxas (matrix/library-compat.yaml).
        ...(b.runtimeCompiler ? { runtimeCompiler: b.runtimeCompiler } : {}),
        ...(b.hostCompiler ? { hostCompiler: b.hostCompiler } : {}),
      };
    }),
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

/**
 * What `resolve --json` and the default command's `--json` print (SPEC §7): the resolution as the
 * lock records it, plus the platform and the container engine it was made for. The lock keeps these
 * two in its request, so its resolution block stays as it was.
 */
export function resolutionOutputJson(res: Resolution) {
  return {
    ...resolutionJson(res),
    platform: res.request.platform ?? "linux/amd64",
    engine: res.request.engine ?? "docker",
  };
}
