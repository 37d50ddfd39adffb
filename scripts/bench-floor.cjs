// The floor under a render and a check: the file work they cannot avoid, done by the shortest
// script that does it, so that `npm run bench` can say how far the CLI is above it.
//   node scripts/bench-floor.cjs render PROJECT OUT   reads PROJECT's generated files, hashes each
//     (SHA-256, node:crypto) and writes them into OUT the way a render commits: a temp file per
//     file, fsync, rename, the lock file last, then fsync of each folder written to (9 fsyncs for
//     the five files, as a render of torch@1.9.0 makes).
//   node scripts/bench-floor.cjs check PROJECT          reads the lock and every file it lists, and
//     compares each file's SHA-256 with the lock's.
// It knows nothing of stacks, templates or the data: what is left between it and the CLI is the
// CLI's own work (loading its code, resolving, rendering, its safety checks).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createHash } = require("node:crypto");

const LOCK = "cuda-scaffold.lock.json";
const [mode, project, out] = process.argv.slice(2);
const lock = JSON.parse(fs.readFileSync(path.join(project, LOCK), "utf8"));
const names = Object.keys(lock.files);
const sha = (data) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

if (mode === "check") {
  for (const name of names) if (sha(fs.readFileSync(path.join(project, name))) !== lock.files[name]) process.exit(1);
} else if (mode === "render") {
  const folders = new Set();
  const commit = (name, data) => {
    const target = path.join(out, name);
    const dir = path.dirname(target);
    if (!folders.has(dir)) fs.mkdirSync(dir, { recursive: true });
    folders.add(dir);
    const temp = path.join(dir, `.${path.basename(name)}.${process.pid}.tmp`);
    const fd = fs.openSync(temp, "wx", 0o644);
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(temp, target);
  };
  for (const name of names) {
    const data = fs.readFileSync(path.join(project, name));
    sha(data);
    commit(name, data);
  }
  for (const dir of folders) {
    const fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  }
  commit(LOCK, fs.readFileSync(path.join(project, LOCK)));
  const fd = fs.openSync(out, "r");
  fs.fsyncSync(fd);
  fs.closeSync(fd);
} else {
  process.stderr.write("usage: bench-floor.cjs render PROJECT OUT | check PROJECT\n");
  process.exit(2);
}
