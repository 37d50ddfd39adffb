// The shapes the doctor's parsers and inspector produce. Parsers return partial reports; the
// inspector merges them into HostFacts.
import type { ProbeSource } from "./raw-host.js";

/** One GPU as one nvidia-smi output describes it; every field optional. */
export interface GpuReport {
  index?: number;
  name?: string;
  computeCapability?: string;
  memoryMiB?: number;
  busId?: string;
  uuid?: string;
  architecture?: string;
  /** The GPU's NVLink fabric state (nvidia-smi -q -x <fabric><state>), where it has a fabric. */
  fabricState?: string;
}

/** What one nvidia-smi output says. `gpus: []` means "no GPUs"; an absent `gpus` means "silent". */
export interface NvsmiReport {
  driver?: string;
  cuda?: string;
  gpus?: GpuReport[];
  /** The tool's own failure message, when the output is one. */
  error?: string;
}

export interface GpuFacts {
  name: string;
  computeCapability: string | null;
  memoryMiB?: number;
  busId?: string;
  architecture?: string;
  /** Its NVLink fabric state, where it has a fabric (an NVSwitch board): "Completed" once Fabric Manager has set it up. */
  fabricState?: string;
}

export interface OsFacts {
  id: string | null;
  versionId: string | null;
  prettyName: string | null;
  idLike?: string[];
  versionCodename?: string;
}

export type DockerState = "running" | "not-running" | "permission-denied" | "not-installed" | "unknown";

export interface DockerFacts {
  state: DockerState;
  serverVersion: string | null;
  runtimes: string[];
  defaultRuntime: string | null;
  /** An `nvidia` runtime is registered; null when the daemon could not be asked. */
  nvidiaRuntime: boolean | null;
  cdiSpecDirs: string[];
  /** CDI device names the daemon discovered (Docker ≥ 28.2), e.g. "nvidia.com/gpu=0". */
  cdiDevices: string[];
  error?: string;
}

export interface ToolkitFacts {
  /** null: unknown (not probed). */
  installed: boolean | null;
  version: string | null;
}

export type PodmanState = "installed" | "not-installed" | "error" | "unknown";

export interface PodmanFacts {
  /** installed: `podman info` answered; error: it ran and failed (its message in `error`). */
  state: PodmanState;
  version: string | null;
  /** `podman info` ran as a rootless user. */
  rootless: boolean | null;
  /** Podman's own view of SELinux (host.security.selinuxEnabled). */
  selinuxEnabled: boolean | null;
  /** What `podman compose` runs, and podman-compose itself. */
  compose: PodmanComposeFacts;
  error?: string;
}

export interface PodmanComposeFacts {
  /** What `podman compose` runs: "docker-compose", "podman-compose" or another file name; null when
   *  it runs nothing (no provider found, or a Podman before 4.7 without `podman compose`) or unknown. */
  provider: string | null;
  /** The provider's path as Podman found it. */
  providerPath: string | null;
  /** Podman has a `compose` command; null when unknown. */
  podmanCompose: boolean | null;
  /** podman-compose is installed; null when unknown. */
  installed: boolean | null;
  /** podman-compose's version (`podman-compose version`). */
  version: string | null;
  /** `podman compose` passes CDI `devices:` entries on: podman-compose does, docker-compose drops
   *  them silently (https://github.com/podman-container-tools/podman/issues/28436); null for another provider, none, or unknown. */
  honoursCdiDevices: boolean | null;
  /** podman-compose expands `${X:-}` to an empty value (1.0.6 and newer, commit 0bd493f). */
  expandsEmptyDefaults: boolean | null;
  /** podman-compose passes the generated file's userns_mode on outside a pod: from 1.0.6, but not the
   *  releases that make a pod by default and read no x-podman in_pod (matrix/platform.yaml
   *  podmanComposeUsernsModeSince, podmanComposePodDefaultSince, podmanComposeInPodKeySince). */
  passesUsernsMode: boolean | null;
}

/** One CDI spec file in /etc/cdi or /var/run/cdi. */
export interface CdiSpecFacts {
  path: string;
  /** The spec's kind ("nvidia.com/gpu"); null when the file does not name one. */
  kind: string | null;
  cdiVersion: string | null;
  /** The driver versions the spec was generated for: `--host-driver-version=` of its hooks and
   *  the versions in the library file names it mounts (libcuda.so.580.95.05). One, normally. */
  driverVersions: string[];
  /** The device names it defines ("0", "all", a UUID). */
  devices: string[];
  /** An NVIDIA spec generated for another driver than the one loaded; null when either is unknown. */
  stale: boolean | null;
}

export interface CdiFacts {
  /** The CDI folders were looked at (live, or copies of them in the capture). */
  checked: boolean;
  /** The driver the specs were compared with: the loaded kernel module's, else nvidia-smi's. */
  driver: string | null;
  specs: CdiSpecFacts[];
  /** Entries that were not read (not a spec file name, too large, unreadable). */
  problems: string[];
}

export type SelinuxMode = "enforcing" | "permissive" | "disabled";

export interface SelinuxFacts {
  /** null: not probed (a capture without getenforce.txt or selinux-enforce). */
  mode: SelinuxMode | null;
  /** The container_use_devices boolean, which lets containers use devices such as /dev/nvidia*
   *  under enforcing SELinux; null when unknown or the boolean does not exist. */
  containerUseDevices: boolean | null;
  error?: string;
}

export interface ProbeStatus {
  source: ProbeSource;
  ok: boolean;
  reason?: string;
}

export interface HostFacts {
  driver: string | null;
  /** The newest CUDA the driver supports, as nvidia-smi reports it. */
  cuda: string | null;
  kernelModule: "open" | "proprietary" | null;
  gpus: GpuFacts[];
  os?: OsFacts;
  kernel?: string;
  /** The machine architecture (uname -m: x86_64, aarch64), when a probe names it. */
  machine?: string;
  /** A Jetson (L4T) board: an L4T kernel (release ending in -tegra) or an nvgpu integrated GPU. */
  jetson?: boolean;
  /** WSL, from the kernel release (matrix/platform.yaml wslKernelMarker, wsl1KernelSuffix): WSL 2 has the Windows driver's GPU, WSL 1 none. */
  wsl?: 1 | 2;
  /** The CUDA toolkit release of an nvcc on the host, when there is one (e.g. "13.0.88"). */
  nvcc?: string;
  docker: DockerFacts;
  containerToolkit: ToolkitFacts;
  podman: PodmanFacts;
  /** The CDI specs in /etc/cdi and /var/run/cdi, each compared with the loaded driver. */
  cdi: CdiFacts;
  selinux: SelinuxFacts;
  secureBoot: boolean | null;
  probes: ProbeStatus[];
}

export type MissingId =
  | "driver"
  | "driver-too-old-for-gpu"
  | "driver-too-new-for-gpu"
  | "fabric-manager"
  | "docker"
  | "docker-daemon"
  | "docker-permission"
  | "container-toolkit"
  | "docker-nvidia-runtime"
  | "cdi-spec-missing"
  | "cdi-spec-stale"
  | "selinux-container-use-devices"
  | "podman-compose-provider"
  | "podman-compose-userns"
  | "podman-keep-id"
  | "jetson"
  | "wsl1";

export interface MissingItem {
  id: MissingId;
  message: string;
  /** Shell command(s), joined with &&, that fix it on a typical host of this OS family. */
  fix: string;
  hint?: string;
}
