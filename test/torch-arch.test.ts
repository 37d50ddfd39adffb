// TORCH_CUDA_ARCH_LIST in the dev stage (src/render/views.ts torchArchList; matrix/platform.yaml
// torchCudaArchList): `docker build` sees no GPU, so extensions built there would target none.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { matrix } from "../src/matrix/data.js";
import { torchArchList } from "../src/render/views.js";
import { file, renderFor } from "./support/render.js";
import type { RawRequest } from "../src/request/parse-request.js";

const list = (specs: string[], opts: Partial<RawRequest> = {}) => torchArchList(renderFor(specs, opts).res, matrix)?.value ?? null;

describe("TORCH_CUDA_ARCH_LIST for the dev stage", () => {
  it.each([
    // spec, --gpu, expected: the build's own capabilities (torch 2.5.1+cu124: 5.0 … 9.0)
    ["torch@2.5.1", undefined, "5.0;6.0;7.0;7.5;8.0;8.6;9.0+PTX"],
    ["torch@2.5.1", "a100,h100", "8.0;9.0"],
    ["torch@2.5.1", "h100,a100,h100", "8.0;9.0"],
    // an L4 (8.9) is not in the build's list: the nearest lower capability with PTX, as torch runs it
    ["torch@2.5.1", "l4", "8.6+PTX"],
    ["torch@2.5.1", "a10,l4", "8.6+PTX"],
    ["torch@1.9.0", undefined, "3.7;5.0;6.0;7.0+PTX"],
    ["torch@1.9.0", "v100", "7.0"],
  ] as const)("%s --gpu %s: %s", (spec, gpu, expected) => {
    expect(list([spec], gpu ? { gpu } : {})).toBe(expected);
  });

  it("is absent without torch (JAX, TensorFlow, a bare CUDA)", () => {
    expect(list(["jax"])).toBeNull();
    expect(list(["tensorflow"])).toBeNull();
    expect(list(["cuda@12.4"])).toBeNull();
  });

  it("is written once, in the dev stage only, with the variable's name from the data", () => {
    const dockerfile = file(renderFor(["torch@2.5.1"], { gpu: "a100,h100" }).files, "Dockerfile");
    expect(dockerfile.match(/TORCH_CUDA_ARCH_LIST="/g)).toHaveLength(1);
    const [before, dev] = dockerfile.split(/^FROM base AS dev$/m);
    expect(before).not.toContain("TORCH_CUDA_ARCH_LIST");
    expect(dev!.split(/^FROM /m)[0]).toContain(`ENV ${matrix.platform.tools.torchCudaArchList!.value}="8.0;9.0"`);
  });
});

// A record of a real GPU run (fixtures/torch-arch/README.md): extensions built with no GPU visible.
describe("record of a real GPU run (fixtures/torch-arch/h200-torch-2.11.json)", () => {
  const record = JSON.parse(readFileSync(join(import.meta.dirname, "../fixtures/torch-arch/h200-torch-2.11.json"), "utf8")) as {
    torch: string;
    device_cc: number[];
    builds: Record<string, { build: string; run: string }>;
  };

  it("was run with the torch release and the GPU it is compared with", () => {
    expect(record.torch).toMatch(/^2\.11\.0\+/);
    expect(record.device_cc).toEqual([9, 0]);
    for (const b of Object.values(record.builds)) expect(b.build).toBe("BUILT False");
  });

  it.each([
    ["torch@2.11.0", undefined],
    ["torch@2.11.0", "h200"],
  ] as const)("the list the dev stage of %s --gpu %s sets built and ran there", (spec, gpu) => {
    const value = list([spec], gpu ? { gpu } : {});
    expect(value).not.toBeNull();
    expect(record.builds[value!], `${value} is not in the record: run fixtures/torch-arch/extension-check.py on a GPU again`).toBeDefined();
    expect(record.builds[value!]!.run).toMatch(/^RAN /);
  });

  it("an extension built for another GPU's capability has no kernel for the H200, and PTX from a lower one runs", () => {
    expect(record.builds["8.0"]!.run).toContain("no kernel image is available for execution on the device");
    expect(record.builds["8.6+PTX"]!.run).toMatch(/^RAN /);
  });
});
