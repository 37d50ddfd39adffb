// Review D8/D9: a Dev Container on a host whose UID is not the image's must still install
// packages and use the package cache. The Dev Containers CLI re-owns only the home folder when it
// gives the user the host's UID (its scripts/updateUID.Dockerfile), so the image's own setup must
// make that enough. Runs the generated user setup and the CLI's own script with the real tools in
// a sandbox (test/support/uid-sync.sh); a negative control runs round 1's setup, which failed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { file, renderFor } from "./support/render.js";

const CLI_SCRIPT = "node_modules/@devcontainers/cli/scripts/updateUID.Dockerfile";
const canSandbox = process.getuid?.() === 0 && spawnSync("unshare", ["-m", "true"]).status === 0 && existsSync(CLI_SCRIPT);
if (!canSandbox) console.warn("uid-sync: skipped (needs root, unshare and @devcontainers/cli installed)");

/** The shell of the first RUN instruction whose text contains `marker` (continuation lines joined). */
function runScript(dockerfile: string, marker: string): string {
  const lines = dockerfile.split("\n");
  const start = lines.findIndex((l) => l.startsWith("RUN ") && lines.slice(lines.indexOf(l)).join("\n").indexOf(marker) >= 0 && l.includes(marker.slice(0, 8)));
  const body: string[] = [];
  for (let i = start; i < lines.length; i++) {
    body.push(i === start ? lines[i]!.slice(4) : lines[i]!);
    if (!lines[i]!.endsWith("\\")) break;
  }
  return body.join("\n");
}

function run(setup: string, umask: string): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "uid-sync-"));
  const setupFile = join(dir, "setup.sh");
  writeFileSync(setupFile, setup);
  const update = runScript(readFileSync(CLI_SCRIPT, "utf8"), "eval $(sed");
  const r = spawnSync("bash", ["test/support/uid-sync.sh", setupFile, umask, update], { encoding: "utf8" });
  return { code: r.status, out: r.stdout + r.stderr };
}

// Round 1's user setup, as it was generated (the defect the review found).
const ROUND1_SETUP = `if getent passwd "\${USER_UID}" >/dev/null; then userdel -r "$(getent passwd "\${USER_UID}" | cut -d: -f1)"; fi \\
 && if ! getent group "\${USER_GID}" >/dev/null; then groupadd --gid "\${USER_GID}" "\${USERNAME}"; fi \\
 && useradd --uid "\${USER_UID}" --gid "\${USER_GID}" --create-home --shell /bin/bash "\${USERNAME}" \\
 && install -d -o "\${USER_UID}" -g "\${USER_GID}" /opt/venv /opt/python /workspace`;

describe.skipIf(!canSandbox)("a host UID other than the image's (Dev Containers CLI UID sync)", () => {
  it.each([["torch@2.5.1"], ["tensorflow@1.15"], ["cuda@12.4 --os ubi9"]])("%s: the remapped user installs packages and writes the cache", (spec) => {
    const [fw, ...rest] = spec.split(" ");
    const docker = file(renderFor([fw!], rest.length ? { os: rest[1] } : {}).files, "Dockerfile");
    const setup = runScript(docker, "existing=");
    expect(setup).toContain("useradd");
    // Every step that writes the environment does it with a group-writable umask.
    for (const m of docker.matchAll(/^RUN --mount=type=cache,target=\/tmp\/(?:uv|pip)-cache[^\n]*\n([^\n]*)/gm)) expect(`${m[1]}`.trim()).toBe("umask 0002 \\");
    const r = run(setup, "0002");
    expect(r.out).toContain("ok   dev is now 5151:5151");
    expect(r.out).toContain("ok   the host user installs into /opt/venv");
    expect(r.out).toContain("ok   the host user writes the package cache");
    expect(r.code, r.out).toBe(0);
  });

  it("negative control: round 1's setup leaves the environment unwritable for the remapped user", () => {
    const r = run(ROUND1_SETUP, "0022");
    expect(r.out).toContain("FAIL the host user cannot install into /opt/venv");
    expect(r.code).toBe(1);
  });
});
