// The host script's package lists and version limits come from matrix/platform.yaml (the tools rows
// dockerPackages … dkmsBuildEnvironmentSince, and uekRepositories) through the header: bash reads
// exactly the data's values in both engines' scripts, for x86_64 and aarch64 stacks; a row changed in
// a copy of the data changes the script, and the steps act on the new value (in the sandbox); no
// step file repeats one of the values.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sandboxMaker, sandboxUnavailable, type Settings } from "./sandbox.js";
import { stepsDir } from "./view.js";
import { file, request, TEST_VERSION } from "../support/render.js";
import { matrix, type Matrix } from "../../src/matrix/data.js";
import { tool } from "../../src/matrix/lookup.js";
import type { GpuChipFamily, UekRepository } from "../../src/matrix/types.gen.js";
import { resolveStack } from "../../src/resolve/resolve-stack.js";
import { renderFiles } from "../../src/render/render-files.js";

type Engine = "docker" | "podman";
type Platform = "linux/amd64" | "linux/arm64";
type Change = (m: Matrix) => Matrix;

function render(m: Matrix, engine: Engine, platform: Platform, spec = "torch@2.9.0"): string {
  const res = resolveStack(request([spec], { engine, platform }), m);
  return file(renderFiles(res, m, TEST_VERSION), "host/bootstrap-oraclelinux.sh");
}

/** A copy of the data with one tools row's value replaced. */
const withTool = (key: string, value: string): Change => (m) => ({
  ...m,
  platform: { ...m.platform, tools: { ...m.platform.tools, [key]: { ...m.platform.tools[key]!, value } } },
});
/** A copy of the data with other GPU chip families. */
const withChips = (rows: (m: Matrix) => GpuChipFamily[]): Change => (m) => ({
  ...m,
  platform: { ...m.platform, gpuChipFamilies: rows(m) as [GpuChipFamily, ...GpuChipFamily[]] },
});
/** A copy of the data with other UEK rows. */
const withUek = (rows: (m: Matrix) => UekRepository[]): Change => (m) => ({
  ...m,
  platform: { ...m.platform, uekRepositories: rows(m) as [UekRepository, ...UekRepository[]] },
});

const SHOW = `
for name in DOCKER_PACKAGES DOCKER_CONFLICTS TOOLKIT_PACKAGES; do
  if declare -p "$name" >/dev/null 2>&1; then declare -n list=$name; printf '%s=%s\\n' "$name" "\${list[*]}"; unset -n list; fi
done
printf 'OPEN_MODULES_SINCE=%s\\nOPEN_MODULES_ONLY_SINCE=%s\\nDKMS_BUILD_ENVIRONMENT_SINCE=%s\\n' "$OPEN_MODULES_SINCE" "$OPEN_MODULES_ONLY_SINCE" "$DKMS_BUILD_ENVIRONMENT_SINCE"
printf 'OPEN_MODULES_DEFAULT_SINCE=%s\\nDRIVER_MODULE_INSTALL_THROUGH=%s\\nLONG_TERM_BRANCH=%s\\n' "$OPEN_MODULES_DEFAULT_SINCE" "$DRIVER_MODULE_INSTALL_THROUGH" "$LONG_TERM_BRANCH"
printf 'DNF_MODULE_SWITCH_TO_SINCE=%s\\n' "$DNF_MODULE_SWITCH_TO_SINCE"
printf 'WSL_KERNEL_MARKER=%s\\nWSL1_KERNEL_SUFFIX=%s\\nWSL_LIB_DIR=%s\\nWSL_DRIVER_SINCE=%s\\nWSL_SYSTEMD_SINCE=%s\\n' "$WSL_KERNEL_MARKER" "$WSL1_KERNEL_SUFFIX" "$WSL_LIB_DIR" "$WSL_DRIVER_SINCE" "$WSL_SYSTEMD_SINCE"
for kernel in "\${!UEK_REPOS[@]}"; do printf 'UEK %s=%s\\n' "$kernel" "\${UEK_REPOS[$kernel]}"; done
for chip in "\${!CHIP_MODULES[@]}"; do printf 'CHIP %s=%s\\n' "$chip" "\${CHIP_MODULES[$chip]}"; done
for chip in "\${!CHIP_ARCHITECTURES[@]}"; do printf 'ARCHITECTURE %s=%s\\n' "$chip" "\${CHIP_ARCHITECTURES[$chip]}"; done
printf 'PROPRIETARY_ONLY_ARCHITECTURES=%s\\n' "$PROPRIETARY_ONLY_ARCHITECTURES"
`;

/** What bash holds after the script's header (everything up to its REGISTRY_MIRRORS line), one name=value per line. */
function shellValues(script: string): Record<string, string> {
  const header = script.slice(0, script.indexOf("\n", script.indexOf("\nREGISTRY_MIRRORS=(")) + 1);
  const result = spawnSync("bash", ["-s"], { input: header + SHOW, encoding: "utf8" });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return Object.fromEntries(result.stdout.trim().split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
}

/** The same, straight from the data. */
function dataValues(m: Matrix, engine: Engine, platform: Platform): Record<string, string> {
  const t = (key: string) => tool(m, key);
  return {
    DOCKER_PACKAGES: t("dockerPackages"),
    ...(engine === "docker" ? { DOCKER_CONFLICTS: `${t("dockerConflicts")} ${t("dockerConflictsOracleLinux")}` } : {}),
    TOOLKIT_PACKAGES: t("containerToolkitPackages"),
    OPEN_MODULES_SINCE: t("openKernelModulesSince"),
    OPEN_MODULES_ONLY_SINCE: t("openKernelModulesOnlySince"),
    DKMS_BUILD_ENVIRONMENT_SINCE: t("dkmsBuildEnvironmentSince"),
    OPEN_MODULES_DEFAULT_SINCE: t("openKernelModulesDefaultSince"),
    DRIVER_MODULE_INSTALL_THROUGH: t("driverModuleInstallThrough"),
    LONG_TERM_BRANCH: t("longTermDriverBranch"),
    DNF_MODULE_SWITCH_TO_SINCE: t("dnfModuleSwitchToSince"),
    WSL_KERNEL_MARKER: t("wslKernelMarker"),
    WSL1_KERNEL_SUFFIX: t("wsl1KernelSuffix"),
    WSL_LIB_DIR: t("wslLibDir"),
    WSL_DRIVER_SINCE: t("wslDriverSince"),
    WSL_SYSTEMD_SINCE: t("wslSystemdSince"),
    // On aarch64 a UEK release's own repository where it has one there (aarch64Repo where it differs).
    ...Object.fromEntries(m.platform.uekRepositories.map((r) => [`UEK ${r.kernel}`, (platform === "linux/arm64" && r.aarch64Repo) || r.repo])),
    ...Object.fromEntries(m.platform.gpuChipFamilies.map((r) => [`CHIP ${r.prefix}`, r.kernelModules])),
    ...Object.fromEntries(m.platform.gpuChipFamilies.map((r) => [`ARCHITECTURE ${r.prefix}`, r.architecture])),
    PROPRIETARY_ONLY_ARCHITECTURES: [...new Set(m.platform.gpuChipFamilies.filter((r) => r.kernelModules === "proprietary").map((r) => r.architecture))].join(", "),
  };
}

const SCRIPTS: [Engine, Platform][] = [
  ["docker", "linux/amd64"],
  ["docker", "linux/arm64"],
  ["podman", "linux/amd64"],
  ["podman", "linux/arm64"],
];

/** Each row changes one fact in a copy of the data. */
const CHANGES: [string, Change][] = [
  ["dockerPackages", withTool("dockerPackages", "docker-ce docker-ce-cli containerd.io")],
  ["dockerConflicts", withTool("dockerConflicts", "docker docker-engine podman runc")],
  ["dockerConflictsOracleLinux", withTool("dockerConflictsOracleLinux", "buildah podman-docker skopeo")],
  ["containerToolkitPackages", withTool("containerToolkitPackages", "nvidia-container-toolkit nvidia-container-toolkit-base libnvidia-container-tools")],
  ["openKernelModulesSince", withTool("openKernelModulesSince", "520")],
  ["openKernelModulesOnlySince", withTool("openKernelModulesOnlySince", "630")],
  ["dkmsBuildEnvironmentSince", withTool("dkmsBuildEnvironmentSince", "3.4.1")],
  ["openKernelModulesDefaultSince", withTool("openKernelModulesDefaultSince", "555")],
  ["driverModuleInstallThrough", withTool("driverModuleInstallThrough", "575")],
  ["longTermDriverBranch", withTool("longTermDriverBranch", "535")],
  ["dnfModuleSwitchToSince", withTool("dnfModuleSwitchToSince", "4.4.2")],
  ["wslLibDir", withTool("wslLibDir", "/usr/lib/wsl/lib64")],
  ["wslDriverSince", withTool("wslDriverSince", "510")],
  ["gpuChipFamilies", withChips((m) => m.platform.gpuChipFamilies.map((r) => (r.prefix === "GH" ? { ...r, kernelModules: "open" as const } : r)))],
  ["gpuChipFamilies (an architecture's name)", withChips((m) => m.platform.gpuChipFamilies.map((r) => (r.prefix === "GP" ? { ...r, architecture: "Pascal (data)" } : r)))],
  ["uekRepositories", withUek((m) => [...m.platform.uekRepositories, { kernel: "6.18.0", repo: "UEKR9", source: "https://docs.oracle.com/en/operating-systems/uek/" }])],
  ["uekRepositories (a release's own repository on aarch64)", withUek((m) => m.platform.uekRepositories.map((r) => (r.kernel === "5.4.17" ? { kernel: r.kernel, repo: r.repo, source: r.source } : r)))],
];

describe("the host script's package lists and version limits come from matrix/platform.yaml", () => {
  it.each(SCRIPTS)("the %s script for %s holds exactly the data's values", (engine, platform) => {
    expect(shellValues(render(matrix, engine, platform))).toEqual(dataValues(matrix, engine, platform));
  });

  const cases = CHANGES.flatMap(([key, change]) => SCRIPTS.map(([engine, platform]) => [key, engine, platform, change] as const));
  it.each(cases)("%s changed in a copy of the data: the %s script for %s holds the new value", (key, engine, platform, change) => {
    const changed = change(matrix);
    const before = shellValues(render(matrix, engine, platform));
    const after = shellValues(render(changed, engine, platform));
    expect(after).toEqual(dataValues(changed, engine, platform));
    // The Podman script removes no conflicting packages (it refuses a host with Docker CE instead).
    if (engine === "podman" && key.startsWith("dockerConflicts")) expect(after).toEqual(before);
    // An x86_64 script holds no aarch64 repository.
    else if (key.includes("on aarch64") && platform === "linux/amd64") expect(after).toEqual(before);
    else expect(after).not.toEqual(before);
  });

  it("keeps its arrays readable: one line per 100 characters at most, continuations indented", () => {
    const script = render(matrix, "docker", "linux/amd64");
    const block = script.slice(script.indexOf("readonly DOCKER_PACKAGES=("), script.indexOf("\n", script.indexOf("declare -rA UEK_REPOS=(")));
    for (const line of block.split("\n")) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(block).toMatch(/^readonly DOCKER_CONFLICTS=\('docker' [^\n]*\n  '/m);
  });

  it("no step file repeats a value the data holds", () => {
    const t = (key: string) => tool(matrix, key);
    const values = [
      t("openKernelModulesSince"),
      t("openKernelModulesOnlySince"),
      t("dkmsBuildEnvironmentSince"),
      t("openKernelModulesDefaultSince"),
      t("driverModuleInstallThrough"),
      t("longTermDriverBranch"),
      t("dnfModuleSwitchToSince"),
      t("wslLibDir"),
      t("wsl1KernelSuffix"),
      ...matrix.platform.uekRepositories.flatMap((r) => [r.kernel, r.repo, ...(r.aarch64Repo ? [r.aarch64Repo] : [])]),
      ...matrix.platform.gpuChipFamilies.map((r) => r.prefix),
      // Package names with a dash, but not docker-ce and nvidia-container-toolkit, which also name
      // the repositories and key files the steps set up.
      ...["dockerPackages", "dockerConflicts", "containerToolkitPackages"]
        .flatMap((key) => t(key).split(" "))
        .filter((p) => p.includes("-") && !p.startsWith("docker-ce") && p !== "nvidia-container-toolkit"),
    ];
    const defined = /^readonly (DOCKER_PACKAGES|DOCKER_CONFLICTS|TOOLKIT_PACKAGES)=/m;
    for (const name of readdirSync(stepsDir)) {
      const text = readFileSync(join(stepsDir, name), "utf8");
      expect(text, name).not.toMatch(defined);
      for (const value of values) expect(text, `${name}: ${value}`).not.toMatch(new RegExp(`(?<![\\w.-])${value.replace(/\./g, "\\.")}(?![\\w-])`));
    }
  });
});

const H100 = "18:00.0 3D controller [0302]: NVIDIA Corporation GH100 [H100 SXM5 80GB] [10de:2330] (rev a1)";
const OL9_RHCK = "5.14.0-570.12.1.0.1.el9_6.x86_64";
const OL8_UEK7 = "5.15.0-209.161.7.2.el8uek.x86_64";
const OL9_UEK8 = "6.12.0-100.28.2.2.el9uek.x86_64";
const GCC14 = "gcc (GCC) 14.2.1 20250110 (Red Hat 14.2.1-7)";
/** A driver that is installed and loaded already (for runs with --skip-driver). */
const READY_DRIVER: Settings = {
  preinstalled: "nvidia-driver:580.95.05,kmod-nvidia-open-dkms:580.95.05,dkms:3.3.0",
  dkms_built: "1",
  loaded_driver: "580.95.05",
};

/** Each row: a fact changed in a copy of the data, a host, the script's arguments, and what the run then does. */
const RUNS: [string, Engine, Change, Settings, string[], (output: string, calls: string[]) => void][] = [
  [
    "a UEK release with another repository",
    "docker",
    withUek((m) => m.platform.uekRepositories.map((r) => (r.kernel === "5.15.0" ? { ...r, repo: "UEKR6" } : r))),
    { os: "ol8", kernel: OL8_UEK7, gpu: H100 },
    ["--dry-run", "--driver-source", "network"],
    (output) => {
      expect(output).toContain("dnf config-manager --set-enabled ol8_UEKR6");
      expect(output).not.toContain("ol8_UEKR7");
    },
  ],
  [
    "a UEK release the data does not know",
    "docker",
    withUek((m) => m.platform.uekRepositories.filter((r) => r.kernel !== "6.12.0")),
    { os: "ol9", kernel: OL9_UEK8, gpu: H100 },
    ["--dry-run", "--driver-source", "network"],
    (output) => {
      expect(output).toContain(`no known UEK repository for kernel ${OL9_UEK8}`);
      expect(output).not.toContain("set-enabled ol9_UEKR");
    },
  ],
  [
    "a later DKMS release for build_environment",
    "docker",
    withTool("dkmsBuildEnvironmentSince", "3.4.1"),
    { os: "ol9", kernel: OL9_UEK8, gpu: H100, kernel_cc: GCC14, dkms_version: "3.3.0" },
    ["--driver-source", "network"],
    (output) => expect(output).toContain('ERROR in step "Kernel headers and toolchain": dkms 3.3.0 ignores build_environment (added in dkms 3.4.1)'),
  ],
  [
    "a later first branch with open modules",
    "podman",
    withTool("openKernelModulesSince", "590"),
    { os: "ol9", kernel: OL9_RHCK, gpu: H100 },
    ["--driver-source", "network", "--driver-branch", "580"],
    (output) => expect(output).toContain("driver branch 580 has no open kernel modules (they start with R590)"),
  ],
  [
    "an earlier branch with only open modules",
    "docker",
    withTool("openKernelModulesOnlySince", "580"),
    { os: "ol9", kernel: OL9_RHCK, gpu: H100 },
    ["--driver-source", "network", "--driver-branch", "580", "--kernel-modules", "proprietary"],
    (output) => {
      expect(output).toContain("driver branch 580 has no proprietary kernel modules (NVIDIA removed them in R580)");
      expect(output).toContain("Use a branch below 580");
    },
  ],
  [
    "a later first branch with open modules by default",
    "docker",
    withTool("openKernelModulesDefaultSince", "555"),
    { os: "ol9", kernel: OL9_RHCK, gpu: H100 },
    ["--dry-run", "--driver-source", "network"],
    (output) => {
      expect(output).toContain("kernel modules: open (Hopper GPUs, which either flavour drives; open modules are NVIDIA's default since R555)");
      expect(output).not.toContain("since R560");
    },
  ],
  [
    "a later last branch installed with dnf module install",
    "podman",
    withTool("driverModuleInstallThrough", "580"),
    { os: "ol9", kernel: OL9_RHCK, gpu: H100 },
    ["--dry-run", "--driver-source", "network", "--driver-branch", "580"],
    (output) => {
      expect(output).toContain("dnf -y module install nvidia-driver:580-open");
      expect(output).not.toContain("dnf -y install nvidia-open");
    },
  ],
  [
    "another long-term branch to suggest",
    "docker",
    withTool("longTermDriverBranch", "535"),
    { os: "ol9", kernel: OL9_RHCK, gpu: H100 },
    ["--driver-source", "network", "--driver-branch", "620", "--kernel-modules", "proprietary"],
    (output) => {
      expect(output).toContain("(for example --driver-branch 535, a long-term branch)");
      expect(output).not.toContain("--driver-branch 580");
    },
  ],
  [
    "another long-term branch in the help",
    "podman",
    withTool("longTermDriverBranch", "535"),
    {},
    ["--help"],
    (output) => expect(output).toMatch(/--driver-branch N +with --driver-source network: pin this driver branch \(e\.g\. 535\)/),
  ],
  [
    "a chip family the data adds",
    "docker",
    withChips((m) => [...m.platform.gpuChipFamilies, { prefix: "GR", architecture: "Rubin", kernelModules: "open", source: "https://docs.nvidia.com/datacenter/tesla/" }]),
    { os: "ol9", kernel: OL9_RHCK, gpu: "18:00.0 3D controller [0302]: NVIDIA Corporation GR100 [10de:3300] (rev a1)" },
    ["--dry-run", "--driver-source", "network"],
    (output) => {
      expect(output).toContain("kernel modules: open (Rubin GPU found; only the open modules drive it)");
      expect(output).not.toContain("Blackwell");
      expect(output).not.toContain("GPU generation not recognised");
    },
  ],
  [
    "a chip family that moves to either flavour",
    "podman",
    withChips((m) => m.platform.gpuChipFamilies.map((r) => (r.prefix === "GV" ? { ...r, kernelModules: "either" as const } : r))),
    { os: "ol9", kernel: OL9_RHCK, gpu: "00:1e.0 3D controller [0302]: NVIDIA Corporation GV100GL [Tesla V100 SXM2 32GB] [10de:1db5] (rev a1)" },
    ["--dry-run", "--driver-source", "network"],
    (output) => {
      expect(output).toContain("kernel modules: open (Volta GPUs, which either flavour drives;");
      expect(output).not.toContain("proprietary modules drive");
    },
  ],
  [
    "one-flavour families on one host, named from the data",
    "docker",
    withChips((m) => m.platform.gpuChipFamilies.map((r) => (r.prefix === "GV" ? { ...r, architecture: "Volta (data)" } : r.prefix === "GB" ? { ...r, architecture: "Blackwell (data)" } : r))),
    { os: "ol9", kernel: OL9_RHCK, gpu: ["00:1e.0 3D controller [0302]: NVIDIA Corporation GV100GL [Tesla V100 SXM2 32GB] [10de:1db5] (rev a1)", "1b:00.0 3D controller [0302]: NVIDIA Corporation GB100 [B200] [10de:2901] (rev a1)"] },
    ["--dry-run", "--driver-source", "network"],
    (output) => expect(output).toContain("this host mixes GPUs only the proprietary modules drive (Volta (data)) with GPUs only the open modules drive (Blackwell (data)); no single driver flavour drives both"),
  ],
  [
    "a GPU no family matches: the note lists the data's proprietary-only architectures",
    "podman",
    withChips((m) => [...m.platform.gpuChipFamilies, { prefix: "GF", architecture: "Fermi", kernelModules: "proprietary", source: "https://docs.nvidia.com/datacenter/tesla/" }]),
    { os: "ol9", kernel: OL9_RHCK, gpu: "18:00.0 3D controller [0302]: NVIDIA Corporation Device [10de:9999] (rev a1)" },
    ["--dry-run", "--driver-source", "network"],
    (output) => {
      expect(output).toContain("kernel modules: open (GPU generation not recognised from lspci;");
      expect(output).toContain("for a GPU only the proprietary modules drive (Kepler, Maxwell, Pascal, Volta, Fermi), run again with --kernel-modules proprietary");
    },
  ],
  [
    "another Oracle Linux package that conflicts with Docker CE",
    "docker",
    withTool("dockerConflictsOracleLinux", "buildah podman-docker skopeo"),
    { os: "ol9", kernel: OL9_RHCK, gpu: H100, ...READY_DRIVER, preinstalled: `${READY_DRIVER.preinstalled},podman,runc,skopeo` },
    ["--skip-driver", "--replace-podman"],
    (_output, calls) => expect(calls).toContain("dnf -y remove podman runc skopeo"),
  ],
  [
    "another toolkit package list",
    "docker",
    withTool("containerToolkitPackages", "nvidia-container-toolkit nvidia-container-toolkit-base"),
    { os: "ol9", kernel: OL9_RHCK, gpu: H100, ...READY_DRIVER },
    ["--skip-driver"],
    (_output, calls) => expect(calls).toContain("dnf -y install nvidia-container-toolkit-1.17.8-1 nvidia-container-toolkit-base-1.17.8-1"),
  ],
  [
    "another Docker CE package, which the Podman script refuses",
    "podman",
    withTool("dockerPackages", "docker-ce docker-ce-cli containerd.io docker-ce-rootless-extras"),
    { os: "ol9", kernel: OL9_RHCK, gpu: H100, ...READY_DRIVER, preinstalled: `${READY_DRIVER.preinstalled},docker-ce-rootless-extras` },
    ["--skip-driver"],
    (output) => expect(output).toContain("Docker CE is installed (docker-ce-rootless-extras)"),
  ],
];

const noSandbox = sandboxUnavailable();
describe.skipIf(noSandbox !== null)("the steps act on the data's values, in a sandbox", () => {
  const host = sandboxMaker();

  it.each(RUNS)("%s (%s script)", (_name, engine, change, settings, args, check) => {
    const result = host(settings, render(change(matrix), engine, "linux/amd64", "torch@2.5.1")).run(...args);
    check(result.output, result.calls);
  });
});
