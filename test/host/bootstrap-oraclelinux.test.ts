// The Oracle Linux host bootstrap script: rendered from its template, checked by shellcheck, and
// run end to end in a sandbox (test/host/sandbox.sh) on OL8 and OL9, UEK and RHCK.
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { inOrder, mutating, Sandbox, sandboxUnavailable, shellcheckUnavailable, type Settings } from "./sandbox.js";
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
    expect(script).not.toContain("--nogpgcheck");
    expect(script).not.toMatch(/\|\s*(ba)?sh\b/);
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
  const sandboxes: Sandbox[] = [];
  const host = (settings: Settings) => {
    const sandbox = new Sandbox(script, settings);
    sandboxes.push(sandbox);
    return sandbox;
  };
  afterAll(() => sandboxes.forEach((sandbox) => sandbox.remove()));

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

    const first = sb.run("--driver-rpm", rpm.path, "--driver-rpm-sha256", rpm.sha256);
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
        `rpm --install ${rpm.path}`,
        "dnf clean all",
        "dnf -y module install nvidia-driver:550-open",
      ]),
    ).toBeNull();
    expect(first.calls.some((call) => call.startsWith("modprobe"))).toBe(false);
    expect(first.calls.some((call) => /docker/.test(call))).toBe(false);
    expect(sb.file("/etc/dkms/framework.conf.d/uek-gcc-toolset.conf")).toContain('build_environment="/opt/rh/gcc-toolset-11/enable"');
    expect(sb.file("/etc/modprobe.d/blacklist-nouveau.conf")).toMatch(/^blacklist nouveau$/m);

    sb.reboot();
    const second = sb.run("--driver-rpm", rpm.path, "--driver-rpm-sha256", rpm.sha256);
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
        `rpm --install ${rpm.path}`,
        "dnf -y module enable nvidia-driver:580-open",
        "dnf -y install nvidia-open",
        "modprobe nvidia",
        ...CONTAINER_STACK,
      ]),
    ).toBeNull();
    expect(first.calls).not.toContain("dnf config-manager --set-enabled ol9_UEKR8");
    expect(mutating(first.calls).filter((call) => call.includes("gcc-toolset"))).toEqual([]);
    expect(first.calls.filter((call) => call.startsWith("dnf -y remove"))).toEqual([]);
    expect(sb.file("/etc/dkms/framework.conf.d/uek-gcc-toolset.conf")).toContain('build_environment="/opt/rh/gcc-toolset-14/enable"');
    expect(first.output).toMatch(/NVIDIA driver\s+580\.95\.05\s+>= 440\.33/);

    const before = sb.snapshot();
    const packages = sb.installedPackages();
    const second = sb.run("--driver-rpm", rpm.path);
    expect(second.code, second.output).toBe(0);
    expect(mutating(second.calls)).toEqual([]);
    expect(sb.installedPackages()).toEqual(packages);
    expect(sb.snapshot()).toEqual(before);
  });

  it("OL8 RHCK, V100: proprietary modules from the local rpm, kernel-devel for the running kernel", () => {
    const sb = host({ os: "ol8", kernel: OL8_RHCK, gpu: GPU.v100, preinstalled: "dnf-plugins-core" });
    const rpm = sb.driverRpm(RPM_OL8_124);
    const result = sb.run("--driver-rpm", rpm.path, "--driver-rpm-sha256", rpm.sha256.toUpperCase());
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`SHA-256 of ${RPM_OL8_124} verified`);
    expect(result.output).toMatch(/kernel modules: proprietary \(pre-Turing GPU/);
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

  it("OL9 RHCK from NVIDIA's network repository: reboot into the newest kernel first, then kernel-devel-matched", () => {
    const sb = host({ os: "ol9", kernel: OL9_RHCK_OLD, extra_kernel: OL9_RHCK_NEW, gpu: GPU.l40s });
    const first = sb.run("--driver-source", "network");
    expect(first.code, first.output).toBe(3);
    expect(first.output).toContain(`the running kernel ${OL9_RHCK_OLD} is not the newest installed RHCK kernel (${OL9_RHCK_NEW})`);
    expect(mutating(first.calls)).toEqual([]);

    sb.reboot();
    const second = sb.run("--driver-source", "network");
    expect(second.code, second.output).toBe(0);
    expect(
      inOrder(second.calls, [
        "dnf -y install kernel-devel-matched kernel-headers dkms",
        "dnf config-manager --add-repo https://developer.download.nvidia.com/compute/cuda/repos/rhel9/x86_64/cuda-rhel9.repo",
        "dnf -y module enable nvidia-driver:open-dkms",
        "dnf -y install nvidia-open",
        "modprobe nvidia",
        ...CONTAINER_STACK,
      ]),
    ).toBeNull();
    expect(second.calls.filter((call) => /UEK|rpm --install/.test(call))).toEqual([]);
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

  it("--dry-run prints every command and changes nothing", () => {
    const sb = host({ os: "ol9", kernel: OL9_UEK8, gpu: GPU.h100, nouveau: "1", preinstalled: "podman,runc" });
    const rpm = sb.driverRpm(RPM_OL9_130);
    const before = sb.snapshot();
    const result = sb.run("--dry-run", "--driver-rpm", rpm.path);
    expect(result.code, result.output).toBe(0);
    expect(mutating(result.calls)).toEqual([]);
    expect(sb.snapshot()).toEqual(before);
    expect(sb.file("/var/log/cuda-scaffold-bootstrap.log")).toBeNull();
    for (const line of [
      "dnf -y install dnf-plugins-core",
      "dnf config-manager --set-enabled ol9_codeready_builder",
      `dnf -y install kernel-uek-devel-${OL9_UEK8} kernel-headers dkms`,
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
    const sb = new Sandbox(product, { os: "ol9", kernel: OL9_UEK8, gpu: GPU.h100, kernel_cc: "gcc (GCC) 14.2.1 20250110 (Red Hat 14.2.1-7)", toolset_pulled: "1" });
    sandboxes.push(sb);
    const rpm = sb.driverRpm(RPM_OL9_130);
    const first = sb.run("--driver-rpm", rpm.path);
    expect(first.code, first.output).toBe(0);
    expect(first.calls).toContain(`dnf -y install ${["nvidia-container-toolkit", "nvidia-container-toolkit-base", "libnvidia-container-tools", "libnvidia-container1"].map((p) => `${p}-${tool(matrix, "containerToolkitVersion")}`).join(" ")}`);
    expect(first.calls).toContain("docker run --rm --gpus all nvidia/cuda:12.4.1-base-ubuntu22.04 nvidia-smi");
    expect(first.output).toMatch(/NVIDIA driver\s+580\.95\.05\s+>= 550\.54\.15/);
    const second = sb.run("--driver-rpm", rpm.path);
    expect(second.code, second.output).toBe(0);
    expect(mutating(second.calls)).toEqual([]);
  });
});
