// What this host lacks to run GPU containers, in the order to fix it, each with the command that
// fixes it on a typical host of its OS family. Says nothing about which stacks the host can run.
import {
  DOCKER_DAEMON_COMMANDS, DOCKER_PERMISSION_COMMANDS, GUIDES, NVIDIA_RUNTIME_COMMANDS,
  dockerCommands, driverCommands, osFamily, toolkitCommands,
} from "./fix-commands.js";
import type { HostFacts, MissingId, MissingItem } from "./types.js";
import { compare } from "../matrix/versions.js";
import { matrix } from "../matrix/data.js";

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
  driver: "No NVIDIA driver found: neither nvidia-smi nor /proc/driver/nvidia/version reports one.",
  docker: "Docker is not installed.",
  "docker-daemon": "Docker is installed but its daemon is not running.",
  "docker-permission": "This user may not use the Docker daemon (permission denied on its socket).",
  "container-toolkit": "The NVIDIA Container Toolkit is not installed.",
  "docker-nvidia-runtime": "Docker has no `nvidia` runtime registered.",
  jetson: "This is a Jetson (L4T) board: cuda-scaffold generates for x86_64 and SBSA (Grace) hosts, and their nvidia/cuda images and CUDA wheels are not built for L4T.",
};

/** A GPU of the host and the first driver that supports it (matrix/gpus.yaml). */
export interface GpuFloor {
  gpu: string;
  minDriver: string;
  source: string;
}

export function missing(facts: HostFacts, gpuFloors: GpuFloor[] = []): MissingItem[] {
  const family = osFamily(facts.os) ?? "ubuntu";
  const guess = osFamily(facts.os) ? undefined : `These are the Ubuntu commands; for ${facts.os?.prettyName ?? "this OS"} see`;
  const { docker, containerToolkit } = facts;
  const items: MissingItem[] = [];
  const add = (id: MissingId, commands: string[], hints: (string | undefined)[] = []) => items.push(item(id, MESSAGES[id], commands, hints));
  // Jetson first: nothing below makes this host run the generated files (matrix/arm64.yaml jetson).
  if (facts.jetson) add("jetson", [`# ${matrix.arm64.jetson.pointer}`], [`See ${matrix.arm64.jetson.source}.`]);
  if (facts.driver === null) add("driver", driverCommands(family, facts.os, facts.kernel), driverHints(facts, guess));
  for (const f of gpuFloors.filter((x) => facts.driver !== null && compare(facts.driver, x.minDriver) < 0)) {
    items.push({ id: "driver-too-old-for-gpu", message: `Driver ${facts.driver} cannot drive the ${f.gpu}: NVIDIA's first driver for it is ${f.minDriver}${/^[0-9]+$/.test(f.minDriver) ? ".x" : ""} (${f.source}).`, fix: join(driverCommands(family, facts.os, facts.kernel)), hint: `Install driver ${f.minDriver} or newer; no container can bring its own kernel driver.` });
  }
  if (docker.state === "not-installed") add("docker", dockerCommands(family), [guess && `${guess} ${GUIDES.docker}`]);
  if (docker.state === "not-running") add("docker-daemon", DOCKER_DAEMON_COMMANDS);
  if (docker.state === "permission-denied") add("docker-permission", DOCKER_PERMISSION_COMMANDS, ["Or log out and in again after the usermod."]);
  if (containerToolkit.installed === false) add("container-toolkit", toolkitCommands(family), [guess && `${guess} ${GUIDES.toolkit}`]);
  // Registering the runtime is the last step whenever Docker or the toolkit had to be installed.
  if (docker.nvidiaRuntime === false || docker.state === "not-installed" || containerToolkit.installed === false) {
    add("docker-nvidia-runtime", NVIDIA_RUNTIME_COMMANDS);
  }
  return items;
}
