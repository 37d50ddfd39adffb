// The Oracle Linux host bootstrap script: rendered from its template, checked by shellcheck, and
// run end to end in a sandbox (test/host/sandbox.sh) on OL8 and OL9, UEK and RHCK.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  inOrder,
  mutating,
  RPM_BAD_SIGNATURE,
  RPM_SIGNED_BY_DOCKER,
  RPM_UNSIGNED,
  sandboxMaker,
  sandboxUnavailable,
  shellcheckUnavailable,
} from "./sandbox.js";
import { renderBootstrapForTest, sampleView } from "./view.js";
import { renderFor } from "../support/render.js";
import { matrix } from "../../src/matrix/data.js";
import { tool } from "../../src/matrix/lookup.js";

const script = renderBootstrapForTest(sampleView);

const GPU = {
  a100: "3b:00.0 3D controller [0302]: NVIDIA Corporation GA100 [A100 PCIe 40GB] [10de:20f1] (rev a1)",
  h100: "18:00.0 3D controller [0302]: NVIDIA Corporation GH100 [H100 SXM5 80GB] [10de:2330] (rev a1)",
  v100: "00:1e.0 3D controller [0302]: NVIDIA Corporation GV100GL [Tesla V100 SXM2 32GB] [10de:1db5] (rev a1)",
  t4: "00:1e.0 3D controller [0302]: NVIDIA Corporation TU104GL [Tesla T4] [10de:1eb8] (rev a1)",
  l40s: "ca:00.0 3D controller [0302]: NVIDIA Corporation AD102GL [L40S] [10de:26b9] (rev a1)",
  b200: "1b:00.0 3D controller [0302]: NVIDIA Corporation GB100 [B200] [10de:2901] (rev a1)",
};
const OL8_UEK7 = "5.15.0-209.161.7.2.el8uek.x86_64";
const OL9_UEK8 = "6.12.0-100.28.2.2.el9uek.x86_64";
const OL8_RHCK = "4.18.0-553.5.1.el8_10.x86_64";
const OL9_RHCK_OLD = "5.14.0-503.40.1.0.1.el9_5.x86_64";
const OL9_RHCK_NEW = "5.14.0-570.12.1.0.1.el9_6.x86_64";
const RPM_OL8_124 = "cuda-repo-rhel8-12-4-local-12.4.1_550.54.15-1.x86_64.rpm";
const RPM_OL9_130 = "cuda-repo-rhel9-13-0-local-13.0.2_580.95.05-1.x86_64.rpm";
const DOCKER_PACKAGES = "docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin";
const TOOLKIT_INSTALL =
  "dnf -y install nvidia-container-toolkit-1.17.8-1 nvidia-container-toolkit-base-1.17.8-1 libnvidia-container-tools-1.17.8-1 libnvidia-container1-1.17.8-1";
const VERIFY = "docker run --rm --gpus all nvidia/cuda:12.4.1-base-ubuntu22.04 nvidia-smi";
const CUDA_KEY_FPR = "610C7B14E068A878070DA4E99CD0A493D42D0685";
const CUDA_KEY_FILE = "/etc/pki/rpm-gpg/RPM-GPG-KEY-NVIDIA-CUDA";
const LOCK = "/run/cuda-scaffold-bootstrap.lock";
const cudaRepo = (os: 8 | 9) => `https://developer.download.nvidia.com/compute/cuda/repos/rhel${os}/x86_64`;
/** What a local driver rpm goes through before it is installed: NVIDIA's key checked and imported, then its signature. */
const LOCAL_RPM_CHECKS = (os: 8 | 9, path: string) => [
  new RegExp(`^curl -fsSL --proto =https ${cudaRepo(os).replace(/[./]/g, "\\$&")}/D42D0685\\.pub -o `),
  `rpm --import ${CUDA_KEY_FILE}`,
  `rpm --checksig -v ${path}`,
  `rpm --install ${path}`,
];

/** The Docker and toolkit part every fresh host goes through, in order. */
const CONTAINER_STACK = [
  "dnf config-manager --add-repo https://download.docker.com/linux/rhel/docker-ce.repo",
  "dnf -q makecache --repo docker-ce-stable",
  /^curl -fsSL --proto =https https:\/\/download\.docker\.com\/linux\/rhel\/gpg -o /,
  /^rpm --import .*docker\.gpg$/,
  `dnf -y install ${DOCKER_PACKAGES}`,
  "systemctl enable --now docker",
  /^curl .*\/stable\/rpm\/nvidia-container-toolkit\.repo -o /,
  /^curl .*https:\/\/nvidia\.github\.io\/libnvidia-container\/gpgkey -o /,
  TOOLKIT_INSTALL,
  "nvidia-ctk runtime configure --runtime=docker",
  "systemctl restart docker",
  VERIFY,
];

describe("host bootstrap template", () => {
  it("keeps the shebang on line 1 and the generated header right after it", () => {
    const lines = script.split("\n");
    expect(lines[0]).toBe("#!/usr/bin/env bash");
    expect(lines.slice(1, 4)).toEqual(sampleView.header.split("\n"));
    expect(script).not.toMatch(/\{\{|\}\}/);
  });

  it("places every shell-quoted value as a whole word", () => {
    expect(script).toContain("readonly MIN_DRIVER='440.33'\n");
    expect(script).toContain("readonly TOOLKIT_VERSION='1.17.8-1'\n");
    expect(script).toContain("readonly TOOLKIT_KEY_FINGERPRINT='C95B321B61E88C1809C4F759DDCAE044F796ECB0'\n");
    expect(script).toContain(`readonly CUDA_KEY_FINGERPRINT='${CUDA_KEY_FPR}'\n`);
    expect(script).not.toContain("--nogpgcheck");
    expect(script).not.toMatch(/\|\s*(ba)?sh\b/);
  });

  it("pins NVIDIA's CUDA repository key by the fingerprint recorded in matrix/platform.yaml", () => {
    expect(tool(matrix, "cudaRpmKeyFingerprint")).toBe(CUDA_KEY_FPR);
    expect(sampleView.cudaRepoKeyFingerprintSh).toBe(`'${CUDA_KEY_FPR}'`);
    const { files } = renderFor(["torch@2.5.1"]);
    const product = files.find((f) => f.path === "host/bootstrap-oraclelinux.sh")!.content;
    expect(product).toContain(`readonly CUDA_KEY_FINGERPRINT='${CUDA_KEY_FPR}'\n`);
  });

  it("fails to render when the view lacks a field (strict mode)", () => {
    const { minDriverSh: _dropped, ...partial } = sampleView;
    expect(() => renderBootstrapForTest(partial as typeof sampleView)).toThrow(/minDriverSh/);
  });

  const noShellcheck = shellcheckUnavailable();
  if (noShellcheck) console.warn(`[test/host] shellcheck test skipped: ${noShellcheck}`);
  it.skipIf(noShellcheck !== null)("passes shellcheck", () => {
    const result = spawnSync("shellcheck", ["--shell=bash", "--severity=style", "-"], { input: script, encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

const noSandbox = sandboxUnavailable();
if (noSandbox) console.warn(`[test/host] sandboxed runs skipped: ${noSandbox}`);

describe.skipIf(noSandbox !== null)("host bootstrap in a sandbox", () => {
  const host = sandboxMaker(script);

  it("OL8 UEK R7, A100: reboots for nouveau, then completes; a third run installs nothing", () => {
    const sb = host({
      os: "ol8",
      kernel: OL8_UEK7,
      gpu: GPU.a100,
      nouveau: "1",
      kernel_cc: "gcc (GCC) 11.2.1 20220127 (Red Hat 11.2.1-9.0.1)",
      uek_repo_enabled: "0",
      preinstalled: "podman,runc,buildah",
    });
    const rpm = sb.driverRpm(RPM_OL8_124);

    const first = sb.run("--driver-rpm", rpm.path, "--driver-rpm-sha256", rpm.sha256, "--replace-podman");
    expect(first.code, first.output).toBe(3);
    expect(first.output).toMatch(/REBOOT NEEDED \(step "NVIDIA driver"\): the nouveau driver holds the GPU/);
    expect(
      inOrder(first.calls, [
        "dnf -y install dnf-plugins-core",
        "dnf config-manager --set-enabled ol8_codeready_builder",
        "dnf -y install oracle-epel-release-el8",
        "dnf config-manager --set-enabled ol8_UEKR7",
        `dnf -y install kernel-uek-devel-${OL8_UEK7} kernel-headers dkms`,
        "dnf -y install gcc-toolset-11-gcc",
        ...LOCAL_RPM_CHECKS(8, rpm.path),
        "dnf clean all",
        "dnf -y module install nvidia-driver:550-open",
      ]),
    ).toBeNull();
    expect(first.output).toContain(`signature of ${RPM_OL8_124} verified (NVIDIA's CUDA key d42d0685)`);
    expect(first.output).toMatch(/ok: key fingerprint 610C7B14E068A878070DA4E99CD0A493D42D0685 verified/);
    expect(sb.file(CUDA_KEY_FILE)).toContain(`fake-fingerprint: ${CUDA_KEY_FPR}`);
    expect(sb.file(LOCK)).toBe("");
    expect(first.calls.some((call) => call.startsWith("modprobe"))).toBe(false);
    expect(mutating(first.calls).some((call) => /docker/.test(call))).toBe(false);
    expect(sb.file("/etc/dkms/framework.conf.d/uek-gcc-toolset.conf")).toContain('build_environment="/etc/dkms/uek-gcc-toolset.env"');
    expect(sb.file("/etc/dkms/uek-gcc-toolset.env")).toContain("source /opt/rh/gcc-toolset-11/enable");
    expect(sb.file("/etc/modprobe.d/blacklist-nouveau.conf")).toMatch(/^blacklist nouveau$/m);

    sb.reboot();
    const second = sb.run("--driver-rpm", rpm.path, "--driver-rpm-sha256", rpm.sha256, "--replace-podman");
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/removing packages that conflict with Docker CE: podman runc buildah[\s\S]*\+ dnf -y remove podman runc buildah/);
    expect(inOrder(second.calls, ["dnf -y remove podman runc buildah", ...CONTAINER_STACK])).toBeNull();
    expect(mutating(second.calls).filter((call) => /^(dnf -y install|rpm --install)/.test(call) && /kernel|nvidia-driver|cuda-repo/.test(call))).toEqual([]);
    expect(second.output).toMatch(/NVIDIA driver\s+550\.54\.15\s+>= 440\.33/);
    expect(second.output).toMatch(/CUDA \(driver API\)\s+12\.4\s+10\.2/);
    expect(second.output).toContain("ubuntu:18.04");
    expect(sb.file("/etc/yum.repos.d/nvidia-container-toolkit.repo")).toMatch(
      /^gpgkey=file:\/\/\/etc\/pki\/rpm-gpg\/RPM-GPG-KEY-nvidia-container-toolkit$/m,
    );
    expect(sb.file("/etc/docker/daemon.json")).toContain('"nvidia"');
    expect(sb.file("/var/log/cuda-scaffold-bootstrap.log")).toContain("==> [7/7] Verification");

    const before = sb.snapshot();
    const third = sb.run("--driver-rpm", rpm.path, "--driver-rpm-sha256", rpm.sha256);
    expect(third.code, third.output).toBe(0);
    expect(mutating(third.calls)).toEqual([]);
    expect(third.calls).toContain(VERIFY);
    expect(sb.snapshot()).toEqual(before);
    expect(sb.etcOverlayFiles()).toEqual(["os-release"]);
  });

  it("OL9 UEK 8, H100: DKMS builds with gcc-toolset-14, R580 open modules load at once; a second run installs nothing", () => {
    const sb = host({
      os: "ol9",
      kernel: OL9_UEK8,
      gpu: [GPU.h100, GPU.h100.replace("18:00.0", "2a:00.0")],
      kernel_cc: "gcc (GCC) 14.2.1 20250110 (Red Hat 14.2.1-7)",
      toolset_pulled: "1",
    });
    const rpm = sb.driverRpm(RPM_OL9_130);
    const first = sb.run("--driver-rpm", rpm.path);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain("no --driver-rpm-sha256 given");
    expect(
      inOrder(first.calls, [
        "dnf config-manager --set-enabled ol9_codeready_builder",
        "dnf -y install oracle-epel-release-el9",
        `dnf -y install kernel-uek-devel-${OL9_UEK8} kernel-headers dkms`,
        ...LOCAL_RPM_CHECKS(9, rpm.path),
        "dnf -y module enable nvidia-driver:580-open",
        "dnf -y install nvidia-open",
        "modprobe nvidia",
        ...CONTAINER_STACK,
      ]),
    ).toBeNull();
    expect(first.output).toMatch(/--driver-rpm-sha256 given \(recommended\)[\s\S]*its signature by NVIDIA's CUDA key is still checked/);
    expect(first.calls).not.toContain("dnf config-manager --set-enabled ol9_UEKR8");
    expect(mutating(first.calls).filter((call) => call.includes("gcc-toolset"))).toEqual([]);
    expect(first.calls.filter((call) => call.startsWith("dnf -y remove"))).toEqual([]);
    expect(sb.file("/etc/dkms/framework.conf.d/uek-gcc-toolset.conf")).toContain('build_environment="/etc/dkms/uek-gcc-toolset.env"');
    // DKMS reads framework.conf.d once at start, before it knows the kernel (dkms.in), and sources the
    // build_environment file for each build with $kernelver set (dkms(8)): the toolset is for UEK builds only.
    const env = sb.file("/etc/dkms/uek-gcc-toolset.env")!;
    const sourced = (kernelver: string) =>
      spawnSync("bash", ["-c", `source() { echo "SOURCED $*"; }\nkernelver=${kernelver}\n${env}`], { encoding: "utf8" }).stdout.trim();
    expect(sourced(OL9_UEK8)).toBe("SOURCED /opt/rh/gcc-toolset-14/enable");
    expect(sourced(OL9_RHCK_NEW)).toBe("");
    expect(first.output).toMatch(/NVIDIA driver\s+580\.95\.05\s+>= 440\.33/);

    const before = sb.snapshot();
    const packages = sb.installedPackages();
    const second = sb.run("--driver-rpm", rpm.path);
    expect(second.code, second.output).toBe(0);
    expect(mutating(second.calls)).toEqual([]);
    expect(sb.installedPackages()).toEqual(packages);
    expect(sb.snapshot()).toEqual(before);
  });

  it("a host registered with ULN takes CodeReady Builder, EPEL and UEK from its ULN channels, and enables no yum repository", () => {
    const uln = { os: "ol9", kernel: OL9_UEK8, gpu: GPU.h100, kernel_cc: "gcc (GCC) 14.2.1 20250110 (Red Hat 14.2.1-7)", toolset_pulled: "1", uln: "1" };
    const sb = host({ ...uln, uln_channels: "ol9_{arch}_codeready_builder,ol9_{arch}_developer_EPEL,ol9_{arch}_UEKR8" });
    const rpm = sb.driverRpm(RPM_OL9_130);
    const first = sb.run("--driver-rpm", rpm.path);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain("registered with ULN (/etc/sysconfig/rhn/systemid, /etc/dnf/plugins/spacewalk.conf)");
    for (const channel of ["ol9_x86_64_codeready_builder", "ol9_x86_64_developer_EPEL", "ol9_x86_64_UEKR8"]) expect(first.output).toContain(`ULN channel ${channel} is subscribed`);
    expect(first.calls.filter((call) => /config-manager --set-enabled|oracle-epel-release/.test(call))).toEqual([]);
    expect(inOrder(first.calls, [`dnf -y install kernel-uek-devel-${OL9_UEK8} kernel-headers dkms`, ...LOCAL_RPM_CHECKS(9, rpm.path), "dnf -y install nvidia-open"])).toBeNull();

    // Not subscribed to EPEL and UEK 8: stops at the repositories, naming the channels and the two ways to subscribe.
    const bare = host({ ...uln, uln_channels: "ol9_{arch}_codeready_builder" });
    const stopped = bare.run("--driver-rpm", bare.driverRpm(RPM_OL9_130).path);
    expect(stopped.code, stopped.output).toBe(1);
    expect(stopped.output).toContain('ERROR in step "Repositories": this host gets its packages from ULN and is not subscribed to ol9_x86_64_developer_EPEL ol9_x86_64_UEKR8');
    expect(stopped.output).toContain("sudo uln-channel -a -c ol9_x86_64_developer_EPEL -c ol9_x86_64_UEKR8");
    expect(stopped.output).toContain("https://linux.oracle.com: Systems, this host, Manage Subscriptions");
    expect(mutating(stopped.calls).filter((call) => /config-manager --set-enabled|oracle-epel-release|kernel-uek-devel|dkms|nvidia/.test(call))).toEqual([]);

    // Registered, but with the ULN plugin turned off: the yum server's repositories, as on any host.
    const off = host({ ...uln, uln: "off" });
    const yum = off.run("--driver-rpm", off.driverRpm(RPM_OL9_130).path);
    expect(yum.code, yum.output).toBe(0);
    expect(yum.calls).toContain("dnf config-manager --set-enabled ol9_codeready_builder");
    expect(yum.output).not.toContain("registered with ULN");
  });

  it("OL8 RHCK, V100: proprietary modules from the local rpm, kernel-devel for the running kernel", () => {
    const sb = host({ os: "ol8", kernel: OL8_RHCK, gpu: GPU.v100, preinstalled: "dnf-plugins-core" });
    const rpm = sb.driverRpm(RPM_OL8_124);
    const result = sb.run("--driver-rpm", rpm.path, "--driver-rpm-sha256", rpm.sha256.toUpperCase());
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`SHA-256 of ${RPM_OL8_124} verified`);
    expect(result.output).toContain("kernel modules: proprietary (Volta GPU found; only the proprietary modules drive it)");
    expect(
      inOrder(result.calls, [
        "dnf config-manager --set-enabled ol8_codeready_builder",
        `dnf -y install kernel-devel-${OL8_RHCK} kernel-headers dkms`,
        `rpm --install ${rpm.path}`,
        "dnf -y module install nvidia-driver:550-dkms",
        "modprobe nvidia",
        ...CONTAINER_STACK,
      ]),
    ).toBeNull();
    expect(mutating(result.calls).filter((call) => /UEK|gcc-toolset|dnf-plugins-core/.test(call))).toEqual([]);
    expect(sb.file("/etc/dkms/framework.conf.d/uek-gcc-toolset.conf")).toBeNull();
  });

  it("UEK with a dkms too old for build_environment stops before the driver is built", () => {
    const sb = host({ os: "ol9", kernel: OL9_UEK8, gpu: GPU.h100, kernel_cc: "gcc (GCC) 14.2.1 20250110 (Red Hat 14.2.1-7)", dkms_version: "3.2.1" });
    const result = sb.run("--driver-source", "network");
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain('ERROR in step "Kernel headers and toolchain": dkms 3.2.1 ignores build_environment (added in dkms 3.3.0)');
    expect(result.calls).toContain("dnf -y install gcc-toolset-14-gcc");
    expect(mutating(result.calls).filter((call) => /nvidia-driver|nvidia-open|cuda-rhel/.test(call))).toEqual([]);
  });

  it("stops before the container check when the driver is too old for the check image", () => {
    const sb = host({ os: "ol8", kernel: OL8_RHCK, gpu: GPU.v100 });
    const rpm = sb.driverRpm("cuda-repo-rhel8-11-4-local-11.4.1_470.57.02-1.x86_64.rpm");
    const result = sb.run("--driver-rpm", rpm.path);
    expect(result.code, result.output).toBe(1);
    expect(result.calls).toContain("dnf -y module install nvidia-driver:470-dkms");
    expect(result.output).toContain(
      'ERROR in step "Verification": the check image nvidia/cuda:12.4.1-base-ubuntu22.04 needs CUDA 12.4, the host driver supports CUDA 11.4',
    );
    expect(result.calls.filter((call) => call.startsWith("docker run"))).toEqual([]);
  });

  it("an older kernel pinned as GRUB's default entry is the one the driver is built for: no reboot into the newest", () => {
    const sb = host({ os: "ol9", kernel: OL9_RHCK_OLD, extra_kernel: OL9_RHCK_NEW, default_kernel: OL9_RHCK_OLD, gpu: GPU.l40s });
    const result = sb.run("--driver-source", "network");
    expect(result.code, result.output).toBe(0);
    expect(result.calls).toContain("grubby --default-kernel");
    expect(result.output).toContain(`${OL9_RHCK_OLD} is the default boot kernel`);
    expect(result.output).toContain(`a newer RHCK kernel (${OL9_RHCK_NEW}) is installed but not the default; the driver is built for ${OL9_RHCK_OLD}`);
    expect(result.output).not.toContain("REBOOT NEEDED");
  });

  it("without grubby the newest installed kernel stands for the default entry", () => {
    const sb = host({ os: "ol9", kernel: OL9_RHCK_OLD, extra_kernel: OL9_RHCK_NEW, no_grubby: "1", gpu: GPU.l40s });
    const result = sb.run("--driver-source", "network");
    expect(result.code, result.output).toBe(3);
    expect(result.output).toContain(`the running kernel ${OL9_RHCK_OLD} is not the newest installed RHCK kernel (${OL9_RHCK_NEW})`);
    expect(mutating(result.calls)).toEqual([]);
  });

  it("OL9 RHCK from NVIDIA's network repository: reboot into the default (newest) kernel first, then kernel-devel-matched", () => {
    const sb = host({ os: "ol9", kernel: OL9_RHCK_OLD, extra_kernel: OL9_RHCK_NEW, gpu: GPU.l40s });
    const first = sb.run("--driver-source", "network");
    expect(first.code, first.output).toBe(3);
    expect(first.output).toContain(`the running kernel ${OL9_RHCK_OLD} is not the default boot kernel (${OL9_RHCK_NEW})`);
    expect(first.output).toContain(`or make ${OL9_RHCK_OLD} the default: grubby --set-default /boot/vmlinuz-${OL9_RHCK_OLD}`);
    expect(mutating(first.calls)).toEqual([]);

    sb.reboot();
    const second = sb.run("--driver-source", "network");
    expect(second.code, second.output).toBe(0);
    expect(
      inOrder(second.calls, [
        "dnf -y install kernel-devel-matched kernel-headers dkms",
        /^curl -fsSL --proto =https https:\/\/developer\.download\.nvidia\.com\/compute\/cuda\/repos\/rhel9\/x86_64\/cuda-rhel9\.repo -o /,
        /^curl -fsSL --proto =https https:\/\/developer\.download\.nvidia\.com\/compute\/cuda\/repos\/rhel9\/x86_64\/D42D0685\.pub -o /,
        `rpm --import ${CUDA_KEY_FILE}`,
        "dnf -y module enable nvidia-driver:open-dkms",
        "dnf -y install nvidia-open",
        "modprobe nvidia",
        ...CONTAINER_STACK,
      ]),
    ).toBeNull();
    expect(second.calls.filter((call) => /UEK|rpm --install|config-manager --add-repo .*cuda/.test(call))).toEqual([]);
    expect(second.output).toContain(`key fingerprint ${CUDA_KEY_FPR} verified`);
    const repo = sb.file("/etc/yum.repos.d/cuda-rhel9.repo")!;
    expect(repo).toMatch(/^\[cuda-rhel9-x86_64\]$/m);
    expect(repo).toMatch(/^gpgcheck=1$/m);
    expect(repo).toMatch(new RegExp(`^gpgkey=file://${CUDA_KEY_FILE}$`, "m"));
    expect(repo).not.toContain("https://developer.download.nvidia.com/compute/cuda/repos/rhel9/x86_64/D42D0685.pub");
    expect(sb.file(CUDA_KEY_FILE)).toContain(`fake-fingerprint: ${CUDA_KEY_FPR}`);

    const before = sb.snapshot();
    const third = sb.run("--driver-source", "network");
    expect(third.code, third.output).toBe(0);
    expect(mutating(third.calls)).toEqual([]);
    expect(sb.snapshot()).toEqual(before);
  });

  it("a driver below the stack's floor is switched to the rpm's branch; a reboot loads it", () => {
    const old = "418.226.00";
    const sb = host({
      os: "ol8",
      kernel: OL8_RHCK,
      gpu: GPU.a100,
      preinstalled: `nvidia-driver:${old},kmod-nvidia-latest-dkms:${old},dkms:3.3.0`,
      module_stream: "418-dkms",
      dkms_built: "1",
      loaded_driver: old,
    });
    const rpm = sb.driverRpm(RPM_OL8_124);
    const first = sb.run("--driver-rpm", rpm.path);
    expect(first.code, first.output).toBe(3);
    expect(first.output).toContain(`installed driver ${old} is older than the stack's floor 440.33`);
    expect(first.output).toContain(`REBOOT NEEDED (step "NVIDIA driver"): driver ${old} is still loaded; the new driver loads after a reboot`);
    expect(inOrder(first.calls, [`rpm --install ${rpm.path}`, "dnf -y module switch-to nvidia-driver:550-open --allowerasing"])).toBeNull();
    expect(first.calls.filter((call) => /^dnf -y module (enable|install)/.test(call))).toEqual([]);

    sb.reboot();
    const second = sb.run("--driver-rpm", rpm.path);
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/NVIDIA driver\s+550\.54\.15\s+>= 440\.33/);
    expect(mutating(second.calls).filter((call) => /nvidia-driver|cuda-repo/.test(call))).toEqual([]);
  });

  it("a driver below the floor on a dnf without `dnf module switch-to` stops before anything changes, naming the dnf update", () => {
    const old = "418.226.00";
    const sb = host({
      os: "ol8",
      os_version: "8.3",
      kernel: OL8_RHCK,
      gpu: GPU.a100,
      preinstalled: `nvidia-driver:${old},kmod-nvidia-latest-dkms:${old},dkms:3.3.0,dnf:4.2.23`,
      module_stream: "418-dkms",
      dkms_built: "1",
      loaded_driver: old,
      dnf_switch_to: "0",
    });
    const rpm = sb.driverRpm(RPM_OL8_124);
    const result = sb.run("--driver-rpm", rpm.path);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain(
      `ERROR in step "Pre-flight checks": this dnf (4.2.23) has no \`dnf module switch-to\` (dnf ${tool(matrix, "dnfModuleSwitchToSince")} added it), which moves the installed driver ${old} to nvidia-driver:550-open`,
    );
    expect(result.output).toContain("Update dnf first (dnf -y update dnf), then run this script again.");
    expect(mutating(result.calls)).toEqual([]);
  });

  // NVIDIA's R580 is the last branch for Maxwell, Pascal and Volta (matrix/platform.yaml gpuChipFamilies
  // lastDriverBranch); NVIDIA's network repository offers R590 as latest-dkms next to the 580-dkms stream.
  const R590 = { network_driver: "590.48.01", network_branch: "580.95.05" };
  it.each([
    { name: "V100", gpu: [GPU.v100], stream: "580-dkms", meta: "cuda-drivers", driver: "580.95.05" },
    { name: "P100 beside a T4", gpu: [GPU.t4, GPU.v100.replace("GV100GL [Tesla V100 SXM2 32GB] [10de:1db5]", "GP100GL [Tesla P100 PCIe 16GB] [10de:15f8]")], stream: "580-dkms", meta: "cuda-drivers", driver: "580.95.05" },
    { name: "T4 (Turing is not capped)", gpu: [GPU.t4], stream: "open-dkms", meta: "nvidia-open", driver: "590.48.01" },
  ])("network repository, $name: the driver branch is capped at the last one the GPUs have", ({ gpu, stream, meta, driver }) => {
    const sb = host({ os: "ol8", kernel: OL8_RHCK, gpu, ...R590 });
    const result = sb.run("--driver-source", "network");
    expect(result.code, result.output).toBe(0);
    expect(inOrder(result.calls, [`dnf -y module enable nvidia-driver:${stream}`, `dnf -y install ${meta}`, "modprobe nvidia"])).toBeNull();
    expect(result.output).toMatch(new RegExp(`NVIDIA driver\\s+${driver.replace(/\./g, "\\.")}\\s+>= 440\\.33`));
    if (stream === "580-dkms") expect(result.output).toMatch(/driver branch at most R580: the last NVIDIA driver branch for the (Volta|Pascal) GPU found/);
  });

  it("a V100 host refuses a newer --driver-branch or local rpm, and a stack that needs a newer driver than R580, before anything changes", () => {
    const sb = host({ os: "ol9", kernel: OL9_RHCK_NEW, gpu: GPU.v100, ...R590 });
    const branch = sb.run("--driver-source", "network", "--driver-branch", "590");
    expect(branch.code, branch.output).toBe(1);
    expect(branch.output).toContain('ERROR in step "Pre-flight checks": --driver-branch 590 cannot drive the Volta GPU found: R580 is the last driver branch for it');
    expect(branch.output).toContain("Use --driver-branch 580, or leave the option out (the script then installs R580).");
    expect(mutating(branch.calls)).toEqual([]);

    const rpm = sb.driverRpm("cuda-repo-rhel9-13-1-local-13.1.0_590.48.01-1.x86_64.rpm");
    const local = sb.run("--driver-rpm", rpm.path);
    expect(local.code, local.output).toBe(1);
    expect(local.output).toContain("--driver-rpm cuda-repo-rhel9-13-1-local-13.1.0_590.48.01-1.x86_64.rpm carries driver 590.48.01, and R580 is the last driver branch for the Volta GPU found");
    expect(mutating(local.calls)).toEqual([]);

    const newer = sandboxMaker(renderBootstrapForTest({ ...sampleView, minDriverSh: "'590.44.01'", stackCudaSh: "'13.1'" }))({ os: "ol9", kernel: OL9_RHCK_NEW, gpu: GPU.v100, ...R590 });
    const stack = newer.run("--driver-source", "network");
    expect(stack.code, stack.output).toBe(1);
    expect(stack.output).toContain('ERROR in step "Pre-flight checks": the stack (CUDA 13.1) needs driver >= 590.44.01, and R580 is the last driver branch for the Volta GPU found');
    expect(stack.output).toContain("CUDA 13.0 and older run on R580.");
    expect(stack.output).toContain("npx cuda-scaffold@0.1.0 torch@1.9.0 --driver 580 --name app");
    expect(mutating(stack.calls)).toEqual([]);
  });

  it("a V100 host with a driver newer than R580 installed (which cannot load) is moved back to 580-dkms", () => {
    const sb = host({
      os: "ol8",
      kernel: OL8_RHCK,
      gpu: GPU.v100,
      preinstalled: "nvidia-driver:590.48.01,kmod-nvidia-latest-dkms:590.48.01,cuda-drivers:590.48.01,dkms:3.3.0",
      module_stream: "latest-dkms",
      dkms_built: "1",
      ...R590,
    });
    const result = sb.run("--driver-source", "network");
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("installed driver 590.48.01 is newer than R580, the last branch for the Volta GPU: switching to nvidia-driver:580-dkms");
    expect(inOrder(result.calls, ["dnf -y module switch-to nvidia-driver:580-dkms --allowerasing", "modprobe nvidia"])).toBeNull();
    expect(result.output).toMatch(/NVIDIA driver\s+580\.95\.05\s+>= 440\.33/);
  });

  it("a stream another run left enabled is reset before the new one is enabled (no driver installed from it)", () => {
    const sb = host({ os: "ol8", kernel: OL8_RHCK, gpu: GPU.a100, module_stream: "latest-dkms" });
    const result = sb.run("--driver-source", "network");
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("nvidia-driver:latest-dkms is enabled (from an earlier run) and no driver is installed from it: resetting the module first");
    expect(inOrder(result.calls, ["dnf -y module reset nvidia-driver", "dnf -y module enable nvidia-driver:open-dkms", "dnf -y install nvidia-open"])).toBeNull();
  });

  it("an installed driver that is not loaded yet is loaded without reinstalling it", () => {
    const sb = host({
      os: "ol9",
      kernel: OL9_RHCK_NEW,
      gpu: GPU.l40s,
      preinstalled: "nvidia-driver:580.95.05,kmod-nvidia-open-dkms:580.95.05,nvidia-open:580.95.05,dkms:3.3.0",
      dkms_built: "1",
    });
    const result = sb.run();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("driver 580.95.05 is installed but not loaded");
    expect(result.calls).toContain("modprobe nvidia");
    expect(result.calls.filter((call) => /^(rpm --install|dnf -y module|dnf -y install nvidia-open)/.test(call))).toEqual([]);
  });

  it("stops before changing anything where Podman, Buildah or runc is installed, unless --replace-podman (Docker CE would remove them)", () => {
    const sb = host({ os: "ol9", kernel: OL9_UEK8, gpu: GPU.h100, preinstalled: "podman,runc,buildah" });
    const rpm = sb.driverRpm(RPM_OL9_130);
    const result = sb.run("--driver-rpm", rpm.path);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain("installed: podman runc buildah; Docker CE conflicts with them");
    expect(result.output).toContain("Run again with --replace-podman");
    expect(result.output).toContain("regenerate with --engine podman");
    expect(mutating(result.calls)).toEqual([]);
  });

  it("--dry-run prints every command and changes nothing", () => {
    const sb = host({ os: "ol9", kernel: OL9_UEK8, gpu: GPU.h100, nouveau: "1", preinstalled: "podman,runc" });
    const rpm = sb.driverRpm(RPM_OL9_130);
    const before = sb.snapshot();
    const result = sb.run("--dry-run", "--driver-rpm", rpm.path, "--replace-podman");
    expect(result.code, result.output).toBe(0);
    expect(mutating(result.calls)).toEqual([]);
    expect(sb.snapshot()).toEqual(before);
    expect(sb.file("/var/log/cuda-scaffold-bootstrap.log")).toBeNull();
    expect(sb.file(LOCK)).toBeNull();
    expect(result.calls.filter((call) => call.startsWith("rpm --checksig"))).toEqual([]);
    for (const line of [
      "dnf -y install dnf-plugins-core",
      "dnf config-manager --set-enabled ol9_codeready_builder",
      `dnf -y install kernel-uek-devel-${OL9_UEK8} kernel-headers dkms`,
      `curl -fsSL --proto =https ${cudaRepo(9)}/D42D0685.pub -o `,
      `check that its fingerprint is ${CUDA_KEY_FPR}`,
      `rpm --import ${CUDA_KEY_FILE}`,
      `rpm --checksig -v ${rpm.path}   (must be signed by NVIDIA's CUDA key d42d0685)`,
      `rpm --install ${rpm.path}`,
      "dnf -y module enable nvidia-driver:580-open",
      "dnf -y install nvidia-open",
      "write /etc/modprobe.d/blacklist-nouveau.conf",
      "dnf -y remove podman runc",
      `dnf -y install ${DOCKER_PACKAGES}`,
      "systemctl enable --now docker",
      TOOLKIT_INSTALL,
      "nvidia-ctk runtime configure --runtime=docker",
      VERIFY,
    ]) {
      expect(result.output).toContain(`[dry-run] ${line}`);
    }
    expect(result.output).toContain("a reboot would be needed here: the nouveau driver holds the GPU");
    expect(result.output).toContain("Dry run finished: nothing was changed.");
  });

  it("a failing Docker install stops with exit 1, naming the step and the command", () => {
    const sb = host({ os: "ol8", kernel: OL8_RHCK, gpu: GPU.t4, fail_install: "docker-ce" });
    const rpm = sb.driverRpm(RPM_OL8_124);
    const result = sb.run("--driver-rpm", rpm.path);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain(`ERROR in step "Docker CE": command failed (exit 1): dnf -y install ${DOCKER_PACKAGES}`);
    expect(result.calls.filter((call) => /nvidia-container|nvidia-ctk|docker run/.test(call))).toEqual([]);
    expect(sb.file("/var/log/cuda-scaffold-bootstrap.log")).toContain('ERROR in step "Docker CE"');
    // The failed run released its lock: the next run gets as far as Docker again.
    const again = sb.run("--driver-rpm", rpm.path);
    expect(again.code, again.output).toBe(1);
    expect(again.output).toContain('ERROR in step "Docker CE"');
    expect(again.output).not.toContain("another run");
    expect(sb.file(LOCK)).toBe("");
  });

  it("Secure Boot: asks for the DKMS key to be enrolled (exit 3), completes after enrolment and a reboot", () => {
    const sb = host({ os: "ol9", kernel: OL9_UEK8, gpu: GPU.t4, secure_boot: "enabled" });
    const first = sb.run("--driver-source", "network", "--driver-branch", "580");
    expect(first.code, first.output).toBe(3);
    expect(first.output).toContain("WARNING: Secure Boot is enabled");
    expect(first.output).toMatch(/REBOOT NEEDED[^\n]*DKMS signing key is not enrolled[\s\S]*mokutil --import \/var\/lib\/dkms\/mok\.pub/);
    expect(inOrder(first.calls, ["dnf -y module enable nvidia-driver:580-open", "dnf -y install nvidia-open"])).toBeNull();

    sb.enrolMokKey();
    sb.reboot();
    const second = sb.run("--driver-source", "network", "--driver-branch", "580");
    expect(second.code, second.output).toBe(0);
    expect(mutating(second.calls).filter((call) => call.includes("nvidia-driver"))).toEqual([]);
  });

  it("refuses Ubuntu, a non-root user, and bad driver inputs before changing anything", () => {
    const ubuntu = host({ os: "ubuntu", gpu: GPU.a100 });
    const refused = ubuntu.run("--driver-source", "network");
    expect(refused.code).toBe(1);
    expect(refused.output).toContain("this host runs Ubuntu 22.04.5 LTS (ID=ubuntu in /etc/os-release)");
    expect(refused.output).toContain("Oracle Linux 8 and 9");
    expect(mutating(refused.calls)).toEqual([]);

    const sb = host({ os: "ol8", kernel: OL8_RHCK, gpu: GPU.a100 });
    const nobody = sb.run("--as-nobody", "--driver-source", "network");
    expect(nobody.code).toBe(1);
    expect(nobody.output).toContain("this script must run as root");
    expect(nobody.calls).toEqual([]);
    const help = sb.run("--as-nobody", "--help");
    expect(help.code).toBe(0);
    expect(help.output).toMatch(/--driver-rpm PATH[\s\S]*--dry-run/);
    expect(help.output).toMatch(/--driver-rpm-sha256 HEX +recommended with --driver-rpm/);
    expect(help.output).toMatch(/--dry-run[^\n]*\n +\(takes no lock/);
    expect(help.output).toContain("One run at a time: a run holds /run/cuda-scaffold-bootstrap.lock (flock); a second run stops with exit 1.");

    const wrongOs = sb.driverRpm(RPM_OL9_130);
    const osMismatch = sb.run("--driver-rpm", wrongOs.path);
    expect(osMismatch.code).toBe(1);
    expect(osMismatch.output).toContain("is for RHEL 9, this host runs Oracle Linux 8");
    const rpm = sb.driverRpm(RPM_OL8_124);
    const badSum = sb.run("--driver-rpm", rpm.path, "--driver-rpm-sha256", "0".repeat(64));
    expect(badSum.code).toBe(1);
    expect(badSum.output).toMatch(/ERROR in step "Pre-flight checks": --driver-rpm .* has SHA-256 [0-9a-f]{64}, expected 0{64}/);
    const blackwell = host({ os: "ol9", kernel: OL9_UEK8, gpu: GPU.b200 });
    const proprietary = blackwell.run("--driver-source", "network", "--kernel-modules", "proprietary");
    expect(proprietary.code).toBe(1);
    expect(proprietary.output).toContain("cannot drive the Blackwell GPU found");
    for (const run of [osMismatch, badSum, proprietary]) expect(mutating(run.calls)).toEqual([]);
  });

  it("--skip-driver leaves the driver alone, and a Docker key with the wrong fingerprint is refused", () => {
    const sb = host({ os: "ol8", kernel: OL8_RHCK, gpu: GPU.a100, docker_key_fpr: "0".repeat(40), preinstalled: "dnf-plugins-core" });
    const result = sb.run("--skip-driver");
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain("--skip-driver given but no NVIDIA driver is loaded");
    expect(result.output).toMatch(/ERROR in step "Docker CE": the key at https:\/\/download\.docker\.com\/linux\/rhel\/gpg has fingerprint '0{40}', expected 060A61C51B558A7F742B77AAC52FEB6B621E9F35/);
    expect(mutating(result.calls).filter((call) => /^(rpm --import|dnf -y install|dnf config-manager --set-enabled)/.test(call))).toEqual([]);
  });

  it("the script the product writes for torch@2.5.1 sets up an OL9 UEK host end to end", () => {
    const { files } = renderFor(["torch@2.5.1"]);
    const product = files.find((f) => f.path === "host/bootstrap-oraclelinux.sh")!.content;
    const sb = host({ os: "ol9", kernel: OL9_UEK8, gpu: GPU.h100, kernel_cc: "gcc (GCC) 14.2.1 20250110 (Red Hat 14.2.1-7)", toolset_pulled: "1" }, product);
    const rpm = sb.driverRpm(RPM_OL9_130);
    const first = sb.run("--driver-rpm", rpm.path);
    expect(first.code, first.output).toBe(0);
    expect(first.calls).toContain(`dnf -y install ${tool(matrix, "containerToolkitPackages").split(" ").map((p) => `${p}-${tool(matrix, "containerToolkitVersion")}`).join(" ")}`);
    expect(first.calls).toContain("docker run --rm --gpus all nvidia/cuda:12.4.1-base-ubuntu22.04 nvidia-smi");
    expect(first.output).toMatch(/NVIDIA driver\s+580\.95\.05\s+>= 550\.54\.15/);
    const second = sb.run("--driver-rpm", rpm.path);
    expect(second.code, second.output).toBe(0);
    expect(mutating(second.calls)).toEqual([]);
  });

  it("NVIDIA's CUDA repository key is trusted only with its pinned fingerprint, for the network repository and the local rpm", () => {
    const wrong = "0".repeat(40);
    const network = host({ os: "ol9", kernel: OL9_RHCK_NEW, gpu: GPU.l40s, cuda_key_fpr: wrong });
    const refused = network.run("--driver-source", "network");
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toContain(
      `ERROR in step "NVIDIA driver": the key at ${cudaRepo(9)}/D42D0685.pub has fingerprint '${wrong}', expected ${CUDA_KEY_FPR}`,
    );
    expect(refused.calls.filter((call) => /^(rpm --import|dnf -y (module|install nvidia)|dnf config-manager --add-repo)/.test(call))).toEqual([]);
    expect(network.file("/etc/yum.repos.d/cuda-rhel9.repo")).toBeNull();
    expect(network.file(CUDA_KEY_FILE)).toBeNull();

    const local = host({ os: "ol8", kernel: OL8_RHCK, gpu: GPU.a100, cuda_key_fpr: wrong });
    const rpm = local.driverRpm(RPM_OL8_124);
    const refusedLocal = local.run("--driver-rpm", rpm.path);
    expect(refusedLocal.code, refusedLocal.output).toBe(1);
    expect(refusedLocal.output).toContain(`ERROR in step "NVIDIA driver": the key at ${cudaRepo(8)}/D42D0685.pub has fingerprint '${wrong}'`);
    expect(refusedLocal.calls.filter((call) => /^rpm (--import|--checksig|--install)/.test(call))).toEqual([]);
  });

  it("a local driver rpm that is unsigned, altered, or signed by another key than NVIDIA's is not installed", () => {
    const cases = [
      { content: RPM_UNSIGNED, error: `--driver-rpm ${RPM_OL8_124} carries no signature; refusing to install an unsigned rpm`, report: "MD5 digest: OK" },
      {
        content: RPM_BAD_SIGNATURE,
        error: `--driver-rpm ${RPM_OL8_124} failed the signature check against NVIDIA's CUDA key d42d0685 (fingerprint ${CUDA_KEY_FPR})`,
        report: "Signature, key ID d42d0685: BAD",
      },
      {
        // Docker's key is one a host may trust already: rpm says OK, but the signer is not NVIDIA.
        content: RPM_SIGNED_BY_DOCKER,
        preinstalled: "gpg-pubkey-621e9f35",
        error: `--driver-rpm ${RPM_OL8_124} failed the signature check against NVIDIA's CUDA key d42d0685`,
        report: "Signature, key ID 621e9f35: OK",
      },
      { content: "not really an rpm\nfake-signature: 5a1b2c3d\n", error: `--driver-rpm ${RPM_OL8_124} failed the signature check`, report: "key ID 5a1b2c3d: NOKEY" },
    ];
    for (const c of cases) {
      const sb = host({ os: "ol8", kernel: OL8_RHCK, gpu: GPU.a100, ...(c.preinstalled ? { preinstalled: c.preinstalled } : {}) });
      const rpm = sb.driverRpm(RPM_OL8_124, c.content);
      const result = sb.run("--driver-rpm", rpm.path, "--driver-rpm-sha256", rpm.sha256);
      expect(result.code, result.output).toBe(1);
      expect(result.output).toContain(`SHA-256 of ${RPM_OL8_124} verified`);
      expect(result.output).toContain(`ERROR in step "NVIDIA driver": ${c.error}`);
      expect(result.output).toContain(c.report);
      expect(result.output).toContain("download it again from https://developer.nvidia.com/cuda-downloads");
      expect(inOrder(result.calls, [`rpm --import ${CUDA_KEY_FILE}`, `rpm --checksig -v ${rpm.path}`])).toBeNull();
      expect(result.calls.filter((call) => /^(rpm --install|dnf -y module|dnf -y install nvidia|dnf clean)/.test(call))).toEqual([]);
      expect(sb.installedPackages().filter((line) => line.startsWith("cuda-repo-"))).toEqual([]);
    }
  }, 60_000);

  it("one run at a time: a second run stops at once naming the first, a dry run only warns, and the lock goes with the run", async () => {
    const sb = host({ os: "ol9", kernel: OL9_RHCK_NEW, gpu: GPU.l40s });
    // What a killed run leaves behind is no obstacle: the lock is the flock, not the file.
    writeFileSync(join(sb.dir, "fs/run/cuda-scaffold-bootstrap.lock"), "pid 1, started 2026-01-01 00:00:00 +0000: bootstrap.sh (killed)\n");
    sb.pauseAt("dnf -y install kernel-devel-matched");
    const first = sb.start("--driver-source", "network");
    await sb.paused();

    const holder = sb.file(LOCK)!;
    expect(holder).toMatch(/^pid \d+, started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}: bootstrap\.sh --driver-source network\n$/);
    const second = sb.run("--driver-source", "network");
    expect(second.code, second.output).toBe(1);
    expect(second.output).toContain(
      `ERROR in step "Pre-flight checks": another run of this script is in progress (${holder.trim()}); it holds ${LOCK}`,
    );
    expect(second.output).toContain("Wait for that run to finish, then run this script again.");
    expect(second.calls).toEqual([]);
    expect(sb.file(LOCK)).toBe(holder);

    const dry = sb.run("--dry-run", "--driver-source", "network");
    expect(dry.code, dry.output).toBe(0);
    expect(dry.output).toContain(`WARNING: another run of this script is in progress (${holder.trim()}); it is changing the host while this dry run looks at it`);
    expect(mutating(dry.calls)).toEqual([]);

    sb.resume();
    const done = await first;
    expect(done.code, done.output).toBe(0);
    expect(done.calls).toContain("dnf -y install kernel-devel-matched kernel-headers dkms");
    expect(done.output).not.toContain("another run");
    expect(sb.file(LOCK)).toBe("");

    const after = sb.run("--driver-source", "network");
    expect(after.code, after.output).toBe(0);
    expect(mutating(after.calls)).toEqual([]);
  }, 60_000);
});

// HGX/DGX boards: NVSwitch chips (lspci class 0680) need NVIDIA Fabric Manager at the driver's exact
// version, or CUDA fails with error 802 while nvidia-smi works (matrix/platform.yaml fabricManager*).
describe.skipIf(noSandbox !== null)("host bootstrap on an NVSwitch board", () => {
  const host = sandboxMaker(script);
  const nvswitch = (id: string, name: string) => [0, 1, 2, 3].map((n) => `0${7 + n}:00.0 Bridge [0680]: NVIDIA Corporation ${name} [10de:${id}] (rev a1)`);
  const LOADED_580 = { preinstalled: "nvidia-driver:580.95.05,kmod-nvidia-open-dkms:580.95.05,dkms:3.3.0", dkms_built: "1", loaded_driver: "580.95.05" };

  it.each<{ era: string; os: string; kernel: string; gpu: string; switches: string[]; rpmName: string; pkg: string; extra: Record<string, string> }>([
    { era: "R580 (nvidia-fabricmanager)", os: "ol9", kernel: OL9_UEK8, gpu: GPU.h100, switches: nvswitch("22a3", "GH100 [H100 NVSwitch]"), rpmName: RPM_OL9_130, pkg: "nvidia-fabricmanager-580.95.05", extra: { kernel_cc: "gcc (GCC) 14.2.1 20250110 (Red Hat 14.2.1-7)", toolset_pulled: "1" } },
    { era: "R550 (nvidia-fabric-manager)", os: "ol8", kernel: OL8_RHCK, gpu: GPU.h100, switches: nvswitch("1af1", "GA100 [A100 NVSwitch]"), rpmName: RPM_OL8_124, pkg: "nvidia-fabric-manager-550.54.15", extra: { preinstalled: "dnf-plugins-core" } },
  ])("$era: installs the driver's fabric manager after the driver and starts it; the check passes; a second run changes nothing", ({ os, kernel, gpu, switches, rpmName, pkg, extra }) => {
    const sb = host({ os, kernel, gpu, nvswitch: switches, ...extra });
    const rpm = sb.driverRpm(rpmName);
    const first = sb.run("--driver-rpm", rpm.path);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain("ok: 4 NVSwitch chip(s)");
    expect(inOrder(first.calls, ["modprobe nvidia", `dnf -y install ${pkg}`, "systemctl enable --now nvidia-fabricmanager", ...CONTAINER_STACK, "nvidia-smi -q"])).toBeNull();
    expect(first.output).toContain("This host is ready");

    const before = sb.snapshot();
    const second = sb.run("--driver-rpm", rpm.path);
    expect(second.code, second.output).toBe(0);
    expect(mutating(second.calls)).toEqual([]);
    expect(second.output).toContain("ok: nvidia-fabricmanager is enabled and running");
    expect(sb.snapshot()).toEqual(before);
  });

  it("a PCIe host (no NVSwitch) gets no fabric manager, and its fabric state N/A passes the check", () => {
    const sb = host({ os: "ol9", kernel: OL9_RHCK_NEW, gpu: GPU.l40s, ...LOADED_580 });
    const result = sb.run("--skip-driver");
    expect(result.code, result.output).toBe(0);
    expect(result.calls.filter((call) => /fabric/.test(call))).toEqual([]);
    expect(result.output).not.toMatch(/NVSwitch|fabric/i);
  });

  it("--skip-driver on an NVSwitch board without fabric manager: the exact command is given, and the final check fails on the fabric state", () => {
    const sb = host({ os: "ol9", kernel: OL9_RHCK_NEW, gpu: GPU.h100, nvswitch: nvswitch("22a3", "GH100 [H100 NVSwitch]"), ...LOADED_580 });
    const result = sb.run("--skip-driver");
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain("dnf -y install nvidia-fabricmanager-580.95.05 && systemctl enable --now nvidia-fabricmanager");
    expect(result.output).toMatch(/ERROR in step "Verification": the NVLink fabric is not ready \(GPUs by nvidia-smi -q fabric state: 1 In Progress\); CUDA programs fail with error 802/);
    expect(result.output).not.toContain("This host is ready");
    expect(mutating(result.calls).filter((call) => /fabric/.test(call))).toEqual([]);
  });
});
