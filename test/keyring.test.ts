// Review D1/D4: adding NVIDIA's apt repository in the Dockerfile must work on every kind of image
// it meets — NVIDIA's images that carry cuda-keyring 1.1 or 1.0 (the keyring's list is never
// deleted: dpkg -i would not bring it back), images whose Dockerfile wrote cuda.list itself, and
// plain OS images — and cuDNN from the retired machine-learning repository comes as one checked
// file, never as an apt source signed with the retired key. Runs the generated RUN steps against
// simulated images (test/support/apt-sandbox.sh); a negative control runs round 1's step.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { file, renderFor } from "./support/render.js";
import { runSteps } from "./support/dockerfile.js";

const canSandbox = process.getuid?.() === 0 && spawnSync("unshare", ["-m", "true"]).status === 0;
if (!canSandbox) console.warn("keyring: skipped (needs root and unshare)");

function sandbox(image: string, script: string): { code: number | null; out: string } {
  const f = join(mkdtempSync(join(tmpdir(), "apt-")), "step.sh");
  writeFileSync(f, script);
  const r = spawnSync("bash", ["test/support/apt-sandbox.sh", image, f], { encoding: "utf8" });
  return { code: r.status, out: r.stdout + r.stderr };
}

const nvidiaStep = (specs: string[], stage: string, opts = {}) =>
  runSteps(file(renderFor(specs, opts).files, "Dockerfile")).find((s) => s.stage === stage && s.shell.includes("cuda-keyring"))!.shell;

// Round 1's dev step for torch@2.5.1 on nvidia/cuda:12.4.1-base-ubuntu22.04.
const ROUND1_DEV = `rm -f /etc/apt/apt.conf.d/docker-clean /etc/apt/sources.list.d/cuda*.list /etc/apt/sources.list.d/nvidia-ml*.list \\
 && apt-get update \\
 && apt-get install -y --no-install-recommends ca-certificates build-essential git \\
 && dpkg -i /tmp/cuda-keyring.deb \\
 && rm /tmp/cuda-keyring.deb \\
 && apt-get update \\
 && apt-get install -y --no-install-recommends cuda-nvcc-12-4 cuda-libraries-dev-12-4 \\
 && rm -rf /var/lib/apt/lists/*`;

describe.skipIf(!canSandbox)("NVIDIA's apt repository on every kind of image", () => {
  const dev = nvidiaStep(["torch@2.5.1"], "dev");

  it.each([
    ["keyring-1.1", "NVIDIA's image with cuda-keyring 1.1: left alone", false],
    ["keyring-1.0", "NVIDIA's image with cuda-keyring 1.0: upgraded in place", true],
    ["apt-key-list", "an image whose Dockerfile wrote cuda.list: replaced by the keyring", true],
    ["plain", "a plain OS image: the keyring is installed", true],
  ])("%s — %s", (image, _what, installs) => {
    const r = sandbox(image, dev);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("apt-get install -y --no-install-recommends cuda-nvcc-12-4 cuda-libraries-dev-12-4");
    expect(r.out.includes("dpkg -i /tmp/cuda-keyring.deb")).toBe(installs);
    expect(r.out).toContain("list cuda-ubuntu2204-x86_64.list");
    expect(r.out).not.toContain("list cuda.list");
  });

  it("negative control: round 1's step deletes the keyring's list and nvcc cannot be found", () => {
    const r = sandbox("keyring-1.1", ROUND1_DEV);
    expect(r.out).toContain("E: Unable to locate package cuda-nvcc-12-4");
    expect(r.code).not.toBe(0);
  });

  // The base stage of a jax build on the system CUDA adds nvcc's package (ptxas, libdevice) to
  // NVIDIA's runtime image (matrix/library-compat.yaml runtimeCompiler), through the same steps.
  it.each(["keyring-1.1", "keyring-1.0", "apt-key-list"])("jax@0.4.7's base stage, which adds nvcc's package to NVIDIA's runtime image, on %s", (image) => {
    const base = nvidiaStep(["jax@0.4.7"], "base");
    const r = sandbox(image, base);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("apt-get install -y --no-install-recommends cuda-nvcc-11-8");
    expect(r.out).toContain("list cuda-ubuntu2204-x86_64.list");
    expect(r.out).not.toContain("list cuda.list");
  });

  it("TensorFlow 1.15: cuDNN and NCCL are downloaded files, and no apt source names the machine-learning repository", () => {
    const docker = file(renderFor(["tensorflow@1.15"]).files, "Dockerfile");
    expect(docker).not.toMatch(/machine-learning\/repos\/\S+ \/"? >/);
    expect(docker).toMatch(/^ADD .*machine-learning\/repos\}?\/ubuntu1804\/x86_64\/libcudnn7_[0-9.]+-1\+cuda10\.0_amd64\.deb \/tmp\/nvidia-ml\//m);
    const r = sandbox("plain", nvidiaStep(["tensorflow@1.15"], "base"));
    expect(r.code, r.out).toBe(0);
    // What nvidia/cuda:10.0-runtime-ubuntu18.04 installs (matrix/nvidia-packages.yaml runtimeImages), its NCCL from the machine-learning repository too.
    expect(r.out).toMatch(/apt-get install -y --no-install-recommends cuda-libraries-10-0=10\.0\.130-1 .*cuda-nvtx-10-0=10\.0\.130-1 .*\/tmp\/nvidia-ml\/libnccl2_2\.6\.4-1\+cuda10\.0_amd64\.deb \/tmp\/nvidia-ml\/libcudnn7_/);
    expect(r.out).not.toContain("list nvidia-ml.list");
  });

  it.skipIf(spawnSync("dpkg-query", ["--version"]).status !== 0)("the stand-in dpkg-query answers the generated query in real dpkg-query's format", () => {
    const query = /dpkg-query -W -f='([^']+)' cuda-keyring/.exec(dev)![1]!;
    const real = spawnSync("dpkg-query", ["-W", `-f=${query}`, "dpkg"], { encoding: "utf8" }).stdout;
    expect(real).toMatch(/^ii [0-9][^ ]*$/);
    expect(spawnSync("dpkg-query", ["-W", `-f=${query}`, "no-such-package-cs"], { encoding: "utf8" }).status).not.toBe(0);
  });

  it("a checksum is pinned wherever the data records one", () => {
    const docker = file(renderFor(["torch@2.5.1"]).files, "Dockerfile");
    // The repository's base is the CUDA_REPO_BASE build argument (a mirror may serve it; the checksum still holds).
    expect(docker).toContain("ADD --checksum=sha256:d93190d50b98ad4699ff40f4f7af50f16a76dac3bb8da1eaaf366d47898ff8df ${CUDA_REPO_BASE:-https://developer.download.nvidia.com/compute/cuda/repos}/ubuntu2204/x86_64/cuda-keyring_1.1-1_all.deb");
  });
});
