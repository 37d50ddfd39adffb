// Drives test/host/sandbox.sh from the tests: one fake Oracle Linux host per Sandbox.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { repoRoot } from "./view.js";

const harness = join(repoRoot, "test/host/sandbox.sh");

/** Why the sandbox cannot run here, or null when it can. */
export function sandboxUnavailable(): string | null {
  if (process.platform !== "linux") return "not Linux";
  if (process.getuid?.() !== 0) return "not root";
  const probe = spawnSync("bash", [harness, "probe"], { encoding: "utf8" });
  if (probe.error) return probe.error.message;
  return probe.status === 0 ? null : probe.stderr.trim() || "sandbox probe failed";
}

export function shellcheckUnavailable(): string | null {
  const probe = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
  return probe.status === 0 ? null : "shellcheck not installed (apt-get install -y shellcheck)";
}

export interface RunResult {
  code: number | null;
  output: string;
  calls: string[];
}

/** Calls that change a host: none of these may appear in a run that has nothing to do (rpm --checksig, dnf module --help and dnf module list only read). */
export const MUTATING =
  /^(dnf (-[yq] )*(install|upgrade|remove|module(?! --help$| list )|config-manager|clean|makecache)|rpm (--install|-i|--import)|systemctl (enable|start|restart|stop|daemon-reload)|nvidia-ctk (runtime|cdi generate)|setsebool |usermod |curl |modprobe |TRIPWIRE)/;

export type Settings = Record<string, string | string[]>;

/** Contents of a stand-in rpm file: the stand-in rpm --checksig reads its "fake-signature:" line. */
export const RPM_SIGNED_BY_NVIDIA = "not really an rpm\nfake-signature: d42d0685\n";
export const RPM_UNSIGNED = "not really an rpm\n";
export const RPM_BAD_SIGNATURE = "not really an rpm, altered after signing\nfake-signature: d42d0685 BAD\n";
/** Signed with Docker's key, which a host may well trust: valid, but not NVIDIA's. */
export const RPM_SIGNED_BY_DOCKER = "not really an rpm\nfake-signature: 621e9f35\n";

export class Sandbox {
  readonly dir: string;

  constructor(script: string, settings: Settings) {
    this.dir = mkdtempSync(join(tmpdir(), "cuda-scaffold-host-"));
    const args = Object.entries(settings).flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map((v) => `${key}=${v}`),
    );
    this.harness("init", ...args);
    writeFileSync(join(this.dir, "bootstrap.sh"), script, { mode: 0o755 });
  }

  private harness(command: string, ...args: string[]) {
    const result = spawnSync("bash", [harness, command, this.dir, ...args], { encoding: "utf8", timeout: 30_000 });
    if (result.status !== 0) throw new Error(`sandbox.sh ${command} failed: ${result.stderr}`);
  }

  /** A stand-in for NVIDIA's local repository rpm, returned as its path. */
  driverRpm(name: string, content = RPM_SIGNED_BY_NVIDIA): { path: string; sha256: string } {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return { path, sha256: createHash("sha256").update(content).digest("hex") };
  }

  run(...args: string[]): RunResult {
    const result = spawnSync("bash", [harness, "run", this.dir, ...args], { encoding: "utf8", timeout: 30_000 });
    if (result.error) throw result.error;
    return { code: result.status, output: result.stdout + result.stderr, calls: this.calls("calls.log") };
  }

  /** Starts a run in the background; its calls go to their own log so that other runs can happen meanwhile. */
  start(...args: string[]): Promise<RunResult> {
    const callsLog = "calls-background.log";
    const child = spawn("bash", [harness, "run", this.dir, ...args], {
      env: { ...process.env, SANDBOX_CALLS: callsLog },
      timeout: 60_000,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, output, calls: this.calls(callsLog) }));
    });
  }

  private calls(name: string): string[] {
    return readFileSync(join(this.dir, name), "utf8").split("\n").filter(Boolean);
  }

  /** The next call that starts with this text waits until resume() (see stand-ins.sh). */
  pauseAt(call: string) {
    writeFileSync(join(this.dir, "state/pause_at"), call);
  }

  /** Waits until a run is held at the call named by pauseAt(). */
  async paused(timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!existsSync(join(this.dir, "state/paused"))) {
      if (Date.now() > until) throw new Error("no run reached the pause point");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  resume() {
    writeFileSync(join(this.dir, "state/resume"), "");
  }

  reboot() {
    this.harness("reboot");
  }

  /** Mark the DKMS signing key as enrolled (what the operator does at the console). */
  enrolMokKey() {
    writeFileSync(join(this.dir, "state/mok_enrolled"), "");
  }

  /** A file the script wrote, by its path on the host (/etc/…, /var/log/…, /usr/src/…, /opt/…). */
  file(hostPath: string): string | null {
    const path = this.sandboxPath(hostPath);
    return existsSync(path) ? readFileSync(path, "utf8") : null;
  }

  private sandboxPath(hostPath: string): string {
    const etc = hostPath.match(/^\/etc\/(modprobe\.d|docker|yum\.repos\.d|dkms|pki|cdi|systemd|containers)(\/.*)?$/);
    if (etc) return join(this.dir, "fs/etc-d", etc[1]!, etc[2] ?? "");
    for (const [prefix, folder] of [["/var/log", "var-log"], ["/usr/src", "usr-src"], ["/opt", "opt"], ["/run", "run"], ["/var/run", "run"], ["/etc", "etc.upper"]]) {
      if (hostPath.startsWith(`${prefix}/`)) return join(this.dir, "fs", folder!, hostPath.slice(prefix!.length));
    }
    throw new Error(`not a sandboxed path: ${hostPath}`);
  }

  /** Files written into the /etc overlay (everything else in /etc is bound to sandbox folders). */
  etcOverlayFiles(): string[] {
    return listFiles(join(this.dir, "fs/etc.upper"));
  }

  installedPackages(): string[] {
    return readFileSync(join(this.dir, "state/rpmdb"), "utf8").split("\n").filter(Boolean).sort();
  }

  /** Everything a run can change, except the log file, as path → content hash. */
  snapshot(): Record<string, string> {
    const snap: Record<string, string> = {};
    const fs = join(this.dir, "fs");
    for (const rel of listFiles(fs)) {
      if (rel.startsWith("var-log/")) continue;
      snap[rel] = hash(join(fs, rel));
    }
    for (const name of readdirSync(join(this.dir, "state"))) snap[`state/${name}`] = hash(join(this.dir, "state", name));
    return snap;
  }

  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function hash(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function listFiles(root: string, rel = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, rel)).sort()) {
    const child = rel ? `${rel}/${name}` : name;
    if (statSync(join(root, child)).isDirectory()) out.push(...listFiles(root, child));
    else out.push(child);
  }
  return out;
}

/** The calls that change the host, in order. */
export function mutating(calls: string[]): string[] {
  return calls.filter((call) => MUTATING.test(call));
}

/** Asserts that each expected call appears, in this order (other calls may come between). */
export function inOrder(calls: string[], expected: (string | RegExp)[]): string | null {
  let at = 0;
  for (const want of expected) {
    const found = calls.findIndex((call, i) => i >= at && (typeof want === "string" ? call === want : want.test(call)));
    if (found < 0) return `missing (in order) after call #${at}: ${want}\ncalls:\n${calls.join("\n")}`;
    at = found + 1;
  }
  return null;
}

/**
 * Makes sandboxes for one describe block, `script` unless another text is given, and removes all
 * of them after the block.
 */
export function sandboxMaker(script?: string): (settings: Settings, text?: string) => Sandbox {
  const made: Sandbox[] = [];
  afterAll(() => made.forEach((sandbox) => sandbox.remove()));
  return (settings, text = script) => {
    if (text === undefined) throw new Error("sandboxMaker: no script to run");
    const sandbox = new Sandbox(text, settings);
    made.push(sandbox);
    return sandbox;
  };
}
