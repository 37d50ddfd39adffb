// Finding 1 of the break-it round: no write may land outside --out, also not for files that do not
// exist yet under a linked folder. A link that stays inside --out is followed; --out may itself be
// a link (the folder the user named is the root).
import { describe, expect, it } from "vitest";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, existsSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./support/cli.js";
import { FILES, run, tree } from "./support/write-tree.js";
import { planWrites } from "../src/write/plan-writes.js";
import { applyWrites } from "../src/write/apply-writes.js";
import { UserError } from "../src/errors.js";
import { renderFor } from "./support/render.js";

const ARGS = ["torch@1.9.0", "--name", "demo"];

/** Sets up `out` with the given links; `outside` is a folder outside it. */
type Setup = (out: string, outside: string) => void;

const escapes: [string, Setup, string][] = [
  ["host -> an existing folder outside", (out, outside) => symlinkSync(outside, join(out, "host")), "host"],
  [".devcontainer -> an existing folder outside", (out, outside) => symlinkSync(outside, join(out, ".devcontainer")), ".devcontainer"],
  ["host -> a relative path outside", (out, outside) => symlinkSync(join("..", outside.split("/").pop()!), join(out, "host")), "host"],
  ["host -> a folder outside that does not exist yet", (out, outside) => symlinkSync(join(outside, "later"), join(out, "host")), "host"],
  ["host -> /nonexistent (dangling)", (out) => symlinkSync("/nonexistent-cuda-scaffold-test", join(out, "host")), "host"],
  ["host -> a link inside that leads outside", (out, outside) => {
    symlinkSync(outside, join(out, "hop"));
    symlinkSync("hop", join(out, "host"));
  }, "host"],
  ["a link to the whole tree's parent", (out) => symlinkSync("..", join(out, ".devcontainer")), ".devcontainer"],
];

// On Linux the writer works in folders it opened (/proc/self/fd); CUDA_SCAFFOLD_PATHS_ONLY=1 is the
// fallback where that is not available, checking each path before each step.
const modes: [string, Record<string, string>][] = [["", {}], [" (by path only)", { CUDA_SCAFFOLD_PATHS_ONLY: "1" }]];

describe("writes never leave --out", () => {
  it.each(modes.flatMap(([mode, env]) => escapes.map(([name, setup, named]) => [`${name}${mode}`, setup, named, env] as const)))("refuses %s, exit 1, nothing written anywhere", (_name, setup, named, env) => {
    const parent = tempDir("cs-esc-");
    const out = join(parent, "out");
    const outside = join(parent, "outside");
    mkdirSync(out);
    mkdirSync(outside);
    setup(out, outside);
    const before = tree(parent);
    const r = run([...ARGS, "--out", out], env);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("error[unsafe-path]");
    expect(r.stderr).toContain(named);
    expect(r.stderr).toContain("hint:");
    expect(tree(parent)).toEqual(before);
  });

  it("check reports the file as unsafe without reading through the link (exit 2), and checks the rest", () => {
    const out = tempDir();
    const outside = tempDir();
    expect(run([...ARGS, "--out", out]).code).toBe(0);
    // The very file check expects, outside: read through the link it would pass as up to date.
    cpSync(join(out, "host", "bootstrap-oraclelinux.sh"), join(outside, "bootstrap-oraclelinux.sh"));
    rmSync(join(out, "host"), { recursive: true });
    symlinkSync(outside, join(out, "host"));
    const r = run(["check", "--out", out, "--json"]);
    expect(r.code, r.stderr).toBe(2);
    const files = (JSON.parse(r.stdout) as { files: { path: string; state: string; reason?: string }[] }).files;
    expect(files.find((f) => f.path === "host/bootstrap-oraclelinux.sh")).toMatchObject({ state: "unsafe", reason: expect.stringContaining("outside") });
    expect(files.find((f) => f.path === "Dockerfile")?.state).toBe("up to date");
  });

  it.each(modes)("follows a folder link that stays inside --out%s", (_mode, env) => {
    const out = tempDir();
    mkdirSync(join(out, "ops"));
    symlinkSync("ops", join(out, "host"));
    const r = run([...ARGS, "--out", out], env);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, "ops/bootstrap-oraclelinux.sh"))).toBe(true);
    expect(run(["check", "--out", out]).code).toBe(0);
  });

  it("accepts --out that is itself a link, and writes into the folder it names", () => {
    const real = tempDir();
    const link = join(tempDir(), "project");
    symlinkSync(real, link);
    const r = run([...ARGS, "--out", link]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of FILES) expect(existsSync(join(real, f)), f).toBe(true);
    expect(run(["check", "--out", link]).code).toBe(0);
  });

  it("checks again right before each rename: a folder swapped for a link after planning is refused and rolled back", () => {
    const out = tempDir();
    const outside = tempDir();
    expect(run([...ARGS, "--out", out]).code).toBe(0);
    const before = tree(out);
    const { files } = renderFor(["torch@1.9.0"], { python: "3.8", name: "demo" });
    const lock = JSON.parse(readFileSync(join(out, "cuda-scaffold.lock.json"), "utf8")) as { files: Record<string, string> };
    const changes = planWrites(out, files, lock.files);
    expect(changes.filter((c) => c.kind === "update")).toHaveLength(5);
    // Someone swaps host/ for a link between the plan and the apply.
    rmSync(join(out, "host"), { recursive: true });
    symlinkSync(outside, join(out, "host"));
    let error: unknown;
    try {
      applyWrites(changes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).problems[0]!.code).toBe("unsafe-path");
    expect(readdirSync(outside)).toEqual([]);
    const expected = Object.fromEntries(Object.entries(before).filter(([p]) => !p.startsWith("host")));
    expect(tree(out)).toEqual({ ...expected, host: "->link" });
  });
});
