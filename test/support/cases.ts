// The rendered stacks the golden and validation tests cover.
import { matrix } from "../../src/matrix/data.js";
import { FRAMEWORK_NAMES } from "../../src/matrix/lookup.js";
import { newestFirst } from "../../src/matrix/versions.js";
import type { RawRequest } from "../../src/request/parse-request.js";

export interface Case {
  name: string;
  specs: string[];
  opts?: Partial<RawRequest>;
}

/** The newest release the resolver would pick by default (an unverified release is picked only when named exactly). */
const newest = (fw: (typeof FRAMEWORK_NAMES)[number]): string => [...matrix.frameworks[fw]!.releases].filter((r) => r.verified !== false).map((r) => r.version).sort(newestFirst)[0]!;

/** Golden files are kept for these, compared byte for byte. */
export function goldenCases(): Case[] {
  const cases: Case[] = [
    { name: "torch-1.9.0", specs: ["torch@1.9.0"] },
    { name: "torch-1.13.1", specs: ["torch@1.13.1"] },
    { name: "torch-2.5.1", specs: ["torch@2.5.1"] },
    { name: "torch-newest", specs: [`torch@${newest("torch")}`] },
    { name: "torch-1.9.0-a100-requirements", specs: ["torch@1.9.0"], opts: { gpu: "a100", gpus: "0,1", project: { requirements: true, pyproject: true } } },
    { name: "torch-1.9.0-gpuless", specs: ["torch@1.9.0"], opts: { gpus: "none" } },
    { name: "tensorflow-1.15", specs: ["tensorflow@1.15"] },
    { name: "tensorflow-2.5", specs: ["tensorflow@2.5"] },
    { name: "tensorflow-newest", specs: [`tensorflow@${newest("tensorflow")}`] },
    { name: "jax-newest", specs: [`jax@${newest("jax")}`] },
    { name: "paddle-newest", specs: [`paddle@${newest("paddle")}`] },
    // Paddle 2.x loads the system CUDA by bare library names, linked in the base stage; 2.4.2 is on the plain OS image with NVIDIA's packages.
    { name: "paddle-2.4.2", specs: ["paddle@2.4.2"] },
    // Builds that load the system CUDA and compile GPU code when they run (XLA) get nvcc's package,
    // with ptxas and libdevice, in the base stage: on NVIDIA's runtime image, and on a plain OS image.
    // TensorFlow 2.13 (cuDNN 8.6) also runs on the later cuDNN 8.9 of the 11.8 image (a cuDNN floor).
    { name: "jax-0.3.25", specs: ["jax@0.3.25"] },
    { name: "tensorflow-2.13", specs: ["tensorflow@2.13"] },
    { name: "jax-0.2.17-cuda-10.2", specs: ["jax@0.2.17"], opts: { cuda: "10.2" } },
    { name: "cuda-12.4", specs: ["cuda@12.4"] },
    { name: "cuda-12.4-ubi9-devel", specs: ["cuda@12.4"], opts: { os: "ubi9", variant: "devel" } },
  ];
  return cases;
}

/** A spread over frameworks, CUDA versions, OSes and variants, derived from the data. */
export function sweepCases(): Case[] {
  const cases: Case[] = [];
  for (const fw of FRAMEWORK_NAMES) {
    const releases = [...(matrix.frameworks[fw]?.releases ?? [])].sort((a, b) => newestFirst(a.version, b.version));
    const picks = [0, Math.floor(releases.length / 4), Math.floor(releases.length / 2), Math.floor((3 * releases.length) / 4), releases.length - 1];
    for (const i of [...new Set(picks)]) {
      const r = releases[i];
      if (r) cases.push({ name: `${fw}@${r.version}`, specs: [`${fw}@${r.version}`] });
    }
  }
  for (const tk of matrix.cuda.toolkits) cases.push({ name: `cuda@${tk.version}`, specs: [`cuda@${tk.version}`] });
  for (const os of ["ubuntu20.04", "ubuntu22.04", "ubuntu24.04", "ubi8", "ubi9", "rockylinux9"]) {
    cases.push({ name: `cuda@12 on ${os}`, specs: ["cuda@12"], opts: { os } });
    cases.push({ name: `cuda@12 on ${os} devel`, specs: ["cuda@12"], opts: { os, variant: "devel" } });
  }
  cases.push({ name: "torch newest base variant", specs: ["torch"], opts: { variant: "base" } });
  cases.push({ name: "torch newest devel variant", specs: ["torch"], opts: { variant: "devel" } });
  return cases;
}
