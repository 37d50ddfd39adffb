// missing(): what a host lacks for GPU containers, in order, with the commands for its OS family.
import { describe, expect, it } from "vitest";
import { missing } from "../../src/doctor/missing.js";
import type { DockerFacts, HostFacts, OsFacts } from "../../src/doctor/types.js";

const docker = (d: Partial<DockerFacts>): DockerFacts => ({
  state: "running", serverVersion: "27.5.1", runtimes: ["nvidia", "runc"], defaultRuntime: "runc",
  nvidiaRuntime: true, cdiSpecDirs: [], cdiDevices: [], ...d,
});
const os = (id: string, versionId: string, idLike?: string[]): OsFacts => ({ id, versionId, prettyName: `${id} ${versionId}`, ...(idLike ? { idLike } : {}) });
const READY: HostFacts = {
  driver: "550.54.15", cuda: "12.4", kernelModule: "open", gpus: [{ name: "NVIDIA L4", computeCapability: "8.9" }],
  os: os("ubuntu", "22.04", ["debian"]), docker: docker({}), containerToolkit: { installed: true, version: "1.17.8" },
  podman: { state: "unknown", version: null, rootless: null, selinuxEnabled: null, compose: { provider: null, providerPath: null, podmanCompose: null, installed: null, version: null, honoursCdiDevices: null, expandsEmptyDefaults: null, passesUsernsMode: null } },
  cdi: { checked: false, driver: "550.54.15", specs: [], problems: [] },
  selinux: { mode: null, containerUseDevices: null },
  secureBoot: false, probes: [],
};
const ids = (f: Partial<HostFacts>) => missing({ ...READY, ...f }).map((i) => i.id);

describe("what is missing", () => {
  it.each([
    ["a ready host", {}, []],
    ["no driver", { driver: null }, ["driver"]],
    ["no docker", { docker: docker({ state: "not-installed", nvidiaRuntime: null }) }, ["docker", "docker-nvidia-runtime"]],
    ["docker daemon down", { docker: docker({ state: "not-running", nvidiaRuntime: null }) }, ["docker-daemon"]],
    ["no access to the docker socket", { docker: docker({ state: "permission-denied", nvidiaRuntime: null }) }, ["docker-permission"]],
    ["docker without the nvidia runtime", { docker: docker({ nvidiaRuntime: false }) }, ["docker-nvidia-runtime"]],
    ["no toolkit", { containerToolkit: { installed: false, version: null }, docker: docker({ nvidiaRuntime: false }) }, ["container-toolkit", "docker-nvidia-runtime"]],
    ["docker not probed: nothing claimed", { docker: docker({ state: "unknown", nvidiaRuntime: null }), containerToolkit: { installed: null, version: null } }, []],
    ["a bare host", { driver: null, docker: docker({ state: "not-installed", nvidiaRuntime: null }), containerToolkit: { installed: false, version: null } }, ["driver", "docker", "container-toolkit", "docker-nvidia-runtime"]],
  ] as [string, Partial<HostFacts>, string[]][])("%s", (_what, facts, want) => {
    expect(ids(facts)).toEqual(want);
  });
});

describe("fix commands per OS family", () => {
  const bare = { driver: null, docker: docker({ state: "not-installed" as const, nvidiaRuntime: null }), containerToolkit: { installed: false, version: null } };
  const fixes = (f: Partial<HostFacts>) => Object.fromEntries(missing({ ...READY, ...bare, ...f }).map((i) => [i.id, i.fix]));

  it.each([
    ["ubuntu", os("ubuntu", "24.04", ["debian"]), "ubuntu-drivers install", "download.docker.com/linux/ubuntu", "stable/deb/nvidia-container-toolkit.list"],
    ["pop (ID_LIKE ubuntu)", os("pop", "22.04", ["ubuntu", "debian"]), "ubuntu-drivers install", "download.docker.com/linux/ubuntu", "apt-get install -y nvidia-container-toolkit"],
    ["debian", os("debian", "12"), "install -y linux-headers-$(uname -r) nvidia-driver", "download.docker.com/linux/debian", "apt-get install -y nvidia-container-toolkit"],
    ["rocky 8", os("rocky", "8.10", ["rhel", "centos", "fedora"]), "--set-enabled powertools", "linux/rhel/docker-ce.repo", "stable/rpm/nvidia-container-toolkit.repo"],
    ["oracle linux 9 (ID_LIKE fedora)", os("ol", "9.6", ["fedora"]), "cuda-rhel9.repo", "linux/rhel/docker-ce.repo", "dnf -y install nvidia-container-toolkit"],
    ["rhel 9", os("rhel", "9.4", ["fedora"]), "codeready-builder-for-rhel-9", "linux/rhel/docker-ce.repo", "dnf -y install nvidia-container-toolkit"],
  ])("%s", (_what, o, driver, dockerFix, toolkit) => {
    const f = fixes({ os: o });
    expect(f["driver"]).toContain(driver);
    expect(f["docker"]).toContain(dockerFix);
    expect(f["container-toolkit"]).toContain(toolkit);
    expect(f["docker-nvidia-runtime"]).toBe("sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker");
  });

  it("builds the kernel headers for the running flavour on Oracle Linux (UEK vs RHCK)", () => {
    expect(fixes({ os: os("ol", "8.10"), kernel: "5.15.0-300.163.18.el8uek.x86_64" })["driver"]).toContain("kernel-uek-devel-$(uname -r) oracle-epel-release-el8");
    expect(fixes({ os: os("ol", "8.10"), kernel: "4.18.0-553.el8_10.x86_64" })["driver"]).toContain("kernel-devel-$(uname -r) kernel-headers oracle-epel-release-el8");
  });

  it("falls back to the Ubuntu commands with a pointer to the install guides for other systems", () => {
    const items = missing({ ...READY, ...bare, os: os("fedora", "42") });
    expect(items[0]?.fix).toContain("ubuntu-drivers");
    for (const i of items.filter((i) => i.id !== "docker-nvidia-runtime")) expect(i.hint).toMatch(/Ubuntu commands; for fedora 42 see https:\/\//);
  });

  it("warns about module signing when Secure Boot is on, and points Oracle Linux at the bootstrap script", () => {
    const driver = missing({ ...READY, driver: null, os: os("ol", "9.6"), secureBoot: true })[0]!;
    expect(driver.hint).toContain("mokutil --import");
    expect(driver.hint).toContain("host/bootstrap-oraclelinux.sh --driver-source network");
  });
});

describe("a driver older than the host's GPU (issue 14, class 3: the same facts as --gpu/--driver)", () => {
  it("a B200 on driver 470 is reported with the first driver and its source", async () => {
    const { matrix } = await import("../../src/matrix/data.js");
    const { gpuFloors } = await import("../../src/commands/host-stacks.js");
    const gpus = [{ name: "NVIDIA B200", computeCapability: "10.0" }];
    const items = missing({ ...READY, driver: "470.256.02", gpus }, gpuFloors(matrix, gpus));
    const item = items.find((i) => i.id === "driver-too-old-for-gpu");
    expect(item?.message).toMatch(/^Driver 470\.256\.02 cannot drive the NVIDIA B200: NVIDIA's first driver for it is 570/);
    expect(missing({ ...READY, driver: "580.82.07", gpus }, gpuFloors(matrix, gpus)).map((i) => i.id)).not.toContain("driver-too-old-for-gpu");
  });
});
