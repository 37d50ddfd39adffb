// The round-2 artifact review (../shared/research/artifact-review-2026-12.md), one test per
// defect, each failing on round 1's output. D1/D4 (apt repository) are in keyring.test.ts, D8/D9
// (cache and UID) in uid-sync.test.ts, D10/D11 against the real Dev Containers CLI in
// devcontainer-cli.test.ts; here they are also checked on the rendered files.
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parse as parseJsonc } from "jsonc-parser";
import { matrix } from "../src/matrix/data.js";
import { driverFloor } from "../src/matrix/lookup.js";
import { compare } from "../src/matrix/versions.js";
import { file, refused, renderFor, resolveFor } from "./support/render.js";
import { goldenCases } from "./support/cases.js";
import type { RawRequest } from "../src/request/parse-request.js";

const dockerfile = (specs: string[], opts: Partial<RawRequest> = {}) => file(renderFor(specs, opts).files, "Dockerfile");
const constraints = (docker: string) => /<<"CONSTRAINTS" \/opt\/venv\/constraints.txt\n([\s\S]*?)\nCONSTRAINTS\n/.exec(docker)![1]!.split("\n");

describe("D2: RPM-family dev targets use NVIDIA's rpm package names", () => {
  it.each(["ubi8", "ubi9", "rockylinux8", "rockylinux9"])("cuda@12.4 --os %s installs cuda-libraries-devel-12-4", (os) => {
    const docker = dockerfile(["cuda@12.4"], { os });
    expect(docker).toContain("cuda-libraries-devel-12-4");
    expect(docker).not.toContain("cuda-libraries-dev-12-4");
  });
  it("Debian-family keeps -dev", () => expect(dockerfile(["cuda@12.4"])).toContain("cuda-libraries-dev-12-4"));
});

describe("D3: wheels that cannot install", () => {
  it("torch 2.7.1+cu118 (manylinux_2_28) is never put on Ubuntu 18.04 (glibc 2.27)", () => {
    const res = resolveFor(["torch@2.7.1"], { cuda: "11.8" });
    expect(compare(res.plan.os.glibc, "2.28")).toBeGreaterThanOrEqual(0);
    const [p] = refused(["torch@2.7.1"], { cuda: "11.8", os: "ubuntu18.04" });
    expect(p!.message).toContain("ubuntu18.04 has glibc 2.27, and the torch 2.7.1+cu118 wheels are manylinux_2_28");
  });
  it("torch 2.7.1 with TensorFlow 2.13.0 is refused, naming both typing-extensions bounds", () => {
    const [p] = refused(["torch@2.7.1", "tensorflow@2.13.0"]);
    expect(p!.code).toBe("conflict");
    expect(p!.message).toContain("requires typing-extensions>=4.10.0");
    expect(p!.message).toContain("requires typing-extensions>=3.6.6,<4.6.0");
  });
});

describe("D5–D7: companion caps are installed and constrained", () => {
  it.each([
    ["tensorflow@1.15", ["protobuf<3.20", "numpy<2"]],
    ["jax@0.4.13", ["nvidia-cudnn-cu12<9", "numpy<2"]],
    ["torch@1.9.0", ["numpy<2"]],
    ["torch@1.13.1", ["numpy<2"]],
  ])("%s", (spec, caps) => {
    const docker = dockerfile([spec]);
    for (const cap of caps) {
      expect(constraints(docker)).toContain(cap);
      expect(docker).toContain(`'${cap}'`);
    }
  });
  it("a newer release gets no cap it does not need", () => expect(constraints(dockerfile(["torch@2.5.1"]))).not.toContain("numpy<2"));
});

describe("D8: the compose cache volume mounts on a folder the image has, owned by the user", () => {
  it.each(goldenCases().map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { files } = renderFor(c.specs, c.opts);
    const compose = parseYaml(file(files, "docker-compose.yml")) as { services: Record<string, { volumes?: string[] }> };
    const mounts = Object.values(compose.services).flatMap((s) => s.volumes ?? []).filter((v) => v.startsWith("package-cache:"));
    expect(mounts.length).toBeGreaterThan(0);
    for (const m of mounts) expect(file(files, "Dockerfile")).toMatch(new RegExp(`install -d -m 2775 -o "\\$\\{USER_UID\\}" -g venv [^\\n]*${m.split(":")[1]!.replace(/\//g, "\\/")}`));
  });
});

describe("D9: compose builds with the caller's UID and GID", () => {
  it("every service passes USER_UID/USER_GID through, defaulting to 1000", () => {
    const compose = parseYaml(file(renderFor(["torch@2.5.1"]).files, "docker-compose.yml")) as { services: Record<string, { build: { args: Record<string, string> } }> };
    // (The other build arguments are the sources, test/mirror-render.test.ts.)
    for (const s of Object.values(compose.services)) expect(s.build.args).toMatchObject({ USER_UID: "${USER_UID:-1000}", USER_GID: "${USER_GID:-1000}" });
  });
});

describe("D10/D11: the Dev Container asks for GPUs exactly once", () => {
  const config = (gpus: string) => parseJsonc(file(renderFor(["torch@2.5.1"], { gpus }).files, ".devcontainer/devcontainer.json")) as { runArgs: string[]; hostRequirements?: { gpu: unknown } };
  it.each([
    ["all", [], true],
    ["2", ["--gpus=2"], undefined],
    ["0,1", ['--gpus="device=0,1"'], undefined],
    ["0", ['--gpus="device=0"'], undefined],
    ["none", [], undefined],
  ])("--gpus %s", (gpus, gpuArgs, hostGpu) => {
    const c = config(gpus as string);
    expect(c.runArgs.filter((a) => a.startsWith("--gpus"))).toEqual(gpuArgs);
    expect(c.hostRequirements?.gpu).toBe(hostGpu);
  });
  it("--gpus none: gpu-check reports CPU mode instead of failing, and the files say no GPU is attached", () => {
    const { files } = renderFor(["torch@2.5.1"], { gpus: "none" });
    expect(file(files, "Dockerfile")).toContain("GPU_OPTIONAL = True");
    expect(file(files, ".devcontainer/devcontainer.json")).toContain("No GPU is attached, even on a host that has one");
    expect(file(files, "docker-compose.yml")).toContain("get no\n# GPU even where the host has one");
  });
});

describe("D12: the host script's check image never asks for a newer driver than the stack", () => {
  it.each(goldenCases().map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { res, files } = renderFor(c.specs, c.opts);
    const image = /^readonly VERIFY_IMAGE='([^']+)'/m.exec(file(files, "host/bootstrap-oraclelinux.sh"))![1]!;
    const cuda = /^nvidia\/cuda:([0-9.]+)-/.exec(image)?.[1];
    if (cuda) expect(compare(driverFloor(matrix, cuda)!, res.minDriver)).toBeLessThanOrEqual(0);
    else expect(image).toMatch(/^ubuntu:/);
  });
  it("torch 1.9.0 (driver 440.33) is checked without a CUDA 11.4 image", () => {
    expect(file(renderFor(["torch@1.9.0"]).files, "host/bootstrap-oraclelinux.sh")).toContain("readonly VERIFY_IMAGE='ubuntu:18.04'");
  });
});

describe("D13: framework wheels from their per-CUDA index, everything else from the package index", () => {
  it.each(goldenCases().map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { res, files } = renderFor(c.specs, c.opts);
    const docker = file(files, "Dockerfile");
    expect(docker).not.toContain("torch_stable.html");
    // Only a lone build whose wheels carry no tag of their own, and which the package index does
    // not serve, takes its index alone (Paddle's per-CUDA indexes, as Paddle's own command does).
    const untagged = res.builds.length === 1 && !res.builds[0]!.isDefault && !/\+|\.post[0-9]/.test(res.builds[0]!.packages[0]?.version ?? "");
    if (!untagged) expect(docker).not.toMatch(/--index-url /);
    if (docker.includes("uv pip install --extra-index-url")) expect(docker).toContain("--index-strategy unsafe-best-match");
  });
  // Each index under its build argument (PYTORCH_WHEELS), whose default is the public host.
  it("torch 1.9.0 uses the cu102 index", () => expect(dockerfile(["torch@1.9.0"])).toContain('--extra-index-url "${PYTORCH_WHEELS:-https://download.pytorch.org/whl}/cu102" --index-strategy unsafe-best-match'));
  it("an untagged build that the package index also has under the same version uses its own index alone", () => {
    expect(dockerfile(["torch@1.0.0"], { cuda: "10.0" })).toContain('uv pip install --index-url "${PYTORCH_WHEELS:-https://download.pytorch.org/whl}/cu100"');
  });
});

describe("D14: hygiene", () => {
  const compose = parseYaml(file(renderFor(["torch@2.5.1"]).files, "docker-compose.yml")) as { services: Record<string, { image: string; init?: boolean }> };
  it("every service runs an init process", () => {
    for (const s of Object.values(compose.services)) expect(s.init).toBe(true);
  });
  it("every service has its own image tag", () => {
    const tags = Object.values(compose.services).map((s) => s.image);
    expect(new Set(tags).size).toBe(tags.length);
  });
});
