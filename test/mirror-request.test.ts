// --mirror <preset|file> as a request: presets from the data, mirror files with their shape checked
// line by line (and the JSON Schema in step with those checks), and every refusal an exit 1 that
// writes nothing.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import { parse as parseYaml } from "yaml";
import { matrix } from "../src/matrix/data.js";
import { UserError, type Problem } from "../src/errors.js";
import { parseMirror } from "../src/mirrors/parse-mirror.js";
import { readMirrorArg } from "../src/mirrors/read-mirror-arg.js";
import type { RawMirror } from "../src/mirrors/types.js";
import { cli, tempDir } from "./support/cli.js";
import { request } from "./support/render.js";
import { ROOT } from "./support/shared.js";

const schemaDir = join(ROOT, "matrix/schema");
const ajv = new Ajv({ allErrors: true, strict: true });
for (const f of readdirSync(schemaDir)) ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, f), "utf8")));
const validateFile = ajv.getSchema("mirror-file.schema.json")!;

function parsed(text: string, allowInsecure = false): { choice?: ReturnType<typeof parseMirror>; problems: Problem[] } {
  const problems: Problem[] = [];
  const choice = parseMirror({ kind: "file", path: "mirrors.yaml", text }, allowInsecure, matrix, problems);
  return { choice, problems };
}

/** The README's mirror-file examples: indented code blocks whose first line is a `# mirrors.yaml` comment. */
export function readmeMirrorFiles(readme: string): string[] {
  const blocks: string[] = [];
  const lines = readme.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^ {4}# mirrors\.yaml/.test(lines[i]!)) continue;
    const block: string[] = [];
    for (let j = i; j < lines.length && /^( {4}|$)/.test(lines[j]!) && !(lines[j] === "" && !/^ {4}/.test(lines[j + 1] ?? "")); j++) block.push(lines[j]!.slice(4));
    blocks.push(`${block.join("\n").trimEnd()}\n`);
  }
  return blocks;
}

describe("presets", () => {
  it("--mirror cn resolves to the data's mirrors and is recorded in the request", () => {
    const req = request(["torch@2.5.1"], { mirror: { kind: "preset", name: "cn" } });
    const cn = matrix.mirrors.presets.cn!;
    expect(req.mirror).toMatchObject({ kind: "preset", source: "cn", uv: cn.uv, allowInsecure: false });
    for (const [id, entry] of Object.entries(cn.mirrors)) {
      if ("url" in entry) expect((req.mirror!.endpoints as Record<string, string>)[id]).toBe(entry.url);
      else expect(req.mirror!.endpoints).not.toHaveProperty(id);
    }
  });

  it("a request without --mirror has no mirror field, so its lock is unchanged", () => {
    expect(request(["torch@2.5.1"])).not.toHaveProperty("mirror");
  });

  it("an unknown preset is refused, listing the known ones", () => {
    let err: unknown;
    try {
      request(["torch@2.5.1"], { mirror: { kind: "preset", name: "china" } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const p = (err as UserError).problems[0]!;
    expect(p.message).toBe('--mirror "china" is not a mirror preset.');
    expect(p.alternatives).toEqual(Object.keys(matrix.mirrors.presets));
    expect(p.hint).toContain("Known presets: cn.");
  });

  it("a preset-like value is a preset, a path is a file", () => {
    expect(readMirrorArg("cn")).toEqual({ kind: "preset", name: "cn" });
    const r = readMirrorArg("./no-such-mirrors.yaml") as Extract<RawMirror, { kind: "unreadable" }>;
    expect(r.kind).toBe("unreadable");
    expect(r.reason).toContain("no such file");
  });
});

describe("mirror files", () => {
  it("the README's examples are valid by the schema and by the checks, and mean what they say", () => {
    const examples = readmeMirrorFiles(readFileSync(join(ROOT, "README.md"), "utf8"));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const text of examples) {
      expect(validateFile(parseYaml(text)), JSON.stringify(validateFile.errors)).toBe(true);
      const { choice, problems } = parsed(text);
      expect(problems).toEqual([]);
      expect(choice!.kind).toBe("file");
    }
    const first = parsed(examples[0]!).choice!;
    expect(first.endpoints.pypi).toBe("https://nexus.example.com/repository/pypi/simple");
    expect(first.endpoints.ubuntu).toBe((matrix.mirrors.presets.cn!.mirrors.ubuntu as { url: string }).url); // from extends: cn
    expect(first.uv).toBe("image");
    expect(parsed(examples[1]!).choice!.dockerfileFrontend).toBe("builtin");
  });

  it("`public` keeps an endpoint's public host over the preset it extends", () => {
    const { choice } = parsed("extends: cn\nendpoints:\n  pypi: public\n");
    expect(choice!.endpoints).not.toHaveProperty("pypi");
    expect(choice!.endpoints["docker-hub"]).toBe("docker.m.daocloud.io");
  });

  // Each bad file: the problem line the runtime names, and whether the JSON Schema refuses it too.
  it.each([
    ["YAML syntax", "endpoints:\n  pypi: [unclosed\n", "mirrors.yaml:3: not valid YAML", true],
    ["a key given twice", "endpoints:\n  pypi: https://a.test/simple\n  pypi: https://b.test/simple\n", "mirrors.yaml:3: not valid YAML: Map keys must be unique", false],
    ["an unknown key", "endpoints:\n  pypi: https://m.test/simple\nmirror: cn\n", 'mirrors.yaml:3: unknown key "mirror"', true],
    ["an unknown endpoint", "endpoints:\n  pypi: https://m.test/simple\n  npm: https://m.test/npm\n", 'mirrors.yaml:3: unknown endpoint "npm"', true],
    ["an http URL", "endpoints:\n  pypi: http://m.test/simple\n", "mirrors.yaml:2: pypi: \"http://m.test/simple\" is http://, not https://; pass --allow-insecure-mirror", false],
    ["another scheme", "endpoints:\n  pypi: ftp://m.test/simple\n", 'mirrors.yaml:2: pypi: "ftp://m.test/simple" is not an https:// URL', true],
    ["a URL with shell in it", "endpoints:\n  pypi: \"https://m.test/$(id)\"\n", "is not a plain https:// URL", true],
    ["a registry given as a URL", "endpoints:\n  docker-hub: https://harbor.test/hub\n", "mirrors.yaml:2: docker-hub: \"https://harbor.test/hub\" is a URL; a registry mirror is written as host[:port][/path]", false],
    ["an unknown preset to extend", "extends: china\n", 'mirrors.yaml:1: extends: "china" is not a preset; the presets are cn', false],
    ["a bad uv", "uv: binary\n", "mirrors.yaml:1: uv must be image", true],
    ["registry mirrors as a string", "registry-mirrors: https://hub.test\n", "mirrors.yaml:1: registry-mirrors must be a list", true],
    ["a frontend without a tag", "dockerfile-frontend: harbor.test/docker/dockerfile\n", "mirrors.yaml:1: dockerfile-frontend", false],
    ["not a mapping", "- pypi\n", "mirrors.yaml:1: must be a mapping", true],
    ["an empty file", "", "mirrors.yaml:1: is empty", false],
  ])("refuses %s, naming the line", (_what, text, message, schemaRefuses) => {
    const { choice, problems } = parsed(text);
    expect(choice).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain("The mirror file mirrors.yaml is malformed:");
    expect(problems[0]!.message).toContain(message);
    if (schemaRefuses) {
      let data: unknown;
      try {
        data = parseYaml(text);
      } catch {
        return; // not YAML: nothing for the schema to see
      }
      expect(validateFile(data)).toBe(false);
    }
  });

  it("http:// is accepted with --allow-insecure-mirror, and recorded", () => {
    const { choice, problems } = parsed("endpoints:\n  pypi: http://nexus.corp.test:8081/repository/pypi/simple/\n", true);
    expect(problems).toEqual([]);
    expect(choice!.endpoints.pypi).toBe("http://nexus.corp.test:8081/repository/pypi/simple");
    expect(choice!.allowInsecure).toBe(true);
  });

  it("every problem in a file is reported at once", () => {
    const { problems } = parsed("endpoints:\n  pypi: http://a.test/simple\n  npm: x\nuv: nope\n");
    expect(problems[0]!.message.split("\n").filter((l) => l.includes("mirrors.yaml:"))).toHaveLength(3);
  });
});

describe("the CLI: refusals exit 1 and write nothing", () => {
  const run = (args: string[]) => {
    const dir = tempDir("cs-mirror-");
    const r = cli([...args, "--out", dir]);
    return { ...r, written: readdirSync(dir) };
  };

  it("an unknown preset", () => {
    const r = run(["torch@2.5.1", "--mirror", "china"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[invalid-value]: --mirror "china" is not a mirror preset.');
    expect(r.stderr).toContain("Known presets: cn.");
    expect(r.written).toEqual([]);
  });

  it("a malformed mirror file, with its path and line", () => {
    const file = join(mkdtempSync(join(tmpdir(), "cs-mf-")), "mirrors.yaml");
    writeFileSync(file, "endpoints:\n  pypi: https://ok.test/simple\n  pytorch: http://plain.test/whl\n");
    const r = run(["torch@2.5.1", "--mirror", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:3: pytorch: "http://plain.test/whl" is http://, not https://; pass --allow-insecure-mirror`);
    expect(r.written).toEqual([]);
    const ok = run(["torch@2.5.1", "--mirror", file, "--allow-insecure-mirror"]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it("a mirror file that is not there", () => {
    const r = run(["torch@2.5.1", "--mirror", "./nowhere/mirrors.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--mirror "./nowhere/mirrors.yaml": no such file');
    expect(r.written).toEqual([]);
  });

  it("--allow-insecure-mirror without --mirror", () => {
    const r = run(["torch@2.5.1", "--allow-insecure-mirror"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--allow-insecure-mirror was given without --mirror.");
    expect(r.written).toEqual([]);
  });
});
