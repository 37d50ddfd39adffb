// The host script in WSL 2 (Oracle Linux is a WSL distribution): the GPU is the Windows driver's,
// so no Linux driver, driver repository, kernel headers or nouveau blacklist; lspci shows no NVIDIA
// device there and nvidia-smi lives in WSL's library folder; Docker needs systemd as PID 1. The facts
// are matrix/platform.yaml's wsl* rows. The sandbox's `wsl=1` gives lspci WSL's paravirtual adapter
// and an nvidia-smi that needs no rpm (the Windows driver, version loaded_driver).
import { describe, expect, it } from "vitest";
import { mutating, sandboxMaker, sandboxUnavailable } from "./sandbox.js";
import { podmanView, renderBootstrapForTest, sampleView } from "./view.js";
import { file, renderFor } from "../support/render.js";
import { matrix } from "../../src/matrix/data.js";
import { tool } from "../../src/matrix/lookup.js";

const WSL_KERNEL = "5.15.167.4-microsoft-standard-WSL2";
const RTX = "NVIDIA GeForce RTX 4090 (UUID: GPU-8b3c5f9e-1d2a-4e6b-9c7d-0a1b2c3d4e5f)";
const WSL2 = { os: "ol9", kernel: WSL_KERNEL, wsl: "1", gpu: RTX, loaded_driver: "576.80" };
const DRIVER_WORK = /kernel-(uek-)?devel|kernel-headers|dkms|module (enable|install|switch-to)|nvidia-driver|cuda-repo|cuda-rhel|modprobe|config-manager --set-enabled ol/;

describe("host bootstrap in WSL 2: the script", () => {
  it("holds the WSL facts of the data", () => {
    const script = file(renderFor(["torch@2.5.1"]).files, "host/bootstrap-oraclelinux.sh");
    const facts = [["WSL_KERNEL_MARKER", "wslKernelMarker", "wslKernelMarkerSh"], ["WSL1_KERNEL_SUFFIX", "wsl1KernelSuffix", "wsl1KernelSuffixSh"], ["WSL_LIB_DIR", "wslLibDir", "wslLibDirSh"], ["WSL_DRIVER_SINCE", "wslDriverSince", "wslDriverSinceSh"], ["WSL_SYSTEMD_SINCE", "wslSystemdSince", "wslSystemdSinceSh"], ["WSL_DOCKER_DESKTOP", "wslDockerDesktopPlatform", "wslDockerDesktopSh"]] as const;
    for (const [name, key, view] of facts) {
      expect(script).toContain(`readonly ${name}='${tool(matrix, key)}'\n`);
      expect(sampleView[view]).toBe(`'${tool(matrix, key)}'`);
    }
  });
});

const noSandbox = sandboxUnavailable();
describe.skipIf(noSandbox !== null)("host bootstrap in WSL 2, in a sandbox", () => {
  const host = sandboxMaker(renderBootstrapForTest(sampleView));

  it("sets up Docker and the toolkit and checks the GPU, with the Windows driver and nothing of a Linux one; a second run changes nothing", () => {
    const sb = host(WSL2);
    const first = sb.run();
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain(`ok: WSL 2 (kernel ${WSL_KERNEL}): the NVIDIA driver is the Windows one, and no Linux driver is installed here`);
    expect(first.output).toContain(`ok: GPU: GPU 0: ${RTX}`);
    expect(first.output).toContain("ok: the Windows NVIDIA driver 576.80 meets the 495 this stack needs in WSL 2");
    expect(first.output).toContain("ok: WSL 2: the Windows driver 576.80 serves the GPU; no Linux driver is installed in WSL");
    expect(mutating(first.calls).filter((c) => DRIVER_WORK.test(c))).toEqual([]);
    expect(first.calls).not.toContain("lspci -nn -d 10de:");
    expect(first.calls).toContain("dnf -y install docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin");
    expect(first.calls).toContain("docker run --rm --gpus all nvidia/cuda:12.4.1-base-ubuntu22.04 nvidia-smi");
    expect(sb.file("/etc/modprobe.d/blacklist-nouveau.conf")).toBeNull();
    expect(first.output).toMatch(/kernel\s+5\.15\.167\.4-microsoft-standard-WSL2 \(WSL 2\)/);

    const again = sb.run();
    expect(again.code, again.output).toBe(0);
    expect(mutating(again.calls)).toEqual([]);
  });

  it("asks for a newer Windows driver when the one WSL shares is below the stack's floor or WSL's own", () => {
    const sb = host({ ...WSL2, loaded_driver: "472.12" });
    const result = sb.run();
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain(`ERROR in step "Pre-flight checks": the Windows NVIDIA driver 472.12 is older than the ${tool(matrix, "wslDriverSince")} this stack needs in WSL 2`);
    expect(result.output).toContain("Update the NVIDIA driver on Windows");
    expect(mutating(result.calls)).toEqual([]);
  });

  it("refuses a Linux NVIDIA driver installed inside WSL, naming how to remove it", () => {
    const sb = host({ ...WSL2, preinstalled: "nvidia-driver:580.95.05" });
    const result = sb.run();
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain("a Linux NVIDIA driver (nvidia-driver 580.95.05) is installed in WSL 2, which NVIDIA's CUDA on WSL guide forbids");
    expect(result.output).toContain("dnf -y module remove --all nvidia-driver");
    expect(mutating(result.calls)).toEqual([]);
  });

  it("stops before changing anything where systemd is not PID 1, naming /etc/wsl.conf", () => {
    const sb = host({ ...WSL2, systemd: "0" });
    const result = sb.run();
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain("systemd is not running in this WSL distribution, and the container engine's service needs it");
    expect(result.output).toContain(`/etc/wsl.conf (WSL ${tool(matrix, "wslSystemdSince")} or newer; wsl --version):  [boot]  systemd=true`);
    expect(mutating(result.calls)).toEqual([]);
  });

  it("installs no Docker CE beside Docker Desktop's WSL integration, which already runs GPU containers", () => {
    const sb = host({ ...WSL2, docker_desktop: "1" });
    const result = sb.run();
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain("Docker Desktop's WSL integration serves this distribution (Docker Desktop 4.45.0 (203075)), and Docker CE beside it conflicts");
    expect(result.output).toContain("Settings, Resources, WSL integration");
    expect(mutating(result.calls)).toEqual([]);
  });

  it("stops on WSL 1, which has no GPU, and when WSL 2 shows no GPU", () => {
    const wsl1 = host({ ...WSL2, kernel: "4.4.0-19041-Microsoft" }).run();
    expect(wsl1.code, wsl1.output).toBe(1);
    expect(wsl1.output).toContain("this is WSL 1 (kernel 4.4.0-19041-Microsoft), which gives Linux no GPU");
    expect(wsl1.output).toContain("wsl --set-version <distribution> 2");
    expect(mutating(wsl1.calls)).toEqual([]);

    const none = host({ os: "ol9", kernel: WSL_KERNEL, wsl: "1" }).run();
    expect(none.code, none.output).toBe(1);
    expect(none.output).toContain(`no NVIDIA GPU is visible in WSL 2 (nvidia-smi -L in ${tool(matrix, "wslLibDir")} lists none)`);
    expect(mutating(none.calls)).toEqual([]);
  });

  it("the Podman script refuses WSL 2 before changing anything, pointing to the Docker script", () => {
    const result = sandboxMaker(renderBootstrapForTest(podmanView))(WSL2).run();
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain("this script sets up Podman on a Linux host, not in WSL 2");
    expect(result.output).toContain("without --engine podman");
    expect(mutating(result.calls)).toEqual([]);
  });

  it("still runs the usual path off WSL (a kernel without the marker)", () => {
    const result = host({ os: "ol9", gpu: "18:00.0 3D controller [0302]: NVIDIA Corporation GH100 [H100 SXM5 80GB] [10de:2330] (rev a1)", preinstalled: "nvidia-driver:580.95.05,kmod-nvidia-open-dkms:580.95.05,dkms:3.3.0", dkms_built: "1", loaded_driver: "580.95.05" }).run();
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toContain("WSL");
    expect(result.calls).toContain("lspci -nn -d 10de:");
  });
});
