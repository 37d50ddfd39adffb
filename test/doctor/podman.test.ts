// doctor for Podman hosts (issue 18): the parsers of `podman info --format json`, getenforce,
// /sys/fs/selinux/enforce, getsebool and CDI specs; what inspectHost concludes from them; what
// missing() asks for; the capture folders etc-cdi/ and var-run-cdi/; linear time on hostile input.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inspectHost } from "../../src/doctor/inspect.js";
import { missing } from "../../src/doctor/missing.js";
import { parseCdiSpec } from "../../src/doctor/parse-cdi-spec.js";
import { parsePodmanInfo } from "../../src/doctor/parse-podman-info.js";
import { parseGetenforce, parseGetsebool, parseSelinuxEnforce } from "../../src/doctor/parse-selinux.js";
import { probeHost } from "../../src/doctor/probe.js";
import type { CdiSpecFile, ProbeOutput, ProbeSource, RawHost } from "../../src/doctor/raw-host.js";
import { UserError } from "../../src/errors.js";
import { HOSTS, inspectDir } from "./support.js";
import { cli, tempDir } from "../support/cli.js";

const FRESH = join(HOSTS, "podman-cdi-fresh");
const STALE = join(HOSTS, "podman-cdi-stale");
const ok = (text: string): ProbeOutput => ({ ok: true, text });
const spec = (dir: CdiSpecFile["dir"], name: string, text: string): CdiSpecFile => ({ dir, name, text });

describe("podman info --format json", () => {
  const info = readFileSync(join(FRESH, "podman-info.json"), "utf8");
  it.each<[string, string, object]>([
    ["the fixture (rootless, SELinux)", info, { state: "installed", version: "5.4.0", rootless: true, selinuxEnabled: true }],
    ["rootful, no SELinux", '{"host":{"security":{"rootless":false,"selinuxEnabled":false}},"version":{"Version":"4.9.4-rhel"}}', { state: "installed", version: "4.9.4-rhel", rootless: false, selinuxEnabled: false }],
    ["no security block", '{"host":{},"version":{"Version":"5.2.2"}}', { state: "installed", version: "5.2.2", rootless: null, selinuxEnabled: null }],
    ["not installed", "bash: podman: command not found\n", { state: "not-installed" }],
    ["Podman's own error", 'time="2026-12-01T10:00:00Z" level=warning msg="x"\nError: cannot set up namespace using "/usr/bin/newuidmap": exit status 1\n', { state: "error", error: 'Error: cannot set up namespace using "/usr/bin/newuidmap": exit status 1' }],
    ["an object without a version", '{"host":{}}', { state: "error" }],
    ["nothing recognisable", "hello", {}],
  ])("%s", (_what, text, want) => {
    expect(parsePodmanInfo(text)).toEqual(want.constructor === Object && Object.keys(want).length === 0 ? {} : expect.objectContaining(want));
  });
});

describe("SELinux", () => {
  it.each<[string, object]>([
    ["Enforcing\n", { mode: "enforcing" }],
    ["Permissive", { mode: "permissive" }],
    ["Disabled\n", { mode: "disabled" }],
    ["bash: getenforce: command not found", { installed: false }],
    ["", {}],
  ])("getenforce %j", (text, want) => expect(parseGetenforce(text)).toEqual(want));

  it.each<[string, object]>([
    ["1", { mode: "enforcing" }],
    ["0\n", { mode: "permissive" }],
    ["2", {}],
  ])("/sys/fs/selinux/enforce %j", (text, want) => expect(parseSelinuxEnforce(text)).toEqual(want));

  it.each<[string, object]>([
    ["container_use_devices --> on\n", { containerUseDevices: true }],
    ["container_use_devices --> off", { containerUseDevices: false }],
    ["getsebool:  SELinux is disabled\n", { disabled: true }],
    ["Error getting active value for container_use_devices\n", { error: expect.stringContaining("no container_use_devices boolean") }],
    ["bash: getsebool: command not found", { error: "getsebool: command not found" }],
    ["virt_use_nfs --> on", {}],
  ])("getsebool %j", (text, want) => expect(parseGetsebool(text)).toEqual(want));
});

describe("CDI specs", () => {
  const fresh = readFileSync(join(FRESH, "var-run-cdi/nvidia.yaml"), "utf8");
  const stale = readFileSync(join(STALE, "etc-cdi/nvidia.yaml"), "utf8");
  it.each<[string, string, object]>([
    ["toolkit 1.18 (hook and libraries)", fresh, { kind: "nvidia.com/gpu", cdiVersion: "0.5.0", devices: ["0", "all"], driverVersions: ["570.172.08"] }],
    ["toolkit 1.17 (libraries only)", stale, { kind: "nvidia.com/gpu", cdiVersion: "0.5.0", devices: ["0", "all"], driverVersions: ["570.133.20"] }],
    ["JSON, one line", '{"cdiVersion":"0.6.0","kind":"nvidia.com/gpu","devices":[{"name":"GPU-1234","containerEdits":{}}],"containerEdits":{"mounts":[{"hostPath":"/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.580.95.05"}]}}', { kind: "nvidia.com/gpu", cdiVersion: "0.6.0", devices: ["GPU-1234"], driverVersions: ["580.95.05"] }],
    ["quoted kind, a hook version and libraries that disagree", 'cdiVersion: "0.7.0"\nkind: "nvidia.com/gpu"\ndevices:\n  - name: all\ncontainerEdits:\n  hooks:\n    - args: [nvidia-cdi-hook, enable-cuda-compat, --host-driver-version=580.95.05]\n  mounts:\n    - hostPath: /usr/lib64/libcuda.so.575.57.08\n', { kind: "nvidia.com/gpu", cdiVersion: "0.7.0", devices: ["all"], driverVersions: ["580.95.05", "575.57.08"] }],
    ["another vendor's spec", "cdiVersion: 0.5.0\nkind: vendor.com/device\ndevices:\n  - name: dev0\n", { kind: "vendor.com/device", cdiVersion: "0.5.0", devices: ["dev0"], driverVersions: [] }],
    ["not a spec", "hello: world\n", { devices: [], driverVersions: [] }],
  ])("%s", (_what, text, want) => {
    expect(parseCdiSpec(text)).toEqual(want);
  });
});

const host = (outputs: Partial<Record<ProbeSource, ProbeOutput>>, files: CdiSpecFile[] | undefined, origin: RawHost["origin"] = "dir"): RawHost =>
  files ? { origin, outputs, cdi: { files, problems: [] } } : { origin, outputs };
const DRIVER = ok("NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.95.05  Release Build  (dvs-builder@U22)  Tue Sep 23 09:56:46 UTC 2025");
const PODMAN = ok('{"host":{"security":{"rootless":true,"selinuxEnabled":true}},"version":{"Version":"5.4.0"}}');
const DOCKERLESS = ok("bash: docker: command not found");
const CTK = ok("NVIDIA Container Toolkit CLI version 1.18.0");
const specFor = (driver: string) => `cdiVersion: 0.5.0\nkind: nvidia.com/gpu\ndevices:\n    - name: all\ncontainerEdits:\n    mounts:\n        - hostPath: /usr/lib64/libcuda.so.${driver}\n`;

describe("what inspectHost concludes", () => {
  it.each<[string, RawHost, object]>([
    ["a spec for the loaded driver", host({ "proc-driver-version": DRIVER }, [spec("/etc/cdi", "nvidia.yaml", specFor("580.95.05"))]), { checked: true, driver: "580.95.05", specs: [{ path: "/etc/cdi/nvidia.yaml", stale: false }] }],
    ["a spec for an older driver", host({ "proc-driver-version": DRIVER }, [spec("/var/run/cdi", "nvidia.yaml", specFor("575.57.08"))]), { specs: [{ path: "/var/run/cdi/nvidia.yaml", stale: true, driverVersions: ["575.57.08"] }] }],
    ["no driver known: not judged", host({}, [spec("/etc/cdi", "nvidia.yaml", specFor("575.57.08"))]), { driver: null, specs: [{ stale: null }] }],
    ["another vendor's spec: not judged", host({ "proc-driver-version": DRIVER }, [spec("/etc/cdi", "amd.json", '{"kind":"amd.com/gpu","devices":[{"name":"0"}],"x":"libcuda.so.1.2.3"}')]), { specs: [{ kind: "amd.com/gpu", stale: null }] }],
    ["a capture without the CDI folders", host({ "proc-driver-version": DRIVER }, undefined), { checked: false, specs: [] }],
  ])("%s", (_what, raw, cdi) => {
    expect(inspectHost(raw).cdi).toMatchObject(cdi);
  });

  it.each<[string, RawHost, object]>([
    ["getenforce wins", host({ getenforce: ok("Permissive"), "selinux-enforce": ok("1") }, undefined), { mode: "permissive", containerUseDevices: null }],
    ["the sysfs file where getenforce is absent", host({ getenforce: { ok: false, text: "", absent: "tool", reason: "getenforce: not found on PATH" }, "selinux-enforce": ok("1"), getsebool: ok("container_use_devices --> off") }, undefined, "host"), { mode: "enforcing", containerUseDevices: false }],
    ["neither on a live host: disabled", host({ getenforce: { ok: false, text: "", absent: "tool" }, "selinux-enforce": { ok: false, text: "", absent: "tool" } }, undefined, "host"), { mode: "disabled" }],
    ["neither in a capture: unknown", host({ getenforce: { ok: false, text: "", absent: "capture" } }, undefined), { mode: null }],
    ["getsebool says disabled", host({ getsebool: ok("getsebool:  SELinux is disabled") }, undefined), { mode: "disabled" }],
  ])("SELinux: %s", (_what, raw, selinux) => {
    expect(inspectHost(raw).selinux).toMatchObject(selinux);
  });

  it.each<[string, ProbeOutput | undefined, object]>([
    ["absent from PATH", { ok: false, text: "", absent: "tool", reason: "podman: not found on PATH" }, { state: "not-installed" }],
    ["not captured", { ok: false, text: "", absent: "capture" }, { state: "unknown" }],
    ["timed out", { ok: false, text: "", reason: "podman info --format json: timed out after 5000 ms" }, { state: "error", error: expect.stringContaining("timed out") }],
    ["answered", PODMAN, { state: "installed", version: "5.4.0", rootless: true }],
  ])("Podman: %s", (_what, out, podman) => {
    expect(inspectHost(host(out ? { "podman-info": out } : {}, undefined)).podman).toMatchObject(podman);
  });
});

describe("what a Podman host lacks, with the fix", () => {
  const podmanHost = (files: CdiSpecFile[] | undefined, extra: Partial<Record<ProbeSource, ProbeOutput>> = {}) =>
    inspectHost(host({ "proc-driver-version": DRIVER, "podman-info": PODMAN, "docker-info": DOCKERLESS, "nvidia-ctk": CTK, ...extra }, files));
  const items = (files: CdiSpecFile[] | undefined, extra: Partial<Record<ProbeSource, ProbeOutput>> = {}) =>
    missing(podmanHost(files, extra)).map((i) => [i.id, i.fix]);

  it.each<[string, CdiSpecFile[] | undefined, Partial<Record<ProbeSource, ProbeOutput>>, [string, string][]]>([
    ["a fresh spec: ready, and Docker is not asked for", [spec("/etc/cdi", "nvidia.yaml", specFor("580.95.05"))], {}, []],
    ["no spec at all", [], {}, [["cdi-spec-missing", "sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml"]]],
    ["only another vendor's spec", [spec("/etc/cdi", "vendor.yaml", "kind: vendor.com/x\n")], {}, [["cdi-spec-missing", "sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml"]]],
    ["a stale spec in /etc/cdi: regenerate it where it is", [spec("/etc/cdi", "nvidia-gpu.yaml", specFor("575.57.08"))], {}, [["cdi-spec-stale", "sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia-gpu.yaml"]]],
    ["a stale spec in /var/run/cdi: restart nvidia-cdi-refresh", [spec("/var/run/cdi", "nvidia.yaml", specFor("575.57.08"))], {}, [["cdi-spec-stale", "sudo systemctl restart nvidia-cdi-refresh.service"]]],
    ["CDI not captured: nothing claimed", undefined, {}, []],
    ["enforcing, container_use_devices off", [spec("/etc/cdi", "nvidia.yaml", specFor("580.95.05"))], { getenforce: ok("Enforcing"), getsebool: ok("container_use_devices --> off") }, [["selinux-container-use-devices", "sudo setsebool -P container_use_devices on"]]],
    ["enforcing, container_use_devices on", [spec("/etc/cdi", "nvidia.yaml", specFor("580.95.05"))], { getenforce: ok("Enforcing"), getsebool: ok("container_use_devices --> on") }, []],
    ["permissive, container_use_devices off", [spec("/etc/cdi", "nvidia.yaml", specFor("580.95.05"))], { getenforce: ok("Permissive"), getsebool: ok("container_use_devices --> off") }, []],
  ])("%s", (_what, files, extra, want) => {
    expect(items(files, extra)).toEqual(want);
  });

  it("names both versions in the stale message", () => {
    const [item] = missing(podmanHost([spec("/var/run/cdi", "nvidia.yaml", specFor("575.57.08"))]));
    expect(item!.message).toContain("generated for driver 575.57.08, but driver 580.95.05 is loaded");
    expect(item!.hint).toContain("cdi-support.html");
  });

  it("without Podman, a host with neither engine is still told to install Docker", () => {
    const facts = inspectHost(host({ "proc-driver-version": DRIVER, "podman-info": { ok: false, text: "", absent: "tool" }, "docker-info": DOCKERLESS, "nvidia-ctk": CTK }, []));
    expect(missing(facts).map((i) => i.id)).toEqual(["docker", "docker-nvidia-runtime"]);
  });

  it("a Docker host with a stale spec is told too (Docker reads CDI specs as well)", () => {
    const docker = ok('{"ServerVersion":"28.3.2","Runtimes":{"nvidia":{},"runc":{}}}');
    const facts = inspectHost(host({ "proc-driver-version": DRIVER, "docker-info": docker, "nvidia-ctk": CTK }, [spec("/etc/cdi", "nvidia.yaml", specFor("575.57.08"))]));
    expect(missing(facts).map((i) => i.id)).toEqual(["cdi-spec-stale"]);
  });
});

describe("captures of the CDI folders", () => {
  const copy = (from: string): string => {
    const dir = join(tempDir("cs-cdi-"), "host");
    execFileSync("cp", ["-r", from, dir]);
    return dir;
  };

  it("reads etc-cdi/ and var-run-cdi/ as /etc/cdi and /var/run/cdi, and skips names no spec has", async () => {
    const dir = copy(STALE);
    mkdirSync(join(dir, "var-run-cdi"));
    writeFileSync(join(dir, "var-run-cdi", "nvidia.yaml"), specFor("570.172.08"));
    writeFileSync(join(dir, "etc-cdi", "README"), "not a spec");
    const facts = await inspectDir(dir);
    expect(facts.cdi.specs.map((s) => [s.path, s.stale])).toEqual([["/etc/cdi/nvidia.yaml", true], ["/var/run/cdi/nvidia.yaml", false]]);
    expect(facts.cdi.problems).toEqual(["/etc/cdi: 1 entry not named like a spec (*.yaml, *.json) not read"]);
  });

  it.skipIf(process.platform === "win32")("refuses a FIFO in a CDI folder copy, as for any capture file", async () => {
    const dir = copy(FRESH);
    execFileSync("mkfifo", [join(dir, "var-run-cdi", "fifo.yaml")]);
    const err = await probeHost({ from: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain("var-run-cdi/fifo.yaml is a FIFO");
  });
});

describe("doctor --json on the Podman fixtures", () => {
  it.each<[string, object]>([
    [FRESH, { podman: { state: "installed", version: "5.4.0" }, selinux: { mode: "enforcing", containerUseDevices: true }, cdi: { checked: true, specs: [{ path: "/var/run/cdi/nvidia.yaml", stale: false }] }, missing: [] }],
    [STALE, { cdi: { specs: [{ path: "/etc/cdi/nvidia.yaml", stale: true, driverVersions: ["570.133.20"] }] }, missing: [{ id: "cdi-spec-stale", fix: "sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml" }, { id: "selinux-container-use-devices", fix: "sudo setsebool -P container_use_devices on" }] }],
  ])("%s", (dir, want) => {
    const r = cli(["doctor", "--from", dir, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject(want);
  });
});

describe("the real podman info", () => {
  it("a saved output of Debian 12's podman 4.3.1", () => {
    const text = readFileSync(join(HOSTS, "../podman-info/debian12-podman-4.3.1.json"), "utf8");
    expect(parsePodmanInfo(text)).toEqual({ state: "installed", version: "4.3.1", rootless: false, selinuxEnabled: false });
  });

  const podman = (() => {
    try {
      return execFileSync("podman", ["info", "--format", "json"], { encoding: "utf8", timeout: 20000, stdio: ["ignore", "pipe", "ignore"] });
    } catch {
      return undefined;
    }
  })();
  it.skipIf(podman === undefined)("this machine's podman, if it has one", () => {
    const report = parsePodmanInfo(podman!);
    expect(report.state).toBe("installed");
    expect(report.version).toMatch(/^\d+\.\d+/);
    expect(typeof report.rootless).toBe("boolean");
    expect(typeof report.selinuxEnabled).toBe("boolean");
  });
});
