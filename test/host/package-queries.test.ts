// The host script's package queries (templates/host/steps/34-packages.sh) against the real rpm
// (Debian's rpm 4.18, with a database of its own): missing_packages and installed_packages ask
// rpm once for a whole list, reading its "package NAME is not installed" lines and its exit
// status (how many); when that status disagrees (rpm could not read its database), they ask one by
// one, so nothing is taken as installed on rpm's say-so alone.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./view.js";
import { tempDir } from "../support/cli.js";

const STEP = readFileSync(join(repoRoot, "templates/host/steps/34-packages.sh"), "utf8");
const hasRpm = spawnSync("rpmbuild", ["--version"]).status === 0 && spawnSync("rpm", ["--version"]).status === 0;
if (!hasRpm) console.warn("[test/host] package queries skipped: rpm and rpmbuild not installed (apt-get install -y rpm)");

/** Builds an empty noarch package NAME-VERSION-1 and records it in the database at `db`. */
function install(top: string, db: string, name: string, version: string) {
  mkdirSync(join(top, "SPECS"), { recursive: true });
  const spec = join(top, "SPECS", `${name}-${version}.spec`);
  writeFileSync(spec, `Name: ${name}\nVersion: ${version}\nRelease: 1\nSummary: test\nLicense: MIT\nBuildArch: noarch\n%description\ntest\n%files\n`);
  const built = spawnSync("rpmbuild", ["--define", `_topdir ${top}`, "-bb", spec], { encoding: "utf8" });
  expect(built.status, built.stderr).toBe(0);
  const rpm = join(top, "RPMS/noarch", `${name}-${version}-1.noarch.rpm`);
  const r = spawnSync("rpm", ["-i", "--justdb", "--nodeps", "--dbpath", db, rpm], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
}

describe.skipIf(!hasRpm)("package queries against the real rpm", () => {
  let dir = "";
  let bin = "";
  let db = "";
  beforeAll(() => {
    dir = tempDir("cs-rpm-");
    db = join(dir, "db");
    bin = join(dir, "bin");
    mkdirSync(bin);
    expect(spawnSync("rpm", ["--initdb", "--dbpath", db]).status).toBe(0);
    install(join(dir, "build"), db, "podman", "4.9.4");
    install(join(dir, "build"), db, "kernel-uek-devel", "5.15.0");
    install(join(dir, "build"), db, "kernel-uek-devel", "6.12.0");
  });

  /** Runs `call` after the step, with an `rpm` on PATH that logs each call and reads this test's database, or fails as `broken` says. */
  function query(call: string, broken = false) {
    const log = join(dir, "calls.log");
    writeFileSync(log, "");
    const real = spawnSync("sh", ["-c", "command -v rpm"], { encoding: "utf8" }).stdout.trim();
    writeFileSync(
      join(bin, "rpm"),
      `#!/bin/sh\necho "rpm $*" >>'${log}'\n${broken ? `echo "error: cannot open Packages database in ${db}" >&2; exit 1` : `exec '${real}' --dbpath '${db}' "$@"`}\n`,
    );
    chmodSync(join(bin, "rpm"), 0o755);
    const r = spawnSync("bash", ["-c", `set -Eeuo pipefail\n${STEP}\n${call}`], { encoding: "utf8", env: { PATH: `${bin}:/usr/bin:/bin`, LANG: "zh_CN.UTF-8" } });
    return { code: r.status, out: r.stdout, err: r.stderr, calls: readFileSync(log, "utf8").split("\n").filter(Boolean) };
  }

  it.each([
    ["a list with some installed", "missing_packages podman runc buildah", ["runc", "buildah"]],
    ["the same list, installed ones", "installed_packages podman runc buildah", ["podman"]],
    ["name-version-release.arch of an installed kernel's headers", "missing_packages kernel-uek-devel-6.12.0-1.noarch kernel-uek-devel-6.11.0-1.noarch", ["kernel-uek-devel-6.11.0-1.noarch"]],
    ["a name with two versions installed (two lines from rpm)", "installed_packages kernel-uek-devel docker-ce", ["kernel-uek-devel"]],
    ["nothing missing", "missing_packages podman kernel-uek-devel", []],
    ["nothing installed", "installed_packages runc buildah", []],
  ])("%s: one rpm call", (_name, call, want) => {
    const r = query(call);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split("\n").filter(Boolean)).toEqual(want);
    expect(r.calls).toHaveLength(1);
  });

  it("an rpm that cannot read its database: each package is asked on its own, and none is taken as installed", () => {
    const missing = query("missing_packages podman runc", true);
    expect(missing.code, missing.err).toBe(0);
    expect(missing.out.split("\n").filter(Boolean)).toEqual(["podman", "runc"]);
    expect(missing.calls).toEqual(["rpm -q podman runc", "rpm -q podman", "rpm -q runc"]);
    const installed = query("installed_packages podman runc", true);
    expect(installed.out).toBe("");
  });

  it("an empty list asks nothing", () => {
    const r = query("missing_packages; installed_packages");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe("");
    expect(r.calls).toEqual([]);
  });
});
