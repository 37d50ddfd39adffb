// The host bootstrap on a restricted network: its repositories and Docker Hub through mirrors
// (--docker-repo, --toolkit-repo, --cuda-repo, --registry-mirror, or the defaults --mirror cn
// bakes in), daemon.json merged without losing a key, keys still checked by fingerprint when a
// mirror serves them, and bad mirror options refused before anything changes. The sandbox's
// `blocked=` hosts time out, as the public hosts do from mainland China.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inOrder, mutating, Sandbox, sandboxMaker, sandboxUnavailable } from "./sandbox.js";
import { renderBootstrapForTest, sampleView } from "./view.js";
import { renderFor, file } from "../support/render.js";
import { matrix } from "../../src/matrix/data.js";

const script = renderBootstrapForTest(sampleView);
const OL9_UEK8 = "6.12.0-100.28.2.2.el9uek.x86_64";
const OL9_RHCK = "5.14.0-570.12.1.0.1.el9_6.x86_64";
const H100 = "18:00.0 3D controller [0302]: NVIDIA Corporation GH100 [H100 SXM5 80GB] [10de:2330] (rev a1)";
const L40S = "ca:00.0 3D controller [0302]: NVIDIA Corporation AD102GL [L40S] [10de:26b9] (rev a1)";
/** What is unreachable from mainland China, per ../shared/research/artifact-review-2026-12.md §3 (slow ones blocked here too). */
const BLOCKED = ["download.docker.com", "nvidia.github.io", "developer.download.nvidia.com", "registry-1.docker.io"];
const MIRRORS = {
  docker: "https://mirror.test/docker-ce",
  toolkit: "https://mirror.test/libnvidia-container",
  cuda: "https://mirror.test/nvidia/cuda/repos",
};
const MIRROR_OPTIONS = ["--docker-repo", MIRRORS.docker, "--toolkit-repo", MIRRORS.toolkit, "--cuda-repo", MIRRORS.cuda];

const noSandbox = sandboxUnavailable();
if (noSandbox) console.warn(`[test/host] mirror runs skipped: ${noSandbox}`);

describe.skipIf(noSandbox !== null)("host bootstrap on a restricted network", () => {
  const host = sandboxMaker(script);
  const daemonJson = (sb: Sandbox, content: string) => writeFileSync(join(sb.dir, "fs/etc-d/docker/daemon.json"), content);

  it("without mirrors, the blocked hosts stop it at the first download", () => {
    const sb = host({ os: "ol9", kernel: OL9_RHCK, gpu: L40S, blocked: BLOCKED, preinstalled: "nvidia-driver:580.95.05,kmod-nvidia-open-dkms:580.95.05,dkms:3.3.0", dkms_built: "1", loaded_driver: "580.95.05" });
    const result = sb.run("--skip-driver");
    expect(result.code, result.output).toBe(1);
    expect(result.output).toMatch(/ERROR in step "Docker CE": command failed \(exit 1\): dnf config-manager --add-repo https:\/\/download\.docker\.com/);
  });

  it("a failed download names what to check: the proxy that sudo leaves out, and the option that takes a mirror of its host", () => {
    const ready = { preinstalled: "nvidia-driver:580.95.05,kmod-nvidia-open-dkms:580.95.05,dkms:3.3.0", dkms_built: "1", loaded_driver: "580.95.05" };
    const docker = host({ os: "ol9", kernel: OL9_RHCK, gpu: L40S, blocked: BLOCKED, sudo_user: "admin", ...ready }).run("--skip-driver");
    expect(docker.code, docker.output).toBe(1);
    expect(docker.output).toMatch(/command failed \(exit 1\): dnf config-manager --add-repo https:\/\/download\.docker\.com\S*\n {4}No proxy is set for this run: sudo leaves proxy variables out\./);
    expect(docker.output).toContain("sudo --preserve-env=https_proxy,http_proxy,no_proxy bash ");
    expect(docker.output).toContain("Where download.docker.com is blocked or slow from here, --docker-repo URL takes a mirror of it (see --help).");
    // NVIDIA's CUDA repository, fetched with curl (exit 28, the stand-in's timeout).
    const cuda = host({ os: "ol9", kernel: OL9_UEK8, gpu: H100, blocked: BLOCKED, sudo_user: "admin" }).run("--driver-source", "network");
    expect(cuda.code, cuda.output).toBe(1);
    expect(cuda.output).toMatch(/command failed \(exit 28\): curl [^\n]*developer\.download\.nvidia\.com/);
    expect(cuda.output).toContain("Where developer.download.nvidia.com is blocked or slow from here, --cuda-repo URL takes a mirror of it (see --help).");
    // With a proxy set, or without sudo, there is nothing to say about sudo.
    const proxied = host({ os: "ol9", kernel: OL9_RHCK, gpu: L40S, blocked: BLOCKED, sudo_user: "admin", https_proxy: "http://proxy.test:3128", ...ready }).run("--skip-driver");
    expect(proxied.output).not.toContain("No proxy is set");
    expect(proxied.output).toContain("--docker-repo URL takes a mirror of it");
    const root = host({ os: "ol9", kernel: OL9_RHCK, gpu: L40S, blocked: BLOCKED, ...ready }).run("--skip-driver");
    expect(root.output).not.toContain("No proxy is set");
  });

  it("--docker-repo, --toolkit-repo, --cuda-repo and --registry-mirror: everything through the mirrors, daemon.json merged, a second run changes nothing", () => {
    const sb = host({ os: "ol9", kernel: OL9_UEK8, gpu: H100, blocked: BLOCKED, kernel_cc: "gcc (GCC) 14.2.1 20250110 (Red Hat 14.2.1-7)", toolset_pulled: "1" });
    daemonJson(sb, JSON.stringify({ "log-driver": "journald", "data-root": "/data/docker", "registry-mirrors": ["https://existing.mirror.test"] }, null, 2));
    const args = [...MIRROR_OPTIONS, "--driver-source", "network", "--registry-mirror", "https://hub.mirror.test", "--registry-mirror", "https://existing.mirror.test/"];
    const first = sb.run(...args);
    expect(first.code, first.output).toBe(0);
    expect(
      inOrder(first.calls, [
        /^curl -fsSL --proto =https https:\/\/mirror\.test\/nvidia\/cuda\/repos\/rhel9\/x86_64\/cuda-rhel9\.repo -o /,
        /^curl -fsSL --proto =https https:\/\/mirror\.test\/nvidia\/cuda\/repos\/rhel9\/x86_64\/D42D0685\.pub -o /,
        "dnf -y module enable nvidia-driver:open-dkms",
        `dnf config-manager --add-repo ${MIRRORS.docker}/linux/rhel/docker-ce.repo`,
        "dnf -q makecache --repo docker-ce-stable",
        /^curl -fsSL --proto =https https:\/\/mirror\.test\/docker-ce\/linux\/rhel\/gpg -o /,
        "systemctl enable --now docker",
        "systemctl restart docker",
        /^curl -fsSL --proto =https https:\/\/mirror\.test\/libnvidia-container\/stable\/rpm\/nvidia-container-toolkit\.repo -o /,
        /^curl -fsSL --proto =https https:\/\/mirror\.test\/libnvidia-container\/gpgkey -o /,
        "nvidia-ctk runtime configure --runtime=docker",
        "docker run --rm --gpus all nvidia/cuda:12.4.1-base-ubuntu22.04 nvidia-smi",
      ]),
    ).toBeNull();
    // No call reached a blocked host, and every key was checked.
    for (const blocked of BLOCKED) expect(first.calls.filter((c) => c.includes(blocked) && /^(curl|dnf config-manager)/.test(c))).toEqual([]);
    expect(first.output.match(/ok: key fingerprint [0-9A-F]{40} verified/g)).toHaveLength(3);
    expect(sb.file("/etc/yum.repos.d/docker-ce.repo")).toContain(`baseurl=${MIRRORS.docker}/linux/rhel/$releasever/$basearch/stable`);
    expect(sb.file("/etc/yum.repos.d/docker-ce.repo")).not.toContain("download.docker.com");
    expect(sb.file("/etc/yum.repos.d/nvidia-container-toolkit.repo")).toMatch(new RegExp(`^baseurl=${MIRRORS.toolkit}/stable/rpm/\\$basearch$`, "m"));
    expect(sb.file("/etc/yum.repos.d/cuda-rhel9.repo")).toContain(`baseurl=${MIRRORS.cuda}/rhel9/x86_64`);
    const daemon = JSON.parse(sb.file("/etc/docker/daemon.json")!);
    expect(daemon["registry-mirrors"]).toEqual(["https://existing.mirror.test", "https://hub.mirror.test"]);
    expect(daemon["log-driver"]).toBe("journald");
    expect(daemon["data-root"]).toBe("/data/docker");
    expect(daemon.runtimes.nvidia.path).toBe("nvidia-container-runtime");
    expect(JSON.parse(sb.file("/etc/docker/daemon.json.before-cuda-scaffold")!)["registry-mirrors"]).toEqual(["https://existing.mirror.test"]);

    const before = sb.snapshot();
    const second = sb.run(...args);
    expect(second.code, second.output).toBe(0);
    expect(mutating(second.calls)).toEqual([]);
    expect(second.output).toContain("has the registry settings");
    expect(sb.snapshot()).toEqual(before);
  });

  it("the script `--mirror cn` writes uses the cn mirrors by default", () => {
    const product = file(renderFor(["torch@2.5.1"], { mirror: { kind: "preset", name: "cn" } }).files, "host/bootstrap-oraclelinux.sh");
    const cn = matrix.mirrors.presets.cn!.mirrors;
    const url = (id: string) => (cn[id] as { url: string }).url;
    const sb = host({ os: "ol9", kernel: OL9_RHCK, gpu: L40S, blocked: BLOCKED }, product);
    const result = sb.run("--driver-source", "network");
    expect(result.code, result.output).toBe(0);
    expect(result.calls).toContain(`dnf config-manager --add-repo ${url("docker-ce")}/linux/rhel/docker-ce.repo`);
    expect(result.calls.some((c) => c.startsWith(`curl -fsSL --proto =https ${url("container-toolkit")}/stable/rpm/nvidia-container-toolkit.repo`))).toBe(true);
    expect(result.calls.some((c) => c.startsWith(`curl -fsSL --proto =https ${url("cuda-repo")}/rhel9/x86_64/cuda-rhel9.repo`))).toBe(true);
    expect(JSON.parse(sb.file("/etc/docker/daemon.json")!)["registry-mirrors"]).toEqual(matrix.mirrors.presets.cn!.registryMirrors!.map((r) => r.url));
    const help = sb.run("--help");
    expect(help.output).toContain(`now ${url("docker-ce")}`);
  });

  it("a mirror that serves another key than the vendor's is refused, for Docker's, the toolkit's and NVIDIA's key", () => {
    const wrong = "0".repeat(40);
    const docker = host({ os: "ol9", kernel: OL9_RHCK, gpu: L40S, blocked: BLOCKED, mirror_key_fpr: wrong, preinstalled: "dnf-plugins-core" });
    const refused = docker.run(...MIRROR_OPTIONS, "--skip-driver");
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toContain(`ERROR in step "Docker CE": the key at ${MIRRORS.docker}/linux/rhel/gpg has fingerprint '${wrong}', expected 060A61C51B558A7F742B77AAC52FEB6B621E9F35`);
    expect(refused.output).toContain("a mirror that serves");
    expect(refused.calls.filter((c) => /^(rpm --import|dnf -y install docker)/.test(c))).toEqual([]);

    const cuda = host({ os: "ol9", kernel: OL9_RHCK, gpu: L40S, blocked: BLOCKED, mirror_key_fpr: wrong });
    const refusedCuda = cuda.run(...MIRROR_OPTIONS, "--driver-source", "network");
    expect(refusedCuda.code, refusedCuda.output).toBe(1);
    expect(refusedCuda.output).toContain(`ERROR in step "NVIDIA driver": the key at ${MIRRORS.cuda}/rhel9/x86_64/D42D0685.pub has fingerprint '${wrong}'`);
    expect(cuda.file("/etc/yum.repos.d/cuda-rhel9.repo")).toBeNull();

    // Docker's key from its own host, the toolkit's from the mirror: only the toolkit's is refused.
    const toolkit = host({ os: "ol9", kernel: OL9_RHCK, gpu: L40S, mirror_key_fpr: wrong, preinstalled: "dnf-plugins-core" });
    const refusedToolkit = toolkit.run("--toolkit-repo", MIRRORS.toolkit, "--skip-driver");
    expect(refusedToolkit.code, refusedToolkit.output).toBe(1);
    expect(refusedToolkit.output).toContain(`ERROR in step "NVIDIA Container Toolkit": the key at ${MIRRORS.toolkit}/gpgkey has fingerprint '${wrong}'`);
    expect(toolkit.file("/etc/yum.repos.d/nvidia-container-toolkit.repo")).toBeNull();
  });

  it("a registry CA and an insecure registry, the ways Docker supports registries other than Docker Hub", () => {
    const sb = host({ os: "ol9", kernel: OL9_RHCK, gpu: L40S, preinstalled: "nvidia-driver:580.95.05,kmod-nvidia-open-dkms:580.95.05,dkms:3.3.0", dkms_built: "1", loaded_driver: "580.95.05" });
    const ca = join(sb.dir, "harbor-ca.crt");
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n");
    const result = sb.run("--skip-driver", "--registry-ca", `harbor.example.com:8443=${ca}`, "--insecure-registry", "10.0.0.5:5000", "--allow-insecure-mirror");
    expect(result.code, result.output).toBe(0);
    expect(sb.file("/etc/docker/certs.d/harbor.example.com:8443/ca.crt")).toContain("fake");
    const daemon = JSON.parse(sb.file("/etc/docker/daemon.json")!);
    expect(daemon["insecure-registries"]).toEqual(["10.0.0.5:5000"]);
    expect(daemon["registry-mirrors"]).toBeUndefined();
    expect(daemon.runtimes.nvidia).toBeDefined();
  });

  it("a daemon.json that is not JSON is left alone and the run stops", () => {
    const sb = host({ os: "ol9", kernel: OL9_RHCK, gpu: L40S, preinstalled: "nvidia-driver:580.95.05,kmod-nvidia-open-dkms:580.95.05,dkms:3.3.0", dkms_built: "1", loaded_driver: "580.95.05" });
    daemonJson(sb, "{ not json");
    const result = sb.run("--skip-driver", "--registry-mirror", "https://hub.mirror.test");
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain('ERROR in step "Docker CE": /etc/docker/daemon.json is not a JSON object this script can merge into; it was left unchanged');
    expect(sb.file("/etc/docker/daemon.json")).toBe("{ not json");
  });

  it("--dry-run shows the merged daemon.json and changes nothing", () => {
    const sb = host({ os: "ol9", kernel: OL9_RHCK, gpu: L40S, blocked: BLOCKED });
    daemonJson(sb, '{"log-driver": "journald"}');
    const before = sb.snapshot();
    const result = sb.run("--dry-run", ...MIRROR_OPTIONS, "--driver-source", "network", "--registry-mirror", "https://hub.mirror.test");
    expect(result.code, result.output).toBe(0);
    expect(mutating(result.calls)).toEqual([]);
    expect(sb.snapshot()).toEqual(before);
    expect(result.output).toContain(`[dry-run] dnf config-manager --add-repo ${MIRRORS.docker}/linux/rhel/docker-ce.repo`);
    expect(result.output).toMatch(/\[dry-run\] write \/etc\/docker\/daemon\.json:[\s\S]*"log-driver": "journald"[\s\S]*"registry-mirrors": \[\s*\|\s*"https:\/\/hub\.mirror\.test"/);
  });

  it.each([
    [["--docker-repo", "http://mirror.test/docker-ce"], "--docker-repo 'http://mirror.test/docker-ce' is not an https:// URL (http:// needs --allow-insecure-mirror)"],
    [["--cuda-repo", "https://mirror.test/a b"], "--cuda-repo 'https://mirror.test/a b' is not an https:// URL"],
    [["--toolkit-repo", "https://mirror.test/$(reboot)"], "--toolkit-repo 'https://mirror.test/$(reboot)' is not an https:// URL"],
    [["--registry-mirror", "ghcr.io=https://ghcr.mirror.test"], "Docker's registry-mirrors serve Docker Hub only"],
    [["--registry-mirror", "ftp://hub.mirror.test"], "--registry-mirror 'ftp://hub.mirror.test' is not an https:// URL"],
    [["--insecure-registry", "10.0.0.5:5000"], "--insecure-registry 10.0.0.5:5000 turns TLS off for that registry; add --allow-insecure-mirror"],
    [["--registry-ca", "harbor.example.com=/nonexistent/ca.crt"], "--registry-ca harbor.example.com=/nonexistent/ca.crt: no such readable file"],
    [["--registry-ca", "/root/ca.crt"], "--registry-ca '/root/ca.crt' is not HOST=FILE"],
  ])("refuses %j before changing anything", (args, message) => {
    const sb = host({ os: "ol9", kernel: OL9_RHCK, gpu: L40S });
    const result = sb.run("--skip-driver", ...args);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain(message);
    expect(result.calls).toEqual([]);
  });

  it("an http:// mirror is accepted with --allow-insecure-mirror, and keys are still checked", () => {
    const sb = host({ os: "ol9", kernel: OL9_RHCK, gpu: L40S, blocked: BLOCKED, preinstalled: "nvidia-driver:580.95.05,kmod-nvidia-open-dkms:580.95.05,dkms:3.3.0", dkms_built: "1", loaded_driver: "580.95.05" });
    const result = sb.run("--skip-driver", "--allow-insecure-mirror", "--docker-repo", "http://nexus.corp.test/docker-ce", "--toolkit-repo", MIRRORS.toolkit, "--registry-mirror", "http://nexus.corp.test:8082");
    expect(result.code, result.output).toBe(0);
    expect(result.calls.some((c) => c.startsWith("curl -fsSL --proto =https,http http://nexus.corp.test/docker-ce/linux/rhel/gpg"))).toBe(true);
    expect(result.output).toMatch(/key fingerprint 060A61C51B558A7F742B77AAC52FEB6B621E9F35 verified/);
  });
});
