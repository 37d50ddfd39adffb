// doctor and the compose backend under Podman (issue 18): what `podman compose` would run (Podman's
// own answer to `podman --log-level=debug compose version`), podman-compose's version, what
// inspectHost concludes, the missing item when docker-compose would drop the CDI devices: entries,
// and the live probe through stand-in podman and podman-compose commands on PATH.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inspectHost } from "../../src/doctor/inspect.js";
import { missing } from "../../src/doctor/missing.js";
import { parseComposeProvider, parsePodmanComposeVersion } from "../../src/doctor/parse-podman-compose.js";
import { probeHost } from "../../src/doctor/probe.js";
import type { ProbeOutput, ProbeSource, RawHost } from "../../src/doctor/raw-host.js";
import { HOSTS } from "./support.js";
import { tempDir } from "../support/cli.js";

const ok = (text: string): ProbeOutput => ({ ok: true, text });
const failed = (text: string, reason = "exited with 125"): ProbeOutput => ({ ok: false, text, reason });
const found = (path: string) => `time="2026-12-02T10:14:07Z" level=debug msg="Found compose provider \\"${path}\\""\n`;
const warning = (path: string) => `\u001b[4m>>>> Executing external compose provider "${path}". Please see podman-compose(1) for how to disable this message. <<<<\n\n\u001b[0m`;
/** Debian 12's podman-compose 1.0.3, as this repository's test machine prints it. */
const V103 = "['podman', '--version', '']\nusing podman version: 4.3.1\npodman-composer version  1.0.3\npodman --version \npodman version 4.3.1\nexit code: 0\n";
const V106 = readFileSync(join(HOSTS, "podman-cdi-fresh/podman-compose-version.txt"), "utf8");

describe("podman compose: which provider Podman runs", () => {
  it.each([
    ["the debug line (stderr not a terminal)", found("/usr/bin/podman-compose"), { supported: true, providerPath: "/usr/bin/podman-compose" }],
    ["the warning alone (debug lines filtered)", warning("/usr/local/lib/docker/cli-plugins/docker-compose"), { supported: true, providerPath: "/usr/local/lib/docker/cli-plugins/docker-compose" }],
    ["a debug line on a terminal", 'DEBU[0000] Found compose provider "/usr/bin/docker-compose"\n', { supported: true, providerPath: "/usr/bin/docker-compose" }],
    ["Podman 4.3.1 as this repository's test machine prints it", 'time="2026-12-01T19:09:23Z" level=info msg="podman filtering at log level debug"\ntime="2026-12-01T19:09:23Z" level=debug msg="Called podman.PersistentPreRunE(podman --log-level=debug compose version)"\nError: unrecognized command `podman compose`\nTry \'podman --help\' for more information\n', { supported: false }],
    ["Podman 4.3 (no compose command)", "Error: unrecognized command `podman compose`\nTry 'podman --help' for more information\n", { supported: false }],
    ["no provider installed", 'Error: looking up compose provider failed\nexec: "docker-compose": executable file not found in $PATH\nexec: "podman-compose": executable file not found in $PATH\n', { supported: true, providerPath: null, error: expect.stringContaining("no provider") }],
    ["an empty compose_providers", "Error: no compose provider specified, please refer to `man podman-compose` for details\n", { supported: true, providerPath: null, error: expect.stringContaining("no provider") }],
    ["podman not installed", "bash: podman: command not found\n", { error: "podman: command not found" }],
    ["something else", "Docker Compose version v2.33.1\n", {}],
  ])("%s", (_what, text, report) => {
    expect(parseComposeProvider(text)).toEqual(report);
  });
});

describe("podman-compose version", () => {
  it.each([
    ["1.0.3 (Debian 12: 'podman-composer', two spaces)", V103, { installed: true, version: "1.0.3" }],
    ["1.0.6 (EPEL)", V106, { installed: true, version: "1.0.6" }],
    ["a later release", "podman-compose version 1.5.0\npodman version 5.6.0\n", { installed: true, version: "1.5.0" }],
    ["not installed", "bash: podman-compose: command not found\n", { installed: false }],
    ["something else", "usage: podman-compose [-h]\n", {}],
  ])("%s", (_what, text, report) => {
    expect(parsePodmanComposeVersion(text)).toEqual(report);
  });
});

const PODMAN = ok('{"host":{"security":{"rootless":false,"selinuxEnabled":true}},"version":{"Version":"4.9.4"}}');
const OL9 = ok('NAME="Oracle Linux Server"\nID="ol"\nVERSION_ID="9.6"\nPRETTY_NAME="Oracle Linux Server 9.6"\n');
const raw = (outputs: Partial<Record<ProbeSource, ProbeOutput>>): RawHost => ({ origin: "dir", outputs: { "podman-info": PODMAN, "os-release": OL9, ...outputs } });
const compose = (outputs: Partial<Record<ProbeSource, ProbeOutput>>) => inspectHost(raw(outputs)).podman.compose;
const composeItem = (outputs: Partial<Record<ProbeSource, ProbeOutput>>) => missing(inspectHost(raw(outputs))).filter((i) => i.id === "podman-compose-provider");
const NOT_INSTALLED = ok("bash: podman-compose: command not found\n");

describe("podman.compose facts and what is missing", () => {
  it.each([
    ["podman-compose is the provider", { "podman-compose-provider": ok(found("/usr/bin/podman-compose") + V106), "podman-compose-version": ok(V106) },
      { provider: "podman-compose", providerPath: "/usr/bin/podman-compose", podmanCompose: true, installed: true, version: "1.0.6", honoursCdiDevices: true, expandsEmptyDefaults: true, passesUsernsMode: true }, []],
    ["docker-compose first, podman-compose not installed", { "podman-compose-provider": ok(found("/usr/local/bin/docker-compose")), "podman-compose-version": NOT_INSTALLED },
      { provider: "docker-compose", installed: false, version: null, honoursCdiDevices: false, expandsEmptyDefaults: null },
      ["sudo dnf install -y podman-compose && export PODMAN_COMPOSE_PROVIDER=podman-compose"]],
    ["docker-compose first (a CLI plugin), podman-compose 1.0.3 installed", { "podman-compose-provider": ok(warning("/usr/libexec/docker/cli-plugins/docker-compose")), "podman-compose-version": ok(V103) },
      { provider: "docker-compose", installed: true, version: "1.0.3", honoursCdiDevices: false, expandsEmptyDefaults: false },
      ["export PODMAN_COMPOSE_PROVIDER=podman-compose"]],
    ["Podman 4.3: no podman compose, podman-compose 1.0.3", { "podman-compose-provider": failed("Error: unrecognized command `podman compose`\n"), "podman-compose-version": ok(V103) },
      { provider: null, podmanCompose: false, installed: true, version: "1.0.3", honoursCdiDevices: null }, []],
    ["another provider set by PODMAN_COMPOSE_PROVIDER", { "podman-compose-provider": ok(found("/opt/compose/bin/my-compose")) },
      { provider: "my-compose", honoursCdiDevices: null }, []],
    ["not captured", {}, { provider: null, providerPath: null, podmanCompose: null, installed: null, version: null, honoursCdiDevices: null, expandsEmptyDefaults: null, passesUsernsMode: null }, []],
    ["podman-compose absent from PATH (live)", { "podman-compose-version": { ok: false, text: "", absent: "tool", reason: "podman-compose: not found on PATH" } as ProbeOutput },
      { installed: false }, []],
  ] as const)("%s", (_what, outputs, facts, fixes) => {
    expect(compose(outputs)).toMatchObject(facts);
    expect(composeItem(outputs).map((i) => i.fix)).toEqual(fixes);
  });

  it("the missing item says why and how to keep the choice; Debian-family hosts get apt-get", () => {
    const [item] = composeItem({ "podman-compose-provider": ok(found("/usr/local/bin/docker-compose")), "podman-compose-version": NOT_INSTALLED });
    expect(item?.message).toContain("podman#28436");
    expect(item?.hint).toContain("Podman found /usr/local/bin/docker-compose first.");
    expect(item?.hint).toContain("EPEL");
    expect(item?.hint).toContain('compose_providers = ["podman-compose"]');
    const debian = missing(inspectHost(raw({ "os-release": ok("ID=debian\nVERSION_ID=\"12\"\n"), "podman-compose-provider": ok(found("/usr/bin/docker-compose")), "podman-compose-version": NOT_INSTALLED })));
    expect(debian.find((i) => i.id === "podman-compose-provider")?.fix).toBe("sudo apt-get install -y podman-compose && export PODMAN_COMPOSE_PROVIDER=podman-compose");
  });

  it("without Podman nothing is asked of the compose provider", () => {
    const facts = inspectHost({ origin: "dir", outputs: { "podman-info": ok("bash: podman: command not found\n"), "podman-compose-provider": ok(found("/usr/bin/docker-compose")) } });
    expect(missing(facts).map((i) => i.id)).not.toContain("podman-compose-provider");
  });
});

// The generated compose file's userns_mode keep-id:uid=…,gid=… (matrix/platform.yaml podmanUsernsMode):
// podman-compose passes it on from 1.0.6, outside a pod except in 1.1.0 (a pod by default, no
// x-podman in_pod); Podman takes it rootless from 4.3.0 and as root from 4.5.0.
describe("userns_mode: podman-compose and Podman releases", () => {
  const info = (version: string, rootless: boolean) => ok(JSON.stringify({ host: { security: { rootless, selinuxEnabled: true } }, version: { Version: version } }));
  const pcVersion = (v: string) => ok(`podman-compose version ${v}\npodman version 4.9.4\n`);
  const userns = (outputs: Partial<Record<ProbeSource, ProbeOutput>>) => missing(inspectHost(raw(outputs))).filter((i) => i.id === "podman-compose-userns" || i.id === "podman-keep-id");
  it.each([
    ["1.0.3", V103, false, "sudo dnf -y upgrade podman-compose", /PODMAN_USERNS="keep-id:uid=\$\{USER_UID:-1000\},gid=\$\{USER_GID:-1000\}" podman-compose up -d dev/],
    ["1.0.6", V106, true, null, null],
    ["1.1.0", "podman-compose version 1.1.0\npodman version 4.9.4\n", false, "sudo dnf -y upgrade podman-compose", /podman-compose --in-pod= up -d dev/],
    ["1.2.0", "podman-compose version 1.2.0\npodman version 4.9.4\n", true, null, null],
    ["1.6.0", "podman-compose version 1.6.0\npodman version 5.6.0\n", true, null, null],
  ] as const)("podman-compose %s", (_v, text, passes, fix, hint) => {
    const outputs = { "podman-compose-version": ok(text) };
    expect(compose(outputs).passesUsernsMode).toBe(passes);
    const items = userns(outputs);
    expect(items.map((i) => i.fix)).toEqual(fix ? [fix] : []);
    if (hint) expect(items[0]!.hint).toMatch(hint);
  });

  it.each([
    ["4.4.1", false, ["sudo dnf -y upgrade podman"]],
    ["4.5.0", false, []],
    ["4.2.0", true, ["sudo dnf -y upgrade podman"]],
    ["4.3.1", true, []],
  ] as const)("Podman %s (rootless: %s)", (version, rootless, fixes) => {
    const items = userns({ "podman-info": info(version, rootless), "podman-compose-version": pcVersion("1.0.6") });
    expect(items.map((i) => i.fix)).toEqual(fixes);
    if (fixes.length) expect(items[0]!.message).toContain(`Podman ${version} runs ${rootless ? "rootless" : "as root"} here, and takes it so from ${rootless ? "4.3.0" : "4.5.0"}.`);
  });

  it("Debian 12 as root (Podman 4.3.1, podman-compose 1.0.3): both, with apt-get, and the rootless way out", () => {
    const items = missing(inspectHost(raw({ "os-release": ok('ID=debian\nVERSION_ID="12"\n'), "podman-info": info("4.3.1", false), "podman-compose-version": ok(V103) })));
    const ids = items.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining(["podman-keep-id", "podman-compose-userns"]));
    expect(items.find((i) => i.id === "podman-keep-id")?.fix).toBe("sudo apt-get install -y --only-upgrade podman");
    expect(items.find((i) => i.id === "podman-keep-id")?.hint).toContain("run podman-compose as your user");
  });
});

describe("the live probe", () => {
  it("asks podman with --log-level=debug and keeps its stderr; runs podman-compose version", async () => {
    const bin = join(tempDir(), "bin");
    mkdirSync(bin, { recursive: true });
    const log = join(bin, "calls.log");
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >>"${log}"\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    stub("podman", `case "$*" in *compose*) echo 'time="x" level=debug msg="Found compose provider \\\\"/usr/bin/podman-compose\\\\""' >&2; echo "podman-compose version 1.5.0" ;; *) exit 1 ;; esac`);
    stub("podman-compose", 'echo "podman-compose version 1.5.0"; echo "podman version 5.6.0"');
    const facts = inspectHost(await probeHost({ env: { PATH: bin }, timeoutMs: 5000 }));
    expect(facts.podman.compose).toMatchObject({ provider: "podman-compose", providerPath: "/usr/bin/podman-compose", installed: true, version: "1.5.0", honoursCdiDevices: true });
    const calls = readFileSync(log, "utf8");
    expect(calls).toContain("podman --log-level=debug compose version");
    expect(calls).toContain("podman-compose version");
  });
});
