// The non-nvidia-smi parsers: kernel module, nvcc, uname, os-release, docker info, nvidia-ctk,
// mokutil — real-world texts, failures, empty input and garbage.
import { describe, expect, it } from "vitest";
import { parseDockerInfo } from "../../src/doctor/parse-docker-info.js";
import { parseMokutil } from "../../src/doctor/parse-mokutil.js";
import { parseNvcc } from "../../src/doctor/parse-nvcc.js";
import { parseNvidiaCtk } from "../../src/doctor/parse-nvidia-ctk.js";
import { parseOsRelease } from "../../src/doctor/parse-os-release.js";
import { parseProcVersion } from "../../src/doctor/parse-proc-version.js";
import { parseUname } from "../../src/doctor/parse-uname.js";

const NOTHING = ["", "\n\n", "garbage ¯\\_(ツ)_/¯ {not json", "\u0000\u0001"];

describe.each([
  ["proc version", parseProcVersion],
  ["nvcc", parseNvcc],
  ["uname", parseUname],
  ["os-release", parseOsRelease],
  ["docker info", parseDockerInfo],
  ["nvidia-ctk", parseNvidiaCtk],
  ["mokutil", parseMokutil],
] as const)("%s on unusable input", (_name, parse) => {
  it.each(NOTHING.map((t) => [JSON.stringify(t), t]))("%s → nothing", (_label, text) => {
    expect(parse(text)).toEqual({});
  });
});

describe("/proc/driver/nvidia/version", () => {
  it.each([
    ["NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  535.104.05  Release Build  (dvs-builder@U16-I3-B03-4-3)  Sat Aug 19 01:13:28 UTC 2023\nGCC version:  gcc version 11.4.0 (Ubuntu 11.4.0-1ubuntu1~22.04)\n",
      { driver: "535.104.05", kernelModule: "open" }],
    ["NVRM version: NVIDIA UNIX x86_64 Kernel Module  470.82.01  Wed Oct 13 01:31:01 UTC 2021\n", { driver: "470.82.01", kernelModule: "proprietary" }],
    ["NVRM version: NVIDIA UNIX Open Kernel Module for aarch64  570.133.20  Release Build  (dvs-builder@U16-I1-N08-03-1)\n", { driver: "570.133.20", kernelModule: "open" }],
    ["NVRM version: NVIDIA UNIX aarch64 Kernel Module  550.54.15  Tue Mar  5 22:15:33 UTC 2024\n", { driver: "550.54.15", kernelModule: "proprietary" }],
    ["cat: /proc/driver/nvidia/version: No such file or directory\n", { error: expect.stringContaining("not loaded") }],
  ])("%#", (text, want) => {
    expect(parseProcVersion(text)).toEqual(want);
  });
});

describe("nvcc, uname, nvidia-ctk, mokutil", () => {
  it.each([
    [parseNvcc, "Cuda compilation tools, release 11.8, V11.8.89\n", { version: "11.8.89" }],
    [parseNvcc, "/bin/sh: 1: nvcc: not found\n", { error: "nvcc: command not found" }],
    [parseUname, "5.15.0-1063-aws\n", { kernel: "5.15.0-1063-aws" }],
    [parseUname, "6.12.0-100.28.2.2.el9uek.x86_64", { kernel: "6.12.0-100.28.2.2.el9uek.x86_64" }],
    [parseUname, "Linux\n", {}],
    [parseNvidiaCtk, "NVIDIA Container Toolkit CLI version 1.17.8\ncommit: f202b80a9b9d0db00d9b1d73c0128c8962c55f4d\n", { installed: true, version: "1.17.8" }],
    [parseNvidiaCtk, "NVIDIA Container Toolkit CLI version 1.14.0-rc.2\n", { installed: true, version: "1.14.0-rc.2" }],
    [parseNvidiaCtk, "bash: nvidia-ctk: command not found\n", { installed: false }],
    [parseMokutil, "SecureBoot enabled\n", { secureBoot: true }],
    [parseMokutil, "SecureBoot disabled\nPlatform is in Setup Mode\n", { secureBoot: false }],
    [parseMokutil, "EFI variables are not supported on this system\n", { secureBoot: false }],
    [parseMokutil, "This system doesn't support Secure Boot\n", { secureBoot: false }],
    [parseMokutil, "bash: mokutil: command not found\n", {}],
  ] as [(t: string) => object, string, object][])("%#", (parse, text, want) => {
    expect(parse(text)).toEqual(want);
  });
});

describe("os-release", () => {
  it.each([
    ['ID="ol"\nVERSION_ID="9.6"\nPRETTY_NAME="Oracle Linux Server 9.6"\nID_LIKE="fedora"\n', { id: "ol", versionId: "9.6", prettyName: "Oracle Linux Server 9.6", idLike: ["fedora"] }],
    ["ID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"24.04\"\nVERSION_CODENAME=noble\n# a comment\n", { id: "ubuntu", idLike: ["debian"], versionId: "24.04", versionCodename: "noble" }],
    ["PRETTY_NAME='Quoted \"odd\" name'\nID=arch\n", { id: "arch", prettyName: 'Quoted "odd" name' }],
    ['PRETTY_NAME="Escaped \\"name\\" \\$HOME"\n', { prettyName: 'Escaped "name" $HOME' }],
    ["VERSION_ID=\nID=\"\"\n", {}],
  ])("%#", (text, want) => {
    expect(parseOsRelease(text)).toEqual(want);
  });
});

describe("docker info", () => {
  const running = {
    ServerVersion: "27.5.1",
    Runtimes: { runc: { path: "runc" }, nvidia: { path: "nvidia-container-runtime" }, "io.containerd.runc.v2": { path: "runc" } },
    DefaultRuntime: "nvidia",
    CDISpecDirs: ["/etc/cdi", "/var/run/cdi"],
    DiscoveredDevices: [{ Source: "cdi", ID: "nvidia.com/gpu=0" }, { Source: "other", ID: "x" }, { Source: "cdi" }],
  };

  it("a running daemon: runtimes, default runtime, CDI dirs and CDI devices", () => {
    expect(parseDockerInfo(JSON.stringify(running))).toEqual({
      state: "running", serverVersion: "27.5.1", runtimes: ["io.containerd.runc.v2", "nvidia", "runc"],
      defaultRuntime: "nvidia", nvidiaRuntime: true, cdiSpecDirs: ["/etc/cdi", "/var/run/cdi"], cdiDevices: ["nvidia.com/gpu=0"],
    });
  });

  it.each([
    ["without the nvidia runtime, before CDI (Docker 24)", { ServerVersion: "24.0.7", Runtimes: { runc: {} } }, { nvidiaRuntime: false, cdiSpecDirs: [], cdiDevices: [] }],
    ["Runtimes null", { ServerVersion: "25.0.3", Runtimes: null }, { runtimes: [], nvidiaRuntime: false }],
    ["a warning printed before the JSON", null, { state: "running", serverVersion: "27.5.1" }],
  ])("%s", (_what, info, want) => {
    const text = info ? JSON.stringify(info) : `WARNING: bridge-nf-call-iptables is disabled\n${JSON.stringify(running)}`;
    expect(parseDockerInfo(text)).toMatchObject(want);
  });

  it.each([
    ['{"ServerErrors":["Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"],"ClientInfo":{"Debug":false}}', "not-running"],
    ['{"ID":"","ServerVersion":"","Runtimes":null,"ClientInfo":{"Version":"28.2.2"}}\nCannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n', "not-running"],
    ['{"ServerErrors":["permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock"]}', "permission-denied"],
    ["permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.47/info\": dial unix /var/run/docker.sock: connect: permission denied\n", "permission-denied"],
    ["Command 'docker' not found, but can be installed with:\n\nsudo snap install docker\n", "not-installed"],
    ["-bash: docker: command not found\n", "not-installed"],
    ['{"ServerVersion":"","ServerErrors":["something else broke"]}', "unknown"],
  ])("failure %#", (text, state) => {
    const r = parseDockerInfo(text);
    expect(r.state).toBe(state);
    expect(r.error).toBeTruthy();
    expect(r.nvidiaRuntime).toBeUndefined();
  });
});
