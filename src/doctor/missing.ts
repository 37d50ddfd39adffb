// What this host lacks to run GPU containers, in the order to fix it, each with the command that
// fixes it on a typical host of its OS family. Says nothing about which stacks the host can run.
import {
  CDI_REFRESH_COMMANDS, CDI_REFRESH_DIR, CDI_REFRESH_SINCE, PODMAN_COMPOSE_PACKAGE, SELINUX_DEVICE_BOOLEAN, SELINUX_DEVICES_COMMANDS, cdiGenerateCommands,
  DOCKER_DAEMON_COMMANDS, DOCKER_PERMISSION_COMMANDS, GUIDES, NVIDIA_RUNTIME_COMMANDS,
  dockerCommands, driverCommands, osFamily, toolkitCommands, type OsFamily,
} from "./fix-commands.js";
import type { HostFacts, MissingId, MissingItem } from "./types.js";
import { isNvidiaKind } from "./parse-cdi-spec.js";
import { compare } from "../matrix/versions.js";
import { matrix } from "../matrix/data.js";
import { fillTool, tool } from "../matrix/lookup.js";
import { wslDriverFix } from "./wsl.js";
import { PODMAN_COMPOSE_POD_RELEASES, PODMAN_COMPOSE_USERNS_SINCE } from "./inspect-podman.js";

const join = (commands: string[]) => commands.join(" && ");

function item(id: MissingId, message: string, commands: string[], hints: (string | undefined)[]): MissingItem {
  const hint = hints.filter((h): h is string => !!h).join(" ");
  return hint ? { id, message, fix: join(commands), hint } : { id, message, fix: join(commands) };
}

function driverHints(facts: HostFacts, guess: string | undefined): (string | undefined)[] {
  return [
    guess && `${guess} ${GUIDES.driver}`,
    osFamily(facts.os) === "debian" &&
      "Debian's nvidia-driver package is in the contrib and non-free components: enable them (and non-free-firmware) in the APT sources first.",
    osFamily(facts.os) === "rhel" &&
      "Open kernel modules need a Turing or newer GPU; for Maxwell, Pascal or Volta replace the `module enable` and `install nvidia-open` steps with `sudo dnf -y module install nvidia-driver:latest-dkms`. On Arm servers the repository path is sbsa, not x86_64.",
    facts.os?.id === "ol" &&
      "On Oracle Linux, `cuda-scaffold <spec>` writes host/bootstrap-oraclelinux.sh, which does all of this for UEK or RHCK (`sudo bash host/bootstrap-oraclelinux.sh --driver-source network`).",
    facts.secureBoot === true &&
      "Secure Boot is enabled: the module built by DKMS must be signed with a key enrolled in MOK (`sudo mokutil --import /var/lib/dkms/mok.pub`, then confirm at the console on the next boot), or it will not load.",
  ].map((h) => (h === false ? undefined : h));
}

const MESSAGES: Record<MissingId, string> = {
  "driver-too-old-for-gpu": "The NVIDIA driver is older than the first driver that supports this host's GPU.",
  "driver-too-new-for-gpu": "The NVIDIA driver is newer than the last driver branch that supports this host's GPU.",
  "fabric-manager": "The GPUs' NVLink fabric is not ready: NVIDIA Fabric Manager of the driver's version is not running.",
  driver: "No NVIDIA driver found: neither nvidia-smi nor /proc/driver/nvidia/version reports one.",
  docker: "Docker is not installed.",
  "docker-daemon": "Docker is installed but its daemon is not running.",
  "docker-permission": "This user may not use the Docker daemon (permission denied on its socket).",
  "container-toolkit": "The NVIDIA Container Toolkit is not installed.",
  "docker-nvidia-runtime": "Docker has no `nvidia` runtime registered.",
  "cdi-spec-missing": "Podman is installed but no NVIDIA CDI spec is in /etc/cdi or /var/run/cdi: `--device nvidia.com/gpu=all` has nothing to resolve.",
  "cdi-spec-stale": "A CDI spec was generated for another driver than the one loaded.",
  "selinux-container-use-devices": `SELinux is enforcing and the ${SELINUX_DEVICE_BOOLEAN} boolean is off: containers cannot open /dev/nvidia* (NVML: Insufficient Permissions).`,
  "podman-compose-provider": "`podman compose` runs docker-compose here, which drops the CDI `devices:` entries (nvidia.com/gpu=…) of the generated compose file without a word: its containers start without the GPU (podman#28436).",
  "podman-compose-userns": "This podman-compose does not run the generated compose file's services with their userns_mode (keep-id): in rootless Podman their user dev is then a subordinate id that cannot write the project folder.",
  "podman-keep-id": "This Podman does not take the generated compose file's userns_mode, keep-id:uid=…,gid=…: its services fail to start.",
  jetson: "This is a Jetson (L4T) board: cuda-scaffold generates for x86_64 and SBSA (Grace) hosts, and their nvidia/cuda images and CUDA wheels are not built for L4T.",
  wsl1: "This is WSL 1, which gives Linux no GPU: only WSL 2 shares the Windows driver's GPU.",
};

/** A GPU of the host and the first driver that supports it (matrix/gpus.yaml). */
export interface GpuFloor {
  gpu: string;
  minDriver: string;
  source: string;
}

/** The last driver branch of a GPU NVIDIA left on a legacy branch (host-stacks gpuCeilings). */
export interface GpuCeiling {
  gpu: string;
  architecture: string;
  lastBranch: string;
  source: string;
}

/**
 * GPUs whose NVLink fabric is not ready: on an NVSwitch board (HGX, DGX) nvidia-smi works, but CUDA
 * fails with error 802 until NVIDIA Fabric Manager of the driver's exact version runs
 * (matrix/platform.yaml fabricStateReady and the fabricManager rows, which the host script uses too).
 */
function fabricItems(facts: HostFacts, family: OsFamily): MissingItem[] {
  const ready = tool(matrix, "fabricStateReady");
  const waiting = facts.gpus.filter((g) => g.fabricState !== undefined && g.fabricState !== ready);
  if (waiting.length === 0 || facts.driver === null || facts.wsl === 2) return [];
  const driver = facts.driver;
  const renamed = compare(driver.split(".")[0]!, tool(matrix, "fabricManagerRenamedSince")) >= 0;
  const pkg = tool(matrix, renamed ? "fabricManagerPackage" : "fabricManagerPackageBefore");
  const service = tool(matrix, "fabricManagerService");
  const states = [...new Set(waiting.map((g) => `"${g.fabricState}"`))].join(", ");
  const install = family === "rhel" ? `sudo dnf -y install ${pkg}-${driver}` : `# install NVIDIA Fabric Manager ${driver} (the driver's exact version) from NVIDIA's CUDA repository`;
  return [
    {
      id: "fabric-manager",
      message: `${waiting.length} of ${facts.gpus.length} GPUs report their NVLink fabric as ${states}, not "${ready}" (${matrix.platform.tools["fabricStateReady"]!.source}): on an NVSwitch board CUDA fails with error 802 (cudaErrorSystemNotReady) until NVIDIA Fabric Manager of the driver's exact version, ${driver}, runs (${matrix.platform.tools["fabricManagerService"]!.source}).`,
      fix: join([install, `sudo systemctl enable --now ${service}`]),
      hint: `The host script installs and starts it where lspci lists NVSwitch chips. Then every GPU's Fabric State in nvidia-smi -q reads ${ready}.`,
    },
  ];
}

/**
 * Commands that put a GPU's last driver branch in place of a newer driver: on Oracle Linux and the
 * other RHEL family systems NVIDIA's dnf module stream of that branch (the proprietary modules,
 * which these architectures need), as the host script does; elsewhere the distribution's package
 * of that branch.
 */
function legacyDriverCommands(family: OsFamily, branch: string, installed: boolean): string[] {
  const stream = `nvidia-driver:${branch}-dkms`;
  if (family === "rhel") return [installed ? `sudo dnf -y module switch-to ${stream} --allowerasing` : `sudo dnf -y module enable ${stream}`, "sudo dnf -y install cuda-drivers", "sudo reboot"];
  if (family === "ubuntu") return ["sudo apt-get update", `sudo apt-get install -y nvidia-driver-${branch}`, "sudo reboot"];
  return [`# install the NVIDIA ${branch} driver branch from your distribution or NVIDIA, then reboot`];
}

export function missing(facts: HostFacts, gpuFloors: GpuFloor[] = [], gpuCeilings: GpuCeiling[] = []): MissingItem[] {
  const family = osFamily(facts.os) ?? "ubuntu";
  const guess = osFamily(facts.os) ? undefined : `These are the Ubuntu commands; for ${facts.os?.prettyName ?? "this OS"} see`;
  const { docker, containerToolkit } = facts;
  // A host with Podman and no Docker runs GPU containers through CDI: Docker is not asked for.
  const dockerWanted = !(facts.podman.state === "installed" && docker.state === "not-installed");
  const items: MissingItem[] = [];
  const add = (id: MissingId, commands: string[], hints: (string | undefined)[] = []) => items.push(item(id, MESSAGES[id], commands, hints));
  // Jetson first: nothing below makes this host run the generated files (matrix/arm64.yaml jetson).
  if (facts.jetson) add("jetson", [`# ${matrix.arm64.jetson.pointer}`], [`See ${matrix.arm64.jetson.source}.`]);
  // WSL 1 first and alone: nothing else makes it run GPU containers.
  if (facts.wsl === 1) return [item("wsl1", MESSAGES.wsl1, ["# In Windows (PowerShell or cmd): wsl.exe --set-version <distribution> 2"], ["Then open the distribution again (now WSL 2) and run doctor there."])];
  // In WSL 2 the driver is the Windows one: no Linux driver commands there.
  const wsl2 = facts.wsl === 2;
  if (facts.driver === null) {
    if (wsl2) items.push({ id: "driver", message: "No NVIDIA driver answers in WSL 2 (nvidia-smi, also in the folder WSL maps the Windows driver into).", ...wslDriverFix() });
    // A GPU NVIDIA left on a legacy branch needs that branch: the default (open modules, newest branch) cannot drive it.
    else if (gpuCeilings.length > 0) {
      const branch = gpuCeilings.map((c) => c.lastBranch).sort(compare)[0]!;
      const legacy = gpuCeilings.filter((c) => c.lastBranch === branch);
      const [first, ...rest] = legacyDriverCommands(family, branch, false);
      const setup = family === "rhel" ? driverCommands(family, facts.os, facts.kernel).slice(0, 4) : [];
      add("driver", [...setup, first!, ...rest], [`${legacy.map((c) => c.gpu).join(", ")}: R${branch} is NVIDIA's last driver branch for ${legacy[0]!.architecture} GPUs (${legacy[0]!.source}).`, ...driverHints(facts, guess)]);
    } else add("driver", driverCommands(family, facts.os, facts.kernel), driverHints(facts, guess));
  }
  for (const f of gpuFloors.filter((x) => facts.driver !== null && compare(facts.driver, x.minDriver) < 0)) {
    const message = `Driver ${facts.driver} cannot drive the ${f.gpu}: NVIDIA's first driver for it is ${f.minDriver}${/^[0-9]+$/.test(f.minDriver) ? ".x" : ""} (${f.source}).`;
    if (wsl2) items.push({ id: "driver-too-old-for-gpu", message, ...wslDriverFix(f.minDriver) });
    else items.push({ id: "driver-too-old-for-gpu", message, fix: join(driverCommands(family, facts.os, facts.kernel)), hint: `Install driver ${f.minDriver} or newer; no container can bring its own kernel driver.` });
  }
  // A driver newer than a GPU's last branch cannot drive it (on WSL 2 the Windows driver decides).
  for (const c of gpuCeilings.filter((x) => !wsl2 && facts.driver !== null && compare(facts.driver.split(".")[0]!, x.lastBranch) > 0)) {
    items.push({
      id: "driver-too-new-for-gpu",
      message: `Driver ${facts.driver} cannot drive the ${c.gpu}: R${c.lastBranch} is NVIDIA's last driver branch for ${c.architecture} GPUs (${c.source}).`,
      fix: join(legacyDriverCommands(family, c.lastBranch, true)),
      hint: `Install the ${c.lastBranch} branch (the host script does so for this GPU), and generate stacks for it: cuda-scaffold <framework> --driver ${c.lastBranch}.`,
    });
  }
  items.push(...fabricItems(facts, family));
  if (dockerWanted && docker.state === "not-installed") add("docker", dockerCommands(family), [guess && `${guess} ${GUIDES.docker}`]);
  if (docker.state === "not-running") add("docker-daemon", DOCKER_DAEMON_COMMANDS);
  if (docker.state === "permission-denied") add("docker-permission", DOCKER_PERMISSION_COMMANDS, ["Or log out and in again after the usermod."]);
  if (containerToolkit.installed === false) add("container-toolkit", toolkitCommands(family), [guess && `${guess} ${GUIDES.toolkit}`]);
  // Registering the runtime is the last step whenever Docker or the toolkit had to be installed.
  if (dockerWanted && (docker.nvidiaRuntime === false || docker.state === "not-installed" || containerToolkit.installed === false)) {
    add("docker-nvidia-runtime", NVIDIA_RUNTIME_COMMANDS);
  }
  items.push(...cdiItems(facts), ...selinuxItems(facts), ...composeItems(facts, family), ...usernsItems(facts, family));
  return items;
}

/**
 * The generated compose file maps the host user to the images' user with userns_mode
 * keep-id:uid=…,gid=…: Podman takes it rootless from podmanKeepIdOptionsSince and as root from
 * podmanKeepIdRootfulSince; podman-compose passes it on from podmanComposeUsernsModeSince, outside
 * a pod (matrix/platform.yaml). PODMAN_USERNS gives podman run the same value with an older one.
 */
function usernsItems(facts: HostFacts, family: string): MissingItem[] {
  const { podman } = facts;
  if (podman.state !== "installed") return [];
  const items: MissingItem[] = [];
  const upgrade = (pkg: string) => (family === "rhel" ? `sudo dnf -y upgrade ${pkg}` : `sudo apt-get install -y --only-upgrade ${pkg}`);
  const floor = podman.rootless === null ? null : tool(matrix, podman.rootless ? "podmanKeepIdOptionsSince" : "podmanKeepIdRootfulSince");
  if (podman.version && floor && compare(podman.version, floor) < 0) {
    items.push(item("podman-keep-id", `${MESSAGES["podman-keep-id"]} Podman ${podman.version} runs ${podman.rootless ? "rootless" : "as root"} here, and takes it so from ${floor}.`, [upgrade("podman")], [
      podman.rootless ? undefined : `Rootless Podman takes it from ${tool(matrix, "podmanKeepIdOptionsSince")}: run podman-compose as your user, not with sudo.`,
    ]));
  }
  const { compose } = podman;
  if (compose.installed !== false && compose.passesUsernsMode === false && compose.version) {
    const pod = compare(compose.version, PODMAN_COMPOSE_POD_RELEASES.from) >= 0;
    const why = pod ? `podman-compose ${compose.version} puts the services in a pod and reads no x-podman in_pod, and Podman refuses --userns in a pod.` : `podman-compose ${compose.version} ignores userns_mode (it passes it on from ${PODMAN_COMPOSE_USERNS_SINCE}).`;
    items.push(item("podman-compose-userns", `${MESSAGES["podman-compose-userns"]} ${why}`, [upgrade(PODMAN_COMPOSE_PACKAGE)], [
      pod ? "With this release, leave the pod out: podman-compose --in-pod= up -d dev." : `With this release, give podman run the value yourself: PODMAN_USERNS="${fillTool(matrix, "podmanUsernsMode", { UID: "${USER_UID:-1000}", GID: "${USER_GID:-1000}" })}" podman-compose up -d dev.`,
      family === "rhel" ? "On Oracle Linux podman-compose comes from EPEL (ol8_developer_EPEL / ol9_developer_EPEL)." : undefined,
    ]));
  }
  return items;
}

/**
 * Podman's compose provider: docker-compose comes first in Podman's default order, so installing
 * podman-compose is not enough; PODMAN_COMPOSE_PROVIDER (read before containers.conf) picks it
 * (podman-compose(1); containers/podman cmd/podman/compose.go).
 */
function composeItems(facts: HostFacts, family: string): MissingItem[] {
  const { podman } = facts;
  if (podman.state !== "installed" || podman.compose.provider !== "docker-compose") return [];
  const install = `sudo ${family === "rhel" ? "dnf" : "apt-get"} install -y ${PODMAN_COMPOSE_PACKAGE}`;
  const commands = [...(podman.compose.installed === true ? [] : [install]), "export PODMAN_COMPOSE_PROVIDER=podman-compose"];
  return [item("podman-compose-provider", MESSAGES["podman-compose-provider"], commands, [
    podman.compose.providerPath ? `Podman found ${podman.compose.providerPath} first.` : undefined,
    family === "rhel" && podman.compose.installed !== true ? "On RHEL and Oracle Linux podman-compose comes from EPEL (oracle-epel-release-el8/el9 on Oracle Linux)." : undefined,
    "To keep the choice, put the export in your shell profile or set compose_providers = [\"podman-compose\"] under [engine] in containers.conf; or run podman-compose directly.",
  ])];
}

/** A stale spec (any engine reads it), and no NVIDIA spec at all where Podman, which has only CDI, is installed. */
function cdiItems(facts: HostFacts): MissingItem[] {
  const { cdi, podman } = facts;
  if (!cdi.checked) return [];
  const nvidia = cdi.specs.filter((s) => isNvidiaKind(s.kind));
  if (nvidia.length === 0) {
    return podman.state === "installed" ? [item("cdi-spec-missing", MESSAGES["cdi-spec-missing"], cdiGenerateCommands(), [`See ${GUIDES.cdi}.`])] : [];
  }
  return nvidia.filter((s) => s.stale).map((s) => {
    const refreshed = s.path.startsWith(`${CDI_REFRESH_DIR}/`);
    const message = `The CDI spec ${s.path} was generated for driver ${s.driverVersions.join(", ")}, but driver ${cdi.driver} is loaded: containers given its devices get library mounts the driver update removed, and fail to start.`;
    const hint = refreshed
      ? `nvidia-cdi-refresh (NVIDIA Container Toolkit ${CDI_REFRESH_SINCE} and newer) writes ${CDI_REFRESH_DIR}/nvidia.yaml; if the restart fails, see \`journalctl -u nvidia-cdi-refresh.service\` and ${GUIDES.cdi}.`
      : `A spec generated once goes stale at the next driver update; NVIDIA Container Toolkit ${CDI_REFRESH_SINCE} and newer keep ${CDI_REFRESH_DIR}/nvidia.yaml current with nvidia-cdi-refresh (${GUIDES.cdi}).`;
    return { id: "cdi-spec-stale" as const, message, fix: join(refreshed ? CDI_REFRESH_COMMANDS : cdiGenerateCommands(s.path)), hint };
  });
}

/** Podman under enforcing SELinux needs container_use_devices for the devices CDI passes in. */
function selinuxItems(facts: HostFacts): MissingItem[] {
  const { podman, selinux } = facts;
  if (podman.state !== "installed" || selinux.mode !== "enforcing" || selinux.containerUseDevices !== false) return [];
  return [item("selinux-container-use-devices", MESSAGES["selinux-container-use-devices"], SELINUX_DEVICES_COMMANDS, [`The boolean is defined by container-selinux (${GUIDES.selinux}); \`--security-opt label=disable\` also works, but turns SELinux separation off for the container.`])];
}
