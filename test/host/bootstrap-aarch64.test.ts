// The host script on aarch64 (issue 19): an Oracle Linux 9 or 8 Grace server (UEK, 4k pages) set up
// from NVIDIA's sbsa repositories for a linux/arm64 stack; the 64k-page UEK refused for the driver
// (matrix/platform.yaml hostPageSize says why) but usable with --skip-driver; a machine other than
// x86_64 or aarch64 refused; a stack generated for the other platform refused with the fix. Stand-in
// `uname -m` answers the scenario's arch, `getconf PAGESIZE` its page_size.
import { describe, expect, it } from "vitest";
import { inOrder, mutating, sandboxMaker, sandboxUnavailable, type Settings } from "./sandbox.js";
import { arm64View, podmanView, renderBootstrapForTest, sampleView } from "./view.js";
import { file, renderFor } from "../support/render.js";
import { matrix } from "../../src/matrix/data.js";
import { tool } from "../../src/matrix/lookup.js";

const script = renderBootstrapForTest(arm64View);
/** Synthetic, modelled on fixtures/arm64-hosts/gh200 (PCI domain 0009, device id 2342). */
const GH200 = "0009:01:00.0 3D controller [0302]: NVIDIA Corporation GH100 [GH200 480GB] [10de:2342] (rev a1)";
const OL9 = { os: "ol9", arch: "aarch64", kernel: "6.12.0-100.28.2.2.el9uek.aarch64", gpu: GH200 };
const OL8 = { os: "ol8", arch: "aarch64", kernel: "5.15.0-209.161.7.2.el8uek.aarch64", gpu: GH200 };
const RPM_OL9 = "cuda-repo-rhel9-13-0-local-13.0.2_580.95.05-1.aarch64.rpm";
const READY_DRIVER: Settings = {
  preinstalled: "nvidia-driver:580.95.05,kmod-nvidia-open-dkms:580.95.05,dkms:3.3.0",
  dkms_built: "1",
  loaded_driver: "580.95.05",
};
const SBSA = "https://developer.download.nvidia.com/compute/cuda/repos/rhel9/sbsa";

describe("host bootstrap on aarch64: the script", () => {
  it("takes the stack's platform, NVIDIA's repository folder and the supported machines from the data", () => {
    const arm = file(renderFor(["torch@2.9.0"], { platform: "linux/arm64" }).files, "host/bootstrap-oraclelinux.sh");
    expect(arm).toContain("readonly STACK_PLATFORM='linux/arm64'\nreadonly STACK_ARCH='aarch64'\nreadonly CUDA_REPO_ARCH='sbsa'\n");
    expect(arm).toContain(`readonly HOST_ARCHES=(${tool(matrix, "hostArchitectures").split(" ").map((a) => `'${a}'`).join(" ")})\n`);
    expect(arm).toContain(`readonly DRIVER_PAGE_SIZE='${tool(matrix, "hostPageSize")}'\n`);
    const repos = matrix.arm64.repos.find((r) => r.what.startsWith("NVIDIA CUDA"))!;
    expect(repos.arm64).toContain("/sbsa/");
    const amd = file(renderFor(["torch@2.9.0"]).files, "host/bootstrap-oraclelinux.sh");
    expect(amd).toContain("readonly STACK_PLATFORM='linux/amd64'\nreadonly STACK_ARCH='x86_64'\nreadonly CUDA_REPO_ARCH='x86_64'\n");
    // The UEK repositories of the stack's machine: aarch64 has none of its own for UEK R6.
    const uek = (rows: [string, string][]) => `declare -rA UEK_REPOS=(${rows.map(([k, r]) => `['${k}']='${r}'`).join(" ")})\n`;
    expect(arm).toContain(uek(matrix.platform.uekRepositories.map((r) => [r.kernel, r.aarch64Repo ?? r.repo])));
    expect(amd).toContain(uek(matrix.platform.uekRepositories.map((r) => [r.kernel, r.repo])));
    expect(matrix.platform.uekRepositories.find((r) => r.kernel === "5.4.17")?.aarch64Repo).toBe("baseos_latest");
    expect(arm64View.uekReposSh).toBe(uek(matrix.platform.uekRepositories.map((r) => [r.kernel, r.aarch64Repo ?? r.repo])).slice("declare -rA UEK_REPOS=(".length, -2));
  });

  it("checks the GPU with an image that has an arm64 variant", () => {
    const arm = file(renderFor(["torch@2.9.0"], { platform: "linux/arm64" }).files, "host/bootstrap-oraclelinux.sh");
    const image = /^readonly VERIFY_IMAGE='nvidia\/cuda:([0-9.]+)-base-(ubuntu[0-9.]+)'$/m.exec(arm);
    expect(image).not.toBeNull();
    const rule = matrix.arm64.images.find((r) => r.os.includes(image![2]!) && r.arm64);
    expect(rule, `${image![1]} ${image![2]}`).toBeDefined();
  });

  it("golden: torch@2.9.0 --platform linux/arm64", async () => {
    const content = file(renderFor(["torch@2.9.0"], { platform: "linux/arm64" }).files, "host/bootstrap-oraclelinux.sh");
    await expect(content).toMatchFileSnapshot("../../fixtures/golden-arm64/torch-2.9.0/host/bootstrap-oraclelinux.sh");
  });
});

const noSandbox = sandboxUnavailable();
describe.skipIf(noSandbox !== null)("host bootstrap on aarch64, in a sandbox", () => {
  const host = sandboxMaker(script);

  it("OL9 aarch64, GH200: the driver from the aarch64 local rpm with NVIDIA's sbsa key, open modules, Docker, the toolkit; a second run installs nothing", () => {
    const sb = host(OL9);
    const rpm = sb.driverRpm(RPM_OL9);
    const first = sb.run("--driver-rpm", rpm.path, "--driver-rpm-sha256", rpm.sha256);
    expect(first.code, first.output).toBe(0);
    expect(
      inOrder(first.calls, [
        "uname -m",
        "getconf PAGESIZE",
        "dnf -y install kernel-uek-devel-6.12.0-100.28.2.2.el9uek.aarch64 kernel-headers dkms",
        new RegExp(`^curl -fsSL --proto =https ${SBSA}/D42D0685\\.pub -o `),
        `rpm --install ${rpm.path}`,
        "dnf -y module enable nvidia-driver:580-open",
        "dnf -y install nvidia-open",
        "modprobe nvidia",
        "dnf -y install docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin",
        /^dnf -y install nvidia-container-toolkit-1\.17\.8-1 /,
        "docker run --rm --gpus all nvidia/cuda:12.4.1-base-ubuntu22.04 nvidia-smi",
      ]),
    ).toBeNull();
    expect(first.calls.filter((c) => c.includes("/x86_64/"))).toEqual([]);
    expect(first.output).toContain("ok: Oracle Linux 9.6 on aarch64");
    expect(first.output).toContain("ok: kernel modules: open (Hopper GPUs, which either flavour drives; open modules are NVIDIA's default since R560)");
    expect(first.output).toContain("ok: driver source: cuda-repo-rhel9-13-0-local-13.0.2_580.95.05-1.aarch64.rpm (driver 580.95.05, RHEL 9, aarch64)");

    const before = sb.snapshot();
    const second = sb.run("--driver-rpm", rpm.path, "--driver-rpm-sha256", rpm.sha256);
    expect(second.code, second.output).toBe(0);
    expect(mutating(second.calls)).toEqual([]);
    expect(sb.snapshot()).toEqual(before);
  });

  it("OL9 aarch64 --dry-run with NVIDIA's network repository: the sbsa .repo file, nothing changed", () => {
    const sb = host(OL9);
    const before = sb.snapshot();
    const result = sb.run("--dry-run", "--driver-source", "network");
    expect(result.code, result.output).toBe(0);
    expect(mutating(result.calls)).toEqual([]);
    expect(sb.snapshot()).toEqual(before);
    expect(result.output).toContain(`ok: driver source: NVIDIA's network repository ${SBSA}/`);
    expect(result.output).toContain(`[dry-run] curl -fsSL --proto =https ${SBSA}/cuda-rhel9.repo -o `);
    expect(result.output).toContain("Dry run finished: nothing was changed.");
  });

  it("OL8 aarch64 (UEK R7): the same path from rhel8/sbsa, end to end", () => {
    const sb = host(OL8);
    const result = sb.run("--driver-source", "network");
    expect(result.code, result.output).toBe(0);
    expect(result.calls.some((c) => c.startsWith("curl -fsSL --proto =https https://developer.download.nvidia.com/compute/cuda/repos/rhel8/sbsa/cuda-rhel8.repo"))).toBe(true);
    expect(result.calls).toContain("dnf -y install kernel-uek-devel-5.15.0-209.161.7.2.el8uek.aarch64 kernel-headers dkms");
    expect(sb.file("/etc/yum.repos.d/cuda-rhel8.repo")).toContain("baseurl=https://developer.download.nvidia.com/compute/cuda/repos/rhel8/sbsa");
    const again = sb.run("--driver-source", "network");
    expect(again.code, again.output).toBe(0);
    expect(mutating(again.calls)).toEqual([]);
  });

  it("OL8 aarch64 on UEK R6: kernel-uek-devel comes from ol8_baseos_latest, since R6 has no repository of its own there", () => {
    const sb = host({ ...OL8, kernel: "5.4.17-2136.339.5.el8uek.aarch64" });
    const result = sb.run("--driver-source", "network");
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("ok: repository ol8_baseos_latest is enabled");
    expect(result.calls.filter((c) => c.includes("UEKR"))).toEqual([]);
    expect(result.calls).toContain("dnf -y install kernel-uek-devel-5.4.17-2136.339.5.el8uek.aarch64 kernel-headers dkms");
    // On x86_64 the same release has its own repository, which the script enables.
    const x86 = host({ os: "ol8", kernel: "5.4.17-2136.339.5.el8uek.x86_64", gpu: GH200 }, renderBootstrapForTest(sampleView));
    const onX86 = x86.run("--driver-source", "network");
    expect(onX86.code, onX86.output).toBe(0);
    expect(onX86.calls).toContain("dnf config-manager --set-enabled ol8_UEKR6");
  });

  it("the 64k-page UEK: the driver is refused before anything changes; with --skip-driver the rest is set up", () => {
    const k64 = { ...OL9, kernel: "6.12.0-100.28.2.2.el9uek.aarch64.64k", page_size: "65536" };
    const fresh = host(k64);
    const rpm = fresh.driverRpm(RPM_OL9);
    const refused = fresh.run("--driver-rpm", rpm.path);
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toContain('ERROR in step "Pre-flight checks": the running kernel 6.12.0-100.28.2.2.el9uek.aarch64.64k has 65536-byte pages; this script builds the NVIDIA driver for 4096-byte pages only');
    expect(refused.output).toContain("kernel-uek64k");
    expect(refused.output).toContain("--skip-driver");
    expect(mutating(refused.calls)).toEqual([]);
    expect(fresh.installedPackages().filter((p) => !p.startsWith("kernel-uek"))).toEqual([]);

    const ready = host({ ...k64, ...READY_DRIVER });
    const skipped = ready.run("--skip-driver");
    expect(skipped.code, skipped.output).toBe(0);
    expect(skipped.output).toContain("note: the running kernel 6.12.0-100.28.2.2.el9uek.aarch64.64k has 65536-byte pages; --skip-driver: the driver already installed is used as it is");
    expect(skipped.calls.filter((c) => /kernel-uek|kernel-devel|module enable/.test(c))).toEqual([]);
    const again = ready.run("--skip-driver");
    expect(again.code, again.output).toBe(0);
    expect(mutating(again.calls)).toEqual([]);
  });

  it("a non-UEK kernel on aarch64 is refused for the driver (Oracle Linux ships only UEK there)", () => {
    const sb = host({ ...OL9, kernel: "5.14.0-570.12.1.0.1.el9_6.aarch64" });
    const result = sb.run("--driver-source", "network");
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain("is not UEK; Oracle Linux ships only UEK on aarch64");
    expect(mutating(result.calls)).toEqual([]);
  });

  it.each([
    ["ppc64le", "5.15.0-209.161.7.2.el9uek.ppc64le"],
    ["s390x", "5.14.0-570.12.1.0.1.el9_6.s390x"],
  ])("a %s host is refused, naming the machines the script supports", (arch, kernel) => {
    const sb = host({ os: "ol9", arch, kernel, gpu: GH200 }, renderBootstrapForTest(sampleView));
    const result = sb.run("--driver-source", "network");
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain(`ERROR in step "Pre-flight checks": this host's architecture is ${arch} (uname -m); this script supports x86_64 aarch64 only`);
    expect(mutating(result.calls)).toEqual([]);
  });

  it("a stack for the other platform is refused early with the fix: --platform of this host", () => {
    const onX86 = host({ os: "ol9", kernel: "6.12.0-100.28.2.2.el9uek.x86_64", gpu: GH200 });
    const arm = onX86.run("--driver-source", "network");
    expect(arm.code, arm.output).toBe(1);
    expect(arm.output).toContain('ERROR in step "Pre-flight checks": the stack was generated for linux/arm64 (aarch64) and this host is x86_64');
    expect(arm.output).toContain("with --platform linux/amd64");
    expect(mutating(arm.calls)).toEqual([]);

    for (const view of [sampleView, podmanView]) {
      const onArm = host(OL9, renderBootstrapForTest(view));
      const amd = onArm.run("--driver-source", "network");
      expect(amd.code, amd.output).toBe(1);
      expect(amd.output).toContain("the stack was generated for linux/amd64 (x86_64) and this host is aarch64");
      expect(amd.output).toContain("with --platform linux/arm64");
      expect(mutating(amd.calls)).toEqual([]);
    }
  });

  it("the script the product writes for torch@2.9.0 --platform linux/arm64 sets up an OL9 aarch64 host, with Podman too", () => {
    const docker = file(renderFor(["torch@2.9.0"], { platform: "linux/arm64" }).files, "host/bootstrap-oraclelinux.sh");
    const sb = host(OL9, docker);
    const result = sb.run("--driver-source", "network");
    expect(result.code, result.output).toBe(0);
    expect(result.calls.some((c) => c.startsWith(`curl -fsSL --proto =https ${SBSA}/cuda-rhel9.repo`))).toBe(true);
    expect(result.calls.some((c) => /^docker run --rm --gpus all nvidia\/cuda:[0-9.]+-base-ubuntu[0-9.]+ nvidia-smi$/.test(c))).toBe(true);

    const podman = file(renderFor(["torch@2.9.0"], { platform: "linux/arm64", engine: "podman" }).files, "host/bootstrap-oraclelinux.sh");
    const pb = host({ ...OL9, ...READY_DRIVER }, podman);
    const run = pb.run("--skip-driver");
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain("note: Podman comes from Oracle Linux's own AppStream");
    expect(run.calls).toContain("dnf -y install podman");
  });
});
