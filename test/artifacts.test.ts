// Golden files for every rendered artifact, and validation of every golden case and a sweep of
// stacks against the official schemas, the Dockerfile linter and shellcheck.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { matrix } from "../src/matrix/data.js";
import { UserError } from "../src/errors.js";
import { file, renderFor } from "./support/render.js";
import { goldenCases, sweepCases, type Case } from "./support/cases.js";
import { hasShared } from "./support/shared.js";
import { composeProblems, devcontainerProblems, dockerfileProblems, hasShellcheck, shellcheckProblems } from "./support/validators.js";

describe.each(goldenCases())("golden $name", ({ name, specs, opts }) => {
  const { files } = renderFor(specs, opts);
  it.each(files.map((f) => [f.path, f.content]))("%s", async (path, content) => {
    await expect(content).toMatchFileSnapshot(`../fixtures/golden/${name}/${path}`);
  });
});

function rendered(c: Case) {
  try {
    return renderFor(c.specs, c.opts).files;
  } catch (err) {
    if (err instanceof UserError) return null;
    throw err;
  }
}

const all = [...goldenCases(), ...sweepCases()].map((c) => ({ ...c, files: rendered(c) })).filter((c) => c.files !== null);

describe("validation", () => {
  it("covers at least 20 distinct stacks", () => {
    expect(new Set(all.map((c) => file(c.files!, "Dockerfile"))).size).toBeGreaterThanOrEqual(20);
  });

  describe.each(all)("$name", ({ files }) => {
    it("Dockerfile lints clean, keeps # syntax= first and never names a deleted tag", () => {
      const text = file(files!, "Dockerfile");
      expect(text.split("\n")[0]).toMatch(/^# syntax=docker\/dockerfile:/);
      expect(dockerfileProblems(text)).toEqual([]);
      for (const from of text.matchAll(/^FROM (\S+)/gm)) {
        // Docker Hub images are named under the DOCKER_HUB build argument (a mirror can replace it).
        const ref = from[1]!.replace(/^\$\{DOCKER_HUB:-[^}]+\}\/(library\/)?/, "");
        if (!ref.startsWith("nvidia/cuda:")) continue;
        const tag = ref.slice("nvidia/cuda:".length);
        const row = matrix.images.images.find((i) => tag.startsWith(`${i.cuda}-`) && tag.endsWith(`-${i.os}`));
        expect(row, `${ref} is in the image data`).toBeDefined();
        expect(row!.status, `${ref} is not deleted`).not.toBe("deleted");
      }
    });

    it("the Dockerfile's comments fit in 100 columns, but for a copyable command or a URL", () => {
      const long = file(files!, "Dockerfile")
        .split("\n")
        .filter((l) => l.startsWith("# ") && l.length > 100 && !l.startsWith("# Regenerate (in the project root): ") && !l.split(" ").some((w) => w.length > 60));
      expect(long).toEqual([]);
    });

    it.skipIf(!hasShared)("docker-compose.yml validates against the Compose Specification", () => {
      expect(composeProblems(file(files!, "docker-compose.yml"))).toEqual([]);
    });

    it.skipIf(!hasShared)("devcontainer.json validates against the Dev Container schema", () => {
      expect(devcontainerProblems(file(files!, ".devcontainer/devcontainer.json"))).toEqual([]);
    });

    it("the host script keeps its shebang first and parses", () => {
      const text = file(files!, "host/bootstrap-oraclelinux.sh");
      expect(text.split("\n")[0]).toBe("#!/usr/bin/env bash");
      expect(spawnSync("bash", ["-n"], { input: text }).status).toBe(0);
    });
  });

  // The GPU check runs inside images with Python 3.5 and later: it must parse with 3.5's grammar.
  // One Python parses every case's script (a Python start per case cost about 3 s).
  it.skipIf(spawnSync("python3", ["--version"]).status !== 0)("the baked-in gpu-check parses as Python 3.5 for every golden case", () => {
    const scripts: Record<string, string> = {};
    for (const c of goldenCases()) {
      const docker = file(renderFor(c.specs, c.opts).files, "Dockerfile");
      const script = /<<"GPU_CHECK" \/usr\/local\/bin\/gpu-check\n([\s\S]*?)\nGPU_CHECK\n/.exec(docker)?.[1];
      expect(script, c.name).toBeDefined();
      scripts[c.name] = script!;
    }
    const parse = "import ast, json, sys\nfor name, text in json.load(sys.stdin).items():\n    try:\n        ast.parse(text, feature_version=(3, 5))\n    except SyntaxError as e:\n        print(name, e)";
    const r = spawnSync("python3", ["-c", parse], { input: JSON.stringify(scripts), encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toBe("");
    expect(Object.keys(scripts).length).toBeGreaterThan(10);
  });

  // The script differs between stacks only in its header and the single-quoted values at its
  // top (the property tests prove no value can break out of its quotes), so shellcheck, at about
  // a second a file, runs on three golden cases of different frameworks and OS families.
  it.skipIf(!hasShellcheck)("the host script is shellcheck clean", () => {
    const dir = mkdtempSync(join(tmpdir(), "cs-sc-"));
    const picked = goldenCases().filter((c) => ["torch-1.9.0", "tensorflow-2.5", "cuda-12.4-ubi9-devel"].includes(c.name));
    expect(picked).toHaveLength(3);
    const paths = picked.map((c, i) => {
      const path = join(dir, `${i}-${c.name}.sh`);
      writeFileSync(path, file(renderFor(c.specs, c.opts).files, "host/bootstrap-oraclelinux.sh"));
      return path;
    });
    expect(shellcheckProblems(paths)).toEqual([]);
  });
});
