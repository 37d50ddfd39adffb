// The commands that install what a GPU container host lacks, per OS family. Sources:
// NVIDIA Container Toolkit install guide (apt and dnf repos, `nvidia-ctk runtime configure`),
// Docker Engine install pages (apt repo for Ubuntu/Debian, docker-ce.repo for RHEL-likes),
// NVIDIA driver installation guide (cuda-rhelN.repo, `nvidia-driver:open-dkms` + nvidia-open),
// Ubuntu's ubuntu-drivers, Debian's nvidia-driver package; see ../shared/research/oracle-linux-host.md.
import type { OsFacts } from "./types.js";
import { matrix } from "../matrix/data.js";
import { tool } from "../matrix/lookup.js";

export type OsFamily = "ubuntu" | "debian" | "rhel";

const RHEL_LIKE = ["rhel", "ol", "rocky", "almalinux", "centos"];

/** Ubuntu and its derivatives, Debian, and the RHEL rebuilds; Fedora, Amazon Linux and the rest
 *  use other repositories and get the Ubuntu commands with a pointer to the install guides. */
export function osFamily(os: OsFacts | undefined): OsFamily | undefined {
  const ids = [os?.id, ...(os?.idLike ?? [])].filter((x): x is string => !!x);
  if (os?.id && RHEL_LIKE.includes(os.id)) return "rhel";
  if (ids.includes("ubuntu")) return "ubuntu";
  if (ids.includes("debian")) return "debian";
  if (ids.some((id) => RHEL_LIKE.includes(id))) return "rhel";
  return undefined;
}

export const GUIDES = {
  driver: "https://docs.nvidia.com/datacenter/tesla/driver-installation-guide/",
  docker: "https://docs.docker.com/engine/install/",
  toolkit: "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html",
  cdi: "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/cdi-support.html",
  /** Where the container_use_devices boolean is defined (gen_tunable in container.te). */
  selinux: "https://github.com/containers/container-selinux/blob/main/container.te",
} as const;

/** Per RHEL rebuild: how to enable CodeReady Builder and where EPEL (for DKMS) comes from. */
function rhelRepos(id: string | null | undefined, major: string): { crb: string; epel: string } {
  if (id === "ol") return { crb: `sudo dnf config-manager --set-enabled ol${major}_codeready_builder`, epel: `oracle-epel-release-el${major}` };
  if (id === "rhel") {
    return {
      crb: `sudo subscription-manager repos --enable codeready-builder-for-rhel-${major}-$(uname -m)-rpms`,
      epel: `https://dl.fedoraproject.org/pub/epel/epel-release-latest-${major}.noarch.rpm`,
    };
  }
  return { crb: `sudo dnf config-manager --set-enabled ${Number(major) >= 9 ? "crb" : "powertools"}`, epel: "epel-release" };
}

export function driverCommands(family: OsFamily, os: OsFacts | undefined, kernel: string | undefined): string[] {
  if (family === "ubuntu") return ["sudo apt-get update", "sudo apt-get install -y ubuntu-drivers-common", "sudo ubuntu-drivers install", "sudo reboot"];
  if (family === "debian") return ["sudo apt-get update", "sudo apt-get install -y linux-headers-$(uname -r) nvidia-driver", "sudo reboot"];
  const major = /^\d+/.exec(os?.versionId ?? "")?.[0] ?? "9";
  const headers = kernel?.includes("uek") ? "kernel-uek-devel-$(uname -r)" : "kernel-devel-$(uname -r) kernel-headers";
  const { crb, epel } = rhelRepos(os?.id, major);
  return [
    "sudo dnf -y install dnf-plugins-core",
    crb,
    `sudo dnf -y install ${headers} ${epel}`,
    `sudo dnf config-manager --add-repo https://developer.download.nvidia.com/compute/cuda/repos/rhel${major}/x86_64/cuda-rhel${major}.repo`,
    "sudo dnf -y module enable nvidia-driver:open-dkms",
    "sudo dnf -y install nvidia-open",
    "sudo reboot",
  ];
}

export function dockerCommands(family: OsFamily): string[] {
  if (family === "rhel") {
    return [
      "sudo dnf -y install dnf-plugins-core",
      "sudo dnf config-manager --add-repo https://download.docker.com/linux/rhel/docker-ce.repo",
      `sudo dnf -y install ${tool(matrix, "dockerPackages")}`,
      "sudo systemctl enable --now docker",
    ];
  }
  const codename = family === "ubuntu" ? "${UBUNTU_CODENAME:-$VERSION_CODENAME}" : "$VERSION_CODENAME";
  return [
    "sudo apt-get update",
    "sudo apt-get install -y ca-certificates curl",
    "sudo install -m 0755 -d /etc/apt/keyrings",
    `sudo curl -fsSL https://download.docker.com/linux/${family}/gpg -o /etc/apt/keyrings/docker.asc`,
    "sudo chmod a+r /etc/apt/keyrings/docker.asc",
    `echo "deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/${family} $(. /etc/os-release && echo "${codename}") stable" | sudo tee /etc/apt/sources.list.d/docker.list > /dev/null`,
    "sudo apt-get update",
    "sudo apt-get install -y docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin",
  ];
}

export function toolkitCommands(family: OsFamily): string[] {
  if (family === "rhel") {
    return [
      "curl -fsSL https://nvidia.github.io/libnvidia-container/stable/rpm/nvidia-container-toolkit.repo | sudo tee /etc/yum.repos.d/nvidia-container-toolkit.repo",
      "sudo dnf -y install nvidia-container-toolkit",
    ];
  }
  const keyring = "/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg";
  return [
    `curl -fsSL https://nvidia.github.io/libnvidia-container/gpgkey | sudo gpg --dearmor -o ${keyring}`,
    `curl -fsSL https://nvidia.github.io/libnvidia-container/stable/deb/nvidia-container-toolkit.list | sed 's#deb https://#deb [signed-by=${keyring}] https://#g' | sudo tee /etc/apt/sources.list.d/nvidia-container-toolkit.list`,
    "sudo apt-get update",
    "sudo apt-get install -y nvidia-container-toolkit",
  ];
}

export const DOCKER_DAEMON_COMMANDS = ["sudo systemctl enable --now docker"];
export const DOCKER_PERMISSION_COMMANDS = ['sudo usermod -aG docker "$USER"', "newgrp docker"];
export const NVIDIA_RUNTIME_COMMANDS = ["sudo nvidia-ctk runtime configure --runtime=docker", "sudo systemctl restart docker"];

// CDI (NVIDIA's "Support for Container Device Interface", GUIDES.cdi): `nvidia-ctk cdi generate`
// writes a spec for the driver present when it runs; from toolkit CDI_REFRESH_SINCE the
// nvidia-cdi-refresh systemd units regenerate /var/run/cdi/nvidia.yaml at boot and after driver changes.
/** The first NVIDIA Container Toolkit with nvidia-cdi-refresh (matrix/platform.yaml cdiRefreshSince). */
export const CDI_REFRESH_SINCE = tool(matrix, "cdiRefreshSince");
/** The SELinux boolean containers need to use /dev/nvidia* (matrix/platform.yaml selinuxDeviceBoolean). */
export const SELINUX_DEVICE_BOOLEAN = tool(matrix, "selinuxDeviceBoolean");
/** The podman-compose package (matrix/platform.yaml podmanComposePackage). */
export const PODMAN_COMPOSE_PACKAGE = tool(matrix, "podmanComposePackage");
export const cdiGenerateCommands = (path = "/etc/cdi/nvidia.yaml"): string[] => [`sudo nvidia-ctk cdi generate --output=${path}`];
export const CDI_REFRESH_COMMANDS = ["sudo systemctl restart nvidia-cdi-refresh.service"];
/** The folder nvidia-cdi-refresh writes to. */
export const CDI_REFRESH_DIR = "/var/run/cdi";
export const SELINUX_DEVICES_COMMANDS = [`sudo setsebool -P ${SELINUX_DEVICE_BOOLEAN} on`];
