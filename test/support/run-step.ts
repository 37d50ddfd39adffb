// Runs one generated RUN step's shell against a fake image: its /etc/apt, /etc/yum.repos.d and CA
// file in a temporary folder (left for the test to read; the run's temporary folder, and so this
// one, is removed when the run ends). apt-get update records the sources it would read; installing
// ca-certificates lays down the CA file. `root` is the fake image's root, for tools run after it.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function runStep(shell: string, files: Record<string, string>, env: Record<string, string>, opts: { ca?: boolean } = {}) {
  const root = mkdtempSync(join(tmpdir(), "cs-step-"));
  const bin = join(root, "bin");
  mkdirSync(bin);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  if (opts.ca) {
    mkdirSync(join(root, "etc/ssl/certs"), { recursive: true });
    writeFileSync(join(root, "etc/ssl/certs/ca-certificates.crt"), "ca");
  }
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  stub("apt-get", `case "$1" in update) cat ${root}/etc/apt/sources.list ${root}/etc/apt/sources.list.d/* 2>/dev/null >> ${root}/seen-by-update ;; install) case " $* " in *" ca-certificates "*) mkdir -p ${root}/etc/ssl/certs && echo ca > ${root}/etc/ssl/certs/ca-certificates.crt ;; esac ;; esac\nexit 0`);
  stub("dnf", "exit 0");
  stub("dpkg", "exit 1");
  stub("dpkg-query", "exit 1");
  const script = shell
    .replace(/rm -rf \/var\/lib\/apt\/lists\/\*/, "true")
    .replaceAll("/etc/apt", `${root}/etc/apt`)
    .replaceAll("/etc/yum.repos.d", `${root}/etc/yum.repos.d`)
    .replaceAll("/etc/ssl/certs", `${root}/etc/ssl/certs`);
  const r = spawnSync("sh", ["-c", script], { encoding: "utf8", env: { PATH: `${bin}:/usr/bin:/bin`, ...env } });
  const read = (path: string) => {
    try {
      return readFileSync(join(root, path), "utf8");
    } catch {
      return "";
    }
  };
  return { code: r.status, stderr: r.stderr, read, seen: read("seen-by-update"), root };
}
