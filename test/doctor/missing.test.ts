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

describe("a driver newer than the last branch of the host's GPU (matrix/platform.yaml lastDriverBranch)", () => {
  it.each([
    ["Tesla V100-SXM2-32GB", "Volta", "590.48.01", "580"],
    ["Tesla P100-PCIE-16GB", "Pascal", "595.12.01", "580"],
    ["Tesla K80", "Kepler", "535.247.01", "470"],
  ])("%s (%s) on %s is reported with R%s, its source and the command for the OS family", async (name, architecture, driver, branch) => {
    const { matrix } = await import("../../src/matrix/data.js");
    const { gpuCeilings } = await import("../../src/commands/host-stacks.js");
    const gpus = [{ name, computeCapability: null }];
    const ceilings = gpuCeilings(matrix, gpus);
    const item = missing({ ...READY, driver, gpus }, [], ceilings).find((i) => i.id === "driver-too-new-for-gpu");
    expect(item?.message).toBe(`Driver ${driver} cannot drive the ${name}: R${branch} is NVIDIA's last driver branch for ${architecture} GPUs (${ceilings[0]!.source}).`);
    expect(ceilings[0]!.source).toMatch(/^https:\/\//);
    expect(item?.hint).toContain(`--driver ${branch}`);
    const ol = missing({ ...READY, driver, gpus, os: { id: "ol", versionId: "9.4", prettyName: "Oracle Linux Server 9.4" } as never }, [], ceilings).find((i) => i.id === "driver-too-new-for-gpu");
    expect(ol?.fix).toContain(`nvidia-driver:${branch}-dkms`);
  });
  it("with no driver yet, a V100 host on Oracle Linux is given the 580 proprietary stream, not the open modules", async () => {
    const { matrix } = await import("../../src/matrix/data.js");
    const { gpuCeilings } = await import("../../src/commands/host-stacks.js");
    const gpus = [{ name: "Tesla V100-SXM2-32GB", computeCapability: null }];
    const os = { id: "ol", versionId: "9.4", prettyName: "Oracle Linux Server 9.4" } as never;
    const item = missing({ ...READY, driver: null, gpus, os }, [], gpuCeilings(matrix, gpus)).find((i) => i.id === "driver");
    expect(item?.fix).toContain("sudo dnf -y module enable nvidia-driver:580-dkms");
    expect(item?.fix).not.toMatch(/open-dkms|nvidia-open/);
    expect(item?.hint).toContain("R580 is NVIDIA's last driver branch for Volta GPUs");
  });
  it("the last branch itself, an older driver and a newer GPU are not reported", async () => {
    const { matrix } = await import("../../src/matrix/data.js");
    const { gpuCeilings } = await import("../../src/commands/host-stacks.js");
    const v100 = [{ name: "Tesla V100-SXM2-32GB", computeCapability: null }];
    for (const driver of ["580.126.09", "535.247.01"]) expect(missing({ ...READY, driver, gpus: v100 }, [], gpuCeilings(matrix, v100)).map((i) => i.id)).not.toContain("driver-too-new-for-gpu");
    const t4 = [{ name: "Tesla T4", computeCapability: null }];
    expect(gpuCeilings(matrix, t4)).toEqual([]);
  });
});

// An NVSwitch board's GPUs report their fabric "In Progress" until NVIDIA Fabric Manager of the
// driver's version runs (matrix/platform.yaml fabricStateReady, fabricManager*): CUDA fails with 802.
describe("NVLink fabric not ready (fabric-manager)", () => {
  const OL = { id: "ol", versionId: "9.6", prettyName: "Oracle Linux Server 9.6" } as OsFacts;
  const h200 = (fabricState?: string) => ({ name: "NVIDIA H200", computeCapability: "9.0", ...(fabricState ? { fabricState } : {}) });
  const item = (f: Partial<HostFacts>) => missing({ ...READY, os: OL, ...f }).find((i) => i.id === "fabric-manager");

  it.each([
    ["R580 and later: nvidia-fabricmanager of the driver's version", "580.95.05", "sudo dnf -y install nvidia-fabricmanager-580.95.05 && sudo systemctl enable --now nvidia-fabricmanager"],
    ["before R580: nvidia-fabric-manager", "570.172.08", "sudo dnf -y install nvidia-fabric-manager-570.172.08 && sudo systemctl enable --now nvidia-fabricmanager"],
  ])("%s", (_what, driver, fix) => {
    const i = item({ driver, gpus: Array.from({ length: 8 }, () => h200("In Progress")) });
    expect(i?.fix).toBe(fix);
    expect(i?.message).toMatch(/^8 of 8 GPUs report their NVLink fabric as "In Progress", not "Completed" \(https:\/\/\S+\): on an NVSwitch board CUDA fails with error 802/);
  });

  it("names every state that is not ready, once", () => {
    expect(item({ driver: "580.95.05", gpus: [h200("In Progress"), h200("Not Started"), h200("Completed"), h200("In Progress")] })?.message).toMatch(/^3 of 4 GPUs report their NVLink fabric as "In Progress", "Not Started", not "Completed"/);
  });

  it("on Ubuntu, where the data has no package name, a comment says what to install", () => {
    const i = item({ os: os("ubuntu", "24.04", ["debian"]), driver: "580.95.05", gpus: [h200("In Progress")] });
    expect(i?.fix).toBe("# install NVIDIA Fabric Manager 580.95.05 (the driver's exact version) from NVIDIA's CUDA repository && sudo systemctl enable --now nvidia-fabricmanager");
  });

  it.each([
    ["a ready fabric", { driver: "580.95.05", gpus: [h200("Completed")] }],
    ["no fabric (a PCIe GPU: N/A, so no state)", { driver: "580.95.05", gpus: [h200()] }],
    ["no driver", { driver: null, gpus: [h200("In Progress")] }],
    ["WSL 2 (the Windows driver's fabric)", { driver: "580.95.05", wsl: 2 as const, gpus: [h200("In Progress")] }],
  ] as [string, Partial<HostFacts>][])("nothing for %s", (_what, f) => {
    expect(item(f)).toBeUndefined();
  });
});
