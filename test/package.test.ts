// The published package: one bundle, no runtime dependencies, installable from its tarball
// without network, and `npx cuda-scaffold torch@1.9.0` works from it.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./support/shared.js";
import { tempDir } from "./support/cli.js";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

describe("the package", () => {
  it("has no runtime dependencies and declares bin, files and engines", () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.bin["cuda-scaffold"]).toBe("bin/cuda-scaffold.cjs");
    expect(pkg.engines.node).toMatch(/>=\s*20/);
    expect(pkg.files).toEqual(expect.arrayContaining(["bin/", "dist/", "THIRD-PARTY-LICENSES.txt"]));
    expect(readFileSync(join(ROOT, "THIRD-PARTY-LICENSES.txt"), "utf8")).toMatch(/handlebars@/);
  });

  it("installs from its tarball offline and runs", () => {
    const work = tempDir("cs-pack-");
    const packed = spawnSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: ROOT, encoding: "utf8" });
    expect(packed.status, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout) as { filename: string; unpackedSize: number; files: { path: string }[] }[];
    expect(info!.files.some((f) => f.path.startsWith("src/"))).toBe(false);
    const project = join(work, "project");
    spawnSync("mkdir", ["-p", project]);
    writeFileSync(join(project, "package.json"), '{ "name": "demo-project", "private": true }\n');
    const install = spawnSync("npm", ["install", "--offline", "--no-audit", "--no-fund", join(work, info!.filename)], { cwd: project, encoding: "utf8" });
    expect(install.status, install.stderr).toBe(0);
    const run = spawnSync("npx", ["--offline", "cuda-scaffold", "torch@1.9.0"], { cwd: project, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(project, "Dockerfile"))).toBe(true);
    expect(existsSync(join(project, "host/bootstrap-oraclelinux.sh"))).toBe(true);
  }, 60_000);
});
