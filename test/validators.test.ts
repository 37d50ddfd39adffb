// Negative controls: each validator the artifact tests rely on does reject a broken file.
import { describe, expect, it } from "vitest";
import { hasShared } from "./support/shared.js";
import { composeProblems, devcontainerProblems, dockerfileProblems, hasShellcheck, shellcheckProblems } from "./support/validators.js";

describe("validators reject what they should", () => {
  it("Dockerfile linter: unknown instruction and FROM without an image", () => {
    expect(dockerfileProblems("FROM ubuntu:22.04\nRUNN echo hi\n").length).toBeGreaterThan(0);
    expect(dockerfileProblems("FROM\n").length).toBeGreaterThan(0);
    expect(dockerfileProblems("FROM ubuntu:22.04\nRUN echo hi\n")).toEqual([]);
  });

  it.skipIf(!hasShared)("compose: schema errors and the GPU rules no schema states", () => {
    const gpu = (device: string) => `services:\n  a:\n    image: x\n    deploy:\n      resources:\n        reservations:\n          devices:\n${device}`;
    expect(composeProblems(gpu("            - driver: nvidia\n              count: all\n              capabilities: [gpu]\n"))).toEqual([]);
    expect(composeProblems(gpu("            - driver: nvidia\n              count: 1\n              device_ids: ['0']\n              capabilities: [gpu]\n"))).toContain("a: count and device_ids together");
    expect(composeProblems(gpu("            - driver: nvidia\n              count: 1.5\n              capabilities: [gpu]\n")).length).toBeGreaterThan(0);
    expect(composeProblems(gpu("            - driver: nvidia\n              count: 1\n              capabilities: [compute]\n"))).toContain("a: capabilities lacks gpu");
    expect(composeProblems("services:\n  a:\n    image: x\n    shm_size: [1]\n").length).toBeGreaterThan(0);
  });

  it.skipIf(!hasShared)("devcontainer: schema errors and JSONC syntax", () => {
    expect(devcontainerProblems('// c\n{ "image": "x", "runArgs": ["--gpus=all"] }')).toEqual([]);
    expect(devcontainerProblems('{ "image": "x", "runArgs": "--gpus all" }').length).toBeGreaterThan(0);
    expect(devcontainerProblems('{ "image": "x", "hostRequirements": { "gpu": "required" } }').length).toBeGreaterThan(0);
    expect(devcontainerProblems('{ "image": "x", }').length).toBeGreaterThan(0);
  });

  it.skipIf(!hasShellcheck)("shellcheck", () => {
    expect(shellcheckProblems("#!/usr/bin/env bash\necho $1\n").length).toBeGreaterThan(0);
    expect(shellcheckProblems('#!/usr/bin/env bash\necho "$1"\n')).toEqual([]);
  });
});
