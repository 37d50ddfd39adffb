// `npx cuda-scaffold` in a cloned research repository, end to end through the built bin: no spec and
// no lock reads the project in --out; --project for resolve, explain and the default command; a spec
// wins over the files and a lock over both; refusals write nothing; check reports a changed
// dependency file as drift.
import { describe, expect, it } from "vitest";
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { cli, tempDir } from "./support/cli.js";
import { ROOT } from "./support/shared.js";

function clone(slug: string): string {
  const dir = join(tempDir("cs-repo-"), slug);
  cpSync(join(ROOT, "fixtures/projects", slug), dir, { recursive: true });
  return dir;
}

const lockOf = (dir: string) => JSON.parse(readFileSync(join(dir, "cuda-scaffold.lock.json"), "utf8"));

describe("cuda-scaffold in a research repository", () => {
  it("with no arguments reads environment.yaml, keeps torch 1.11.0 + cu113 and Python 3.8, installs the rest after the framework", () => {
    const dir = clone("compvis-stable-diffusion");
    const r = cli(["--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("torch 1.11.0+cu113");
    expect(r.stdout).toContain("project .: read environment.yaml, setup.py");
    const dockerfile = readFileSync(join(dir, "Dockerfile"), "utf8");
    expect(dockerfile).toContain('COPY --chown=${USER_UID}:${USER_GID} <<"REQUIREMENTS" /tmp/project/requirements.txt\nnumpy==1.19.2\nalbumentations==0.4.3\n');
    expect(dockerfile).toContain("taming-transformers @ git+https://github.com/CompVis/taming-transformers.git@master\n");
    expect(dockerfile).toContain("#   pip install -e .");
    expect(dockerfile).toContain("Regenerate (in the project root): npx cuda-scaffold@0.1.0 --project . --name compvis-stable-diffusion");
    const lock = lockOf(dir);
    expect(lock.request.project.read.files.map((f: { path: string }) => f.path)).toEqual(["environment.yaml", "setup.py"]);
    expect(lock.request.project.read.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(lock.resolution.python).toBe("3.8");
    // A second run regenerates from the lock, which re-reads the project: nothing changes.
    const again = cli(["--out", dir]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Everything was up to date.");
    expect(cli(["check", "--out", dir]).code).toBe(0);
  });

  it("changes only the build a GPU forces, lists the change, and check reports an edited dependency file as drift", () => {
    const dir = clone("isl-org-dpt");
    const r = cli(["--out", dir, "--gpu", "a100"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("~ torch 1.8.1: cu102 (the default build) → cu111 because a100 needs sm_80");
    appendFileSync(join(dir, "requirements.txt"), "pillow\n");
    const check = cli(["check", "--out", dir]);
    expect(check.code).toBe(2);
    expect(check.stdout).toContain("requirements.txt changed since generation; re-run cuda-scaffold");
    expect(cli(["--out", dir]).code).toBe(0);
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toContain("\npillow\nREQUIREMENTS\n");
    expect(cli(["check", "--out", dir]).code).toBe(0);
  });

  it("refuses (exit 1, nothing written) when no build of the pinned version runs on the target, naming the nearest; --allow-upgrade takes it", () => {
    const dir = clone("kwea123-nerf-pl");
    const before = readdirSync(dir).sort();
    const r = cli(["--out", dir, "--gpu", "a100"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("The nearest PyTorch version that can: torch 1.7.0");
    expect(r.stderr).toContain("--allow-upgrade");
    expect(readdirSync(dir).sort()).toEqual(before);
    const up = cli(["--out", dir, "--gpu", "a100", "--allow-upgrade"]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain("~ torch 1.4.0 → 1.7.0 (--allow-upgrade)");
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toContain("--project . --allow-upgrade --gpu a100");
  });

  it("resolve --json and explain take --project with no spec and report the changes", () => {
    const dir = clone("compvis-taming-transformers");
    const r = cli(["resolve", "--project", dir, "--gpu", "a100", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.frameworks[0].packages[0]).toEqual({ name: "torch", version: "1.7.0+cu110" });
    expect(json.project.changes).toContain("torch 1.7.0: cu102 (cudatoolkit=10.2) → cu110 because a100 needs sm_80");
    expect(json.project.files.map((f: { path: string }) => f.path)).toEqual(["environment.yaml", "setup.py"]);
    const e = cli(["explain", "--project", dir, "--gpu", "a100"]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toContain("~ torch 1.7.0: cu102 (cudatoolkit=10.2) → cu110 because a100 needs sm_80");
    expect(readdirSync(dir)).not.toContain("Dockerfile");
  });

  it("a spec on the command line wins over the files; a lock wins over both", () => {
    const dir = clone("isl-org-dpt");
    const spec = cli(["torch@1.9.0", "--project", dir, "--out", dir]);
    expect(spec.code, spec.stderr).toBe(0);
    expect(spec.stdout).toContain("torch 1.9.0");
    expect(spec.stdout).toMatch(/`torch==1\.8\.1` \(requirements\.txt line 1\) → torch@1\.9\.0 from the command line/);
    const plain = clone("isl-org-dpt");
    expect(cli(["torch@2.1.2", "--out", plain]).code).toBe(0);
    const again = cli(["--out", plain]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Regenerating from cuda-scaffold.lock.json");
    expect(again.stdout).toContain("torch 2.1.2");
  });

  it("refuses an unparsable file, naming file and line, and a project with no framework, writing nothing", () => {
    const dir = join(tempDir("cs-repo-"), "bad");
    cpSync(join(ROOT, "fixtures/projects/isl-org-dpt"), dir, { recursive: true });
    writeFileSync(join(dir, "requirements.txt"), "torch==1.8.1\ntimm=0.4.5\n");
    const r = cli(["--out", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("requirements.txt line 2: `timm=0.4.5` is not a requirement pip can read.");
    expect(existsSync(join(dir, "Dockerfile"))).toBe(false);
    const none = clone("openai-gpt-2");
    const n = cli(["--out", none]);
    expect(n.code).toBe(1);
    expect(n.stderr).toContain("No framework found in the project");
    expect(n.stderr).toContain("looked there for torch (pytorch), tensorflow (tensorflow-gpu), jax (jaxlib) and paddlepaddle-gpu");
    expect(existsSync(join(none, "Dockerfile"))).toBe(false);
    const withSpec = cli(["tensorflow@1.15", "--project", none, "--out", none]);
    expect(withSpec.code, withSpec.stderr).toBe(0);
    expect(readFileSync(join(none, "Dockerfile"), "utf8")).toContain("\nregex==2017.4.5\n");
  });
});
