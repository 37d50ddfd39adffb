// Hostile and malformed input: clear refusals with exit 1, nothing written, and no value can add
// a line or an instruction to any artifact.
import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { parse as parseJsonc, type ParseError } from "jsonc-parser";
import { DockerfileParser } from "dockerfile-ast";
import { UserError } from "../src/errors.js";
import { cli, tempDir } from "./support/cli.js";
import { renderFor } from "./support/render.js";
import type { RawRequest } from "../src/request/parse-request.js";
import type { GeneratedFile } from "../src/render/render-files.js";

const LONG = "9".repeat(5000);

// [args, expected text on stderr]
const refusals: [string[], string][] = [
  [["pytroch@1.9.0"], "did you mean `torch`"],
  [["tensorflw@2.5.0"], "did you mean `tensorflow`"],
  [["toch"], "did you mean `torch`"],
  [["numpy@1.0"], "Unknown framework"],
  [["torch@9.9.9"], "no GPU release matching 9.9.9"],
  [["torch@1.9.7"], "no GPU release matching 1.9.7"],
  [["torch@^"], "is not a version or range"],
  [["torch@>=2.0 <"], "is not a version or range"],
  [["torch@1..9"], "is not a version or range"],
  [["torch@latest"], "is not a version or range"],
  [[`torch@${LONG}`], "is not a version or range"],
  [["torch@1.9.0;rm -rf /"], "is not a version or range"],
  [["torch@$(reboot)"], "is not a version or range"],
  [["torch@1.9.0\nRUN evil"], "is not a version or range"],
  [["cuda"], "needs a version"],
  [["cuda@99"], "No CUDA toolkit matches"],
  [["torch@1.9.0", "torch@1.10.0"], "asked for twice"],
  [["cuda@12.4", "torch"], "cannot be combined"],
  [["torch@1.9.0", "--python", "3"], "is not a Python version"],
  [["torch@1.9.0", "--python", "3.9; id"], "is not a Python version"],
  [["torch@1.9.0", "--python", "2.7"], "no Python 2.7 wheels"],
  [["torch@1.9.0", "--cuda", "eleven"], "is not a version or range"],
  [["torch@1.9.0", "--cuda", "12.4"], "outside --cuda 12.4"],
  [["torch@1.9.0", "--gpu", "a1000"], "Unknown GPU"],
  [["torch@1.9.0", "--gpu", "a100`id`"], "is not a GPU name"],
  [["torch@1.9.0", "--gpu", "h100"], "no kernels for h100"],
  [["torch@1.9.0", "--driver", "latest"], "is not an NVIDIA driver version"],
  [["torch@1.9.0", "--driver", "418.39"], "needs driver"],
  [["torch@1.9.0", "--driver", "470.57.02\n"], "is not an NVIDIA driver version"],
  [["torch@1.9.0", "--os", "ubuntu99.04"], "is not a container OS"],
  [["torch@1.9.0", "--os", "../../etc"], "is not a container OS"],
  [["torch@1.9.0", "--variant", "tiny"], "Allowed choices are devel, runtime, base"],
  [["torch@1.9.0", "--name", "My Project"], "is not a valid project name"],
  [["torch@1.9.0", "--name", "x\ny"], "is not a valid project name"],
  [["torch@1.9.0", "--name", "a".repeat(200)], "is not a valid project name"],
  [["torch@1.9.0", "--name", "$(id)"], "is not a valid project name"],
  [["torch@1.9.0", "--gpus", "0;reboot"], "is not a GPU selection"],
  [["torch@1.9.0", "--gpus", "-1"], "is not a GPU selection"],
  [["torch@1.9.0", "--frobnicate"], "unknown option"],
  [["tensorflow@2.5.0", "--variant", "base"], "--variant base carries no CUDA libraries"],
];

describe("malformed and hostile requests are refused", () => {
  it("the table has at least 30 rows", () => expect(refusals.length).toBeGreaterThanOrEqual(30));
  it.each(refusals)("%j", (args, text) => {
    const dir = tempDir();
    const r = cli([...args, "--out", dir]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(text);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(r.stdout).toBe("");
    expect(readdirSync(dir)).toEqual([]);
  });
});

function bashParses(text: string): boolean {
  return spawnSync("bash", ["-n"], { input: text }).status === 0;
}

function instructions(text: string): string[] {
  return DockerfileParser.parse(text).getInstructions().map((i) => i.getKeyword());
}

// The GPU selection decides which keys the Dev Container file has (one GPU request, D10), so each
// kind of --gpus value is compared with a baseline of its own kind.
const baselines = new Map(["all", "none", "2", "0,1"].map((g) => [g, renderFor(["torch@1.9.0"], { gpus: g }).files]));
const kindOf = (gpus: string) => (gpus === "all" || gpus === "none" ? gpus : /^[1-9][0-9]*$/.test(gpus) ? "2" : "0,1");

function checkFiles(files: GeneratedFile[], gpus = "all"): void {
  const baseline = baselines.get(kindOf(gpus))!;
  for (const f of files) {
    const base = baseline.find((b) => b.path === f.path)!;
    expect(f.content.split("\n").length, `${f.path}: no added lines`).toBe(base.content.split("\n").length);
  }
  const get = (p: string) => files.find((f) => f.path === p)!.content;
  expect(() => parseYaml(get("docker-compose.yml"))).not.toThrow();
  const errors: ParseError[] = [];
  parseJsonc(get(".devcontainer/devcontainer.json"), errors);
  expect(errors).toEqual([]);
  expect(() => JSON.parse(get("cuda-scaffold.lock.json"))).not.toThrow();
  expect(instructions(get("Dockerfile"))).toEqual(instructions(baseline.find((b) => b.path === "Dockerfile")!.content));
  expect(bashParses(get("host/bootstrap-oraclelinux.sh"))).toBe(true);
}

const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.constantFrom("1", "9", ".", "0", "^", "~", ">", "<", "=", " ", "|", "'", '"', "$", "`", "\n", "\r", ";", "&", "\\", "{", "}", "#", "x", "-", "_", "a", "\u2028", "\u0000"), maxLength: 24 }),
);

function property(field: keyof RawRequest | "range"): void {
  fc.assert(
    fc.property(nasty, (value) => {
      const opts: Partial<RawRequest> = field === "range" ? {} : { [field]: value };
      const specs = field === "range" ? [`torch@${value}`] : ["torch@1.9.0"];
      let files: GeneratedFile[];
      let gpus = "all";
      try {
        const rendered = renderFor(specs, opts);
        files = rendered.files;
        gpus = rendered.res.request.gpus;
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        for (const p of err.problems) expect(p.message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u2028]/);
        return;
      }
      checkFiles(files, gpus);
    }),
    { numRuns: 60, seed: 42 },
  );
}

describe("no value can add a line or an instruction (property-based)", () => {
  it.each(["name", "python", "cuda", "gpu", "driver", "os", "variant", "gpus", "range"] as const)("%s", (field) => {
    property(field);
  });
});
