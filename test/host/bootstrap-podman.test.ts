// The host script with --engine podman: assembled from the same step files as Docker's (with the
// Podman variants of the engine steps), shellcheck-clean, and run end to end in the sandbox on OL8
// and OL9: Podman and podman-compose from the OS repositories, the toolkit, a CDI specification kept
// current (the toolkit's nvidia-cdi-refresh from 1.18.0, a unit of ours before), SELinux's
// container_use_devices where it enforces, rootless ids for the sudo user, and a podman run check.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inOrder, mutating, sandboxMaker, sandboxUnavailable, shellcheckUnavailable, type Settings } from "./sandbox.js";
import { podmanView, renderBootstrapForTest, stepsDir } from "./view.js";
import { file, renderFor } from "../support/render.js";
import { hostSteps } from "../../src/render/host-script.js";
import { matrix } from "../../src/matrix/data.js";
import { tool } from "../../src/matrix/lookup.js";

const script = renderBootstrapForTest(podmanView);
const H100 = "18:00.0 3D controller [0302]: NVIDIA Corporation GH100 [H100 SXM5 80GB] [10de:2330] (rev a1)";
const A100 = "3b:00.0 3D controller [0302]: NVIDIA Corporation GA100 [A100 PCIe 40GB] [10de:20f1] (rev a1)";
const OS = {
  ol8: { os: "ol8", kernel: "5.15.0-209.161.7.2.el8uek.x86_64", gpu: A100, rpm: "cuda-repo-rhel8-12-4-local-12.4.1_550.54.15-1.x86_64.rpm", driver: "550.54.15" },
  ol9: { os: "ol9", kernel: "6.12.0-100.28.2.2.el9uek.x86_64", gpu: H100, rpm: "cuda-repo-rhel9-13-0-local-13.0.2_580.95.05-1.x86_64.rpm", driver: "580.95.05" },
};
const CHECK = "podman run --rm --device nvidia.com/gpu=all docker.io/nvidia/cuda:12.4.1-base-ubuntu22.04 nvidia-smi";
/** The same check as the sudo user, rootless, through runuser (util-linux). */
const ROOTLESS = `runuser -u dev -- ${CHECK} -L`;
const TOOLKIT_INSTALL = /^dnf -y install nvidia-container-toolkit-1\.17\.8-1 /;
/** A driver that is installed and loaded already (run with --skip-driver). */
const READY_DRIVER: Settings = {
  preinstalled: "nvidia-driver:580.95.05,kmod-nvidia-open-dkms:580.95.05,dkms:3.3.0",
  dkms_built: "1",
  loaded_driver: "580.95.05",
};
const TOOLKIT_118 = "nvidia-container-toolkit:1.18.0,nvidia-container-toolkit-base:1.18.0,libnvidia-container-tools:1.18.0,libnvidia-container1:1.18.0";

describe("host bootstrap, --engine podman: the script", () => {
  it("is the header and the step files of both engines and Podman's own, in name order", () => {
    const docker = hostSteps("docker").map((s) => s.replace(/^host\/steps\//, ""));
    const podman = hostSteps("podman").map((s) => s.replace(/^host\/steps\//, ""));
    expect(podman.filter((s) => !s.includes(".podman.")).every((s) => docker.includes(s))).toBe(true);
    expect(podman.some((s) => s.includes(".docker."))).toBe(false);
    expect(podman).toEqual([...podman].sort());
    for (const engine of ["docker", "podman"]) expect(readdirSync(stepsDir)).toContain(`00-about.${engine}.sh`);
    expect(script.split("\n")[0]).toBe("#!/usr/bin/env bash");
    expect(script).not.toMatch(/\{\{|\}\}/);
    expect(script).toContain("readonly STEP_TOTAL=8\n");
    expect(script).not.toMatch(/DOCKER_REPO=|docker run/);
    // Docker Hub mirrors reach Podman through a registries.conf.d drop-in (bootstrap-podman-mirrors.test.ts).
    expect(script).toContain("REGISTRY_MIRRORS=()\n");
  });

  it("every step file is plain shell that fits on one screen (60 lines at most)", () => {
    for (const name of readdirSync(stepsDir)) {
      const text = readFileSync(join(stepsDir, name), "utf8");
      expect(text, name).not.toMatch(/\{\{/);
      expect(text.split("\n").length - 1, name).toBeLessThanOrEqual(60);
    }
  });

  it("takes its Podman, CDI and SELinux facts from matrix/platform.yaml, and names the check image in full", () => {
    const product = file(renderFor(["torch@2.5.1"], { engine: "podman" }).files, "host/bootstrap-oraclelinux.sh");
    expect(product).toContain(`readonly CDI_REFRESH_SINCE='${tool(matrix, "cdiRefreshSince")}'\n`);
    expect(product).toContain(`readonly SELINUX_BOOLEAN='${tool(matrix, "selinuxDeviceBoolean")}'\n`);
    expect(product).toContain(`readonly COMPOSE_PACKAGE='${tool(matrix, "podmanComposePackage")}'\n`);
    expect(product).toMatch(/^readonly VERIFY_IMAGE='docker\.io\/nvidia\/cuda:[^']+'$/m);
    const old = file(renderFor(["torch@1.9.0"], { engine: "podman" }).files, "host/bootstrap-oraclelinux.sh");
    expect(old).toContain("readonly VERIFY_IMAGE='docker.io/library/ubuntu:18.04'\n");
    // The Docker script of the same request is unchanged by the engine work.
    expect(file(renderFor(["torch@2.5.1"]).files, "host/bootstrap-oraclelinux.sh")).toContain("readonly STEP_TOTAL=7\n");
  });

  it("keeps SELinux separation: no container is started with label=disable", () => {
    expect(script).not.toMatch(/podman run[^\n]*label=disable/);
    expect(script).not.toMatch(/setenforce/);
  });

  it.each([
    ["torch-2.5.1", ["torch@2.5.1"]],
    ["torch-1.9.0", ["torch@1.9.0"]],
  ])("golden %s", async (name, specs) => {
    const content = file(renderFor(specs, { engine: "podman" }).files, "host/bootstrap-oraclelinux.sh");
    await expect(content).toMatchFileSnapshot(`../../fixtures/golden-podman/${name}/host/bootstrap-oraclelinux.sh`);
  });

  const noShellcheck = shellcheckUnavailable();
  // The Docker script (the same sample view) is checked in bootstrap-oraclelinux.test.ts.
  it.skipIf(noShellcheck !== null)("passes shellcheck, as the Docker script does", () => {
    for (const text of [script, file(renderFor(["torch@2.5.1"], { engine: "podman" }).files, "host/bootstrap-oraclelinux.sh")]) {
      const result = spawnSync("shellcheck", ["--shell=bash", "--severity=style", "-"], { input: text, encoding: "utf8" });
      expect(result.stdout + result.stderr).toBe("");
      expect(result.status).toBe(0);
    }
  });
});

/**
 * systemd's own check of a unit file the script wrote (`systemd-analyze verify`): the commands it
 * names exist as stand-ins in a private mount namespace (an overlay on /usr/bin), so what is left
 * is systemd's reading of the file. Null where systemd-analyze cannot be had.
 */
function systemdVerify(dir: string, name: string, text: string): { code: number | null; stderr: string } | null {
  if (spawnSync("systemd-analyze", ["--version"]).status !== 0) return null;
  const folder = join(dir, "systemd-verify");
  for (const sub of ["units", "upper", "work"]) mkdirSync(join(folder, sub), { recursive: true });
  writeFileSync(join(folder, "units", name), text);
  const commands = [...text.matchAll(/^Exec\w+=[-@:+!]*(\/\S+)/gm)].map((m) => m[1]!);
  const script = [
    'mount -t overlay overlay -o "lowerdir=/usr/bin,upperdir=$1/upper,workdir=$1/work" /usr/bin',
    'shift; for c; do printf "#!/bin/sh\\n" >"$c"; chmod 755 "$c"; done',
    'exec systemd-analyze verify --man=no "$UNIT"',
  ].join("\n");
  const r = spawnSync("unshare", ["-m", "--propagation", "private", "--", "sh", "-c", script, "sh", folder, ...commands], { encoding: "utf8", env: { ...process.env, UNIT: join(folder, "units", name), SYSTEMD_LOG_LEVEL: "notice" } });
  return { code: r.status, stderr: r.stderr };
}

const noSandbox = sandboxUnavailable();
describe.skipIf(noSandbox !== null)("host bootstrap, --engine podman, in a sandbox", () => {
  const host = sandboxMaker(script);

  it.each(["ol8", "ol9"] as const)("%s, fresh, SELinux enforcing: driver, Podman, CDI, booleans, rootless ids; a second run installs nothing", (os) => {
    const o = OS[os];
    const sb = host({ os: o.os, kernel: o.kernel, gpu: o.gpu, sudo_user: "dev", subuid: "other:100000:65536" });
    const rpm = sb.driverRpm(o.rpm);
    const first = sb.run("--driver-rpm", rpm.path, "--driver-rpm-sha256", rpm.sha256);
    expect(first.code, first.output).toBe(0);
    expect(
      inOrder(first.calls, [
        `dnf -y install oracle-epel-release-el${o.os.slice(2)}`,
        `rpm --install ${rpm.path}`,
        "modprobe nvidia",
        "dnf -y install podman",
        "dnf -y install podman-compose",
        TOOLKIT_INSTALL,
        "systemctl daemon-reload",
        "systemctl enable cuda-scaffold-cdi-refresh.service",
        "nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml",
        "getenforce",
        "setsebool -P container_use_devices on",
        "setsebool -P container_use_xserver_devices on",
        "usermod --add-subuids 165536-231071 --add-subgids 165536-231071 dev",
        CHECK,
        ROOTLESS,
        `${CHECK} -L`,
      ]),
    ).toBeNull();
    expect(first.calls.filter((call) => /^docker|runtime configure|label=disable/.test(call))).toEqual([]);
    expect(sb.file("/etc/cdi/nvidia.yaml")).toContain(`libcuda.so.${o.driver}`);
    const unit = sb.file("/etc/systemd/system/cuda-scaffold-cdi-refresh.service")!;
    expect(unit).toContain("ExecStart=/usr/bin/nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml");
    // systemd itself reads the unit without a complaint.
    const verified = systemdVerify(sb.dir, "cuda-scaffold-cdi-refresh.service", unit);
    if (verified) expect(verified, verified.stderr).toEqual({ code: 0, stderr: "" });
    else console.warn("notice: systemd-analyze is not installed; the unit was not read by systemd.");
    expect(sb.file("/etc/subuid")).toBe("other:100000:65536\ndev:165536:65536\n");
    expect(sb.file("/etc/subgid")).toBe("dev:165536:65536\n");
    expect(first.output).toContain("==> [8/8] Verification");
    expect(first.output).toMatch(/CDI specification\s+\/etc\/cdi\/nvidia\.yaml \(nvidia\.com\/gpu=all\)/);
    expect(first.output).toContain("ok: rootless Podman as dev uses the GPU");
    expect(first.output).toMatch(/^      GPU 0: /m);
    expect(first.output).not.toContain("WARNING");

    const before = sb.snapshot();
    const second = sb.run("--driver-rpm", rpm.path, "--driver-rpm-sha256", rpm.sha256);
    expect(second.code, second.output).toBe(0);
    expect(mutating(second.calls)).toEqual([]);
    expect(second.calls).toContain(CHECK);
    expect(second.calls).toContain(ROOTLESS);
    expect(sb.snapshot()).toEqual(before);
  });

  it.each(["ol8", "ol9"] as const)("%s --dry-run prints every command and changes nothing", (os) => {
    const o = OS[os];
    const sb = host({ os: o.os, kernel: o.kernel, gpu: o.gpu, sudo_user: "dev" });
    const rpm = sb.driverRpm(o.rpm);
    const before = sb.snapshot();
    const result = sb.run("--dry-run", "--driver-rpm", rpm.path);
    expect(result.code, result.output).toBe(0);
    expect(mutating(result.calls)).toEqual([]);
    expect(sb.snapshot()).toEqual(before);
    for (const line of [
      "dnf -y install podman",
      "dnf -y install podman-compose",
      "write /etc/systemd/system/cuda-scaffold-cdi-refresh.service",
      "nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml",
      "setsebool -P container_use_devices on",
      "usermod --add-subuids 100000-165535 --add-subgids 100000-165535 dev",
      CHECK,
      ROOTLESS,
    ]) {
      expect(result.output).toContain(`[dry-run] ${line}`);
    }
    expect(result.output).toContain("Dry run finished: nothing was changed.");
  });

  it("the rootless check runs as the sudo user without root's session variables; its failure is a WARNING with what to try, and the run still exits 0", () => {
    const sb = host({ os: "ol9", kernel: OS.ol9.kernel, gpu: H100, ...READY_DRIVER, sudo_user: "dev", rootless_error: "Error: OCI runtime error: crun: sd-bus call: Process org.freedesktop.systemd1 exited with status 1" });
    const saved = process.env.XDG_RUNTIME_DIR;
    process.env.XDG_RUNTIME_DIR = "/run/user/0";
    let result;
    try {
      result = sb.run("--skip-driver");
    } finally {
      if (saved === undefined) delete process.env.XDG_RUNTIME_DIR;
      else process.env.XDG_RUNTIME_DIR = saved;
    }
    expect(result.code, result.output).toBe(0);
    expect(inOrder(result.calls, [CHECK, ROOTLESS])).toBeNull();
    // runuser keeps root's environment but HOME, SHELL, USER and LOGNAME: the script drops the session variables.
    expect(readFileSync(join(sb.dir, "state/rootless_env"), "utf8")).toBe("XDG_RUNTIME_DIR= DBUS_SESSION_BUS_ADDRESS= PWD=/\n");
    expect(result.output).toContain("WARNING: the rootless check as dev failed (exit 1): Error: OCI runtime error: crun: sd-bus call");
    expect(result.output).toContain(`  podman run --rm --device nvidia.com/gpu=all docker.io/nvidia/cuda:12.4.1-base-ubuntu22.04 nvidia-smi -L`);
    expect(result.output).toContain("podman system migrate");
    expect(result.output).toContain("This host is ready for the generated stack.");
    expect(result.output).not.toContain("ERROR");
  });

  it("without a sudo user there is no rootless check, only a note", () => {
    const sb = host({ os: "ol8", kernel: OS.ol8.kernel, gpu: A100, ...READY_DRIVER });
    const result = sb.run("--skip-driver");
    expect(result.code, result.output).toBe(0);
    expect(result.calls.filter((call) => call.startsWith("runuser"))).toEqual([]);
    expect(result.output).toContain("note: no rootless check: the script was not run with sudo by a user");
    const dry = sb.run("--skip-driver", "--dry-run");
    expect(dry.output).not.toContain("runuser");
  });

  // The compose file's userns_mode keep-id:uid=…,gid=… needs Podman 4.5 run as root and a
  // podman-compose that passes it on outside a pod (matrix/platform.yaml podmanKeepIdRootfulSince,
  // podmanComposeUsernsModeSince, podmanComposePodDefaultSince, podmanComposeInPodKeySince).
  it.each([
    { was: "podman:4.4.1,podman-compose:1.0.3", epel: "1.0.6", upgrades: ["dnf -y upgrade podman", "dnf -y upgrade podman-compose"], warning: null },
    { was: "podman:4.5.0,podman-compose:1.1.0", epel: "1.2.0", upgrades: ["dnf -y upgrade podman-compose"], warning: null },
    { was: "podman:4.9.4,podman-compose:1.1.0", epel: "1.1.0", upgrades: ["dnf -y upgrade podman-compose"], warning: /WARNING: podman-compose 1\.1\.0 is not a release the generated compose file's userns_mode works with/ },
    { was: "podman:4.9.4,podman-compose:1.0.6", epel: "1.0.6", upgrades: [], warning: null },
    { was: "podman:5.4.0,podman-compose:1.5.0", epel: "1.5.0", upgrades: [], warning: null },
  ])("installed $was: upgrades $upgrades", ({ was, epel, upgrades, warning }) => {
    const settings = { os: "ol9", kernel: OS.ol9.kernel, gpu: H100, ...READY_DRIVER, preinstalled: `${READY_DRIVER.preinstalled},${was}`, epel_compose: epel };
    const dry = host(settings).run("--skip-driver", "--dry-run");
    expect(dry.code, dry.output).toBe(0);
    for (const call of upgrades) expect(dry.output).toContain(`[dry-run] ${call}`);
    const result = host(settings).run("--skip-driver");
    expect(result.code, result.output).toBe(0);
    expect(result.calls.filter((call) => call.startsWith("dnf -y upgrade"))).toEqual(upgrades);
    if (warning) expect(result.output).toMatch(warning);
    else expect(result.output).not.toContain("WARNING");
  });

  it("SELinux disabled or permissive: no boolean is set (permissive only with --selinux-mode enforcing); skip leaves it to fail loudly", () => {
    const disabled = host({ os: "ol9", kernel: OS.ol9.kernel, gpu: H100, selinux: "Disabled", ...READY_DRIVER });
    const off = disabled.run("--skip-driver");
    expect(off.code, off.output).toBe(0);
    expect(off.output).toContain("SELinux is disabled: no boolean to set");
    expect(off.calls.filter((call) => /^(getsebool|setsebool)/.test(call))).toEqual([]);

    const permissive = host({ os: "ol8", kernel: OS.ol8.kernel, gpu: A100, selinux: "Permissive", ...READY_DRIVER });
    const auto = permissive.run("--skip-driver");
    expect(auto.code, auto.output).toBe(0);
    expect(auto.output).toContain("SELinux is permissive: GPU access is only logged");
    expect(auto.calls.filter((call) => call.startsWith("setsebool"))).toEqual([]);
    const forced = permissive.run("--skip-driver", "--selinux-mode", "enforcing");
    expect(forced.code, forced.output).toBe(0);
    expect(forced.calls).toContain("setsebool -P container_use_devices on");

    const enforcing = host({ os: "ol9", kernel: OS.ol9.kernel, gpu: H100, ...READY_DRIVER });
    const skipped = enforcing.run("--skip-driver", "--selinux-mode=skip");
    expect(skipped.code, skipped.output).toBe(1);
    expect(skipped.calls.filter((call) => /^(getenforce|getsebool|setsebool)/.test(call))).toEqual([]);
    expect(skipped.output).toContain("Failed to initialize NVML: Insufficient Permissions");
    expect(skipped.output).toContain('ERROR in step "Verification": a container could not use the GPU (podman run exited 9)');
  });

  it("a policy without container_use_xserver_devices gets container_use_devices only; one without container_use_devices stops", () => {
    const older = host({ os: "ol8", kernel: OS.ol8.kernel, gpu: A100, sebool: "container_use_devices:off", ...READY_DRIVER });
    const result = older.run("--skip-driver");
    expect(result.code, result.output).toBe(0);
    expect(result.calls.filter((call) => call.startsWith("setsebool"))).toEqual(["setsebool -P container_use_devices on"]);
    expect(result.output).toContain("has no container_use_xserver_devices");
    const oldest = host({ os: "ol8", kernel: OS.ol8.kernel, gpu: A100, sebool: "virt_use_nfs:off", ...READY_DRIVER });
    const refused = oldest.run("--skip-driver");
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toContain('ERROR in step "SELinux and rootless use": this host\'s SELinux policy has no container_use_devices boolean');
  });

  it("a CDI specification left from an older driver is regenerated; with toolkit 1.18 nvidia-cdi-refresh keeps /var/run/cdi current", () => {
    const stale = host({ os: "ol9", kernel: OS.ol9.kernel, gpu: H100, ...READY_DRIVER, cdi_spec: "/etc/cdi/nvidia.yaml:570.86.10" });
    const result = stale.run("--skip-driver");
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("/etc/cdi/nvidia.yaml does not name the loaded driver 580.95.05: it is stale and is regenerated");
    expect(result.calls).toContain("nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml");
    expect(stale.file("/etc/cdi/nvidia.yaml")).toContain("libcuda.so.580.95.05");

    const newer = host({ os: "ol9", kernel: OS.ol9.kernel, gpu: H100, ...READY_DRIVER, preinstalled: `${READY_DRIVER.preinstalled},${TOOLKIT_118}`, cdi_spec: "/etc/cdi/nvidia.yaml:570.86.10" });
    const first = newer.run("--skip-driver");
    expect(first.code, first.output).toBe(0);
    expect(
      inOrder(first.calls, [
        "systemctl enable --now nvidia-cdi-refresh.path",
        "systemctl enable nvidia-cdi-refresh.service",
        "nvidia-ctk cdi generate --output=/var/run/cdi/nvidia.yaml",
        "nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml",
        CHECK,
      ]),
    ).toBeNull();
    expect(newer.file("/etc/systemd/system/cuda-scaffold-cdi-refresh.service")).toBeNull();
    expect(newer.file("/var/run/cdi/nvidia.yaml")).toContain("libcuda.so.580.95.05");
    const again = newer.run("--skip-driver");
    expect(again.code, again.output).toBe(0);
    expect(mutating(again.calls)).toEqual([]);
  });

  it("refuses the Docker-only option and a host with Docker CE, before changing anything", () => {
    const sb = host({ os: "ol9", kernel: OS.ol9.kernel, gpu: H100, ...READY_DRIVER });
    const result = sb.run("--skip-driver", "--docker-repo", "https://mirror.example.com/docker");
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain("--docker-repo is a Docker option, and this script sets up Podman");
    expect(result.calls).toEqual([]);
    expect(sb.run("--selinux-mode", "permissive").output).toContain("--selinux-mode must be auto, enforcing or skip");
    const docker = host({ os: "ol8", kernel: OS.ol8.kernel, gpu: A100, ...READY_DRIVER, preinstalled: `${READY_DRIVER.preinstalled},docker-ce,containerd.io` });
    const refused = docker.run("--skip-driver");
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toContain('ERROR in step "Pre-flight checks": Docker CE is installed (docker-ce containerd.io)');
    expect(mutating(refused.calls)).toEqual([]);
  });
});
