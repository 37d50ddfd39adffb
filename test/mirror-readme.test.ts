// README.zh-CN.md keeps in step with README.md: each links to the other, the same headings (level
// by level), the same code blocks byte for byte (commands, output and error messages stay
// English) and the same commands and options quoted in the text. The English README's
// "Restricted networks" section names every endpoint and build argument in matrix/mirrors.yaml.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { matrix } from "../src/matrix/data.js";
import { ROOT } from "./support/shared.js";

const en = readFileSync(join(ROOT, "README.md"), "utf8");
const zh = readFileSync(join(ROOT, "README.zh-CN.md"), "utf8");

/** Heading levels in order (the text is translated). */
const headings = (md: string) => md.split("\n").filter((l) => /^#{1,6} /.test(l)).map((l) => l.match(/^#+/)![0].length);

/** Indented code blocks: a run of lines indented by four spaces after a blank line (blank lines inside kept). */
function codeBlocks(md: string): string[] {
  const lines = md.split("\n");
  const blocks: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith("    ") || (i > 0 && lines[i - 1] !== "")) continue;
    const block: string[] = [];
    while (i < lines.length && (lines[i]!.startsWith("    ") || (lines[i] === "" && lines[i + 1]?.startsWith("    ")))) block.push(lines[i++]!);
    blocks.push(block.join("\n"));
  }
  return blocks;
}

/** Inline code that is a command or an option: the same set in both. */
const commands = (md: string) =>
  new Set([...md.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\s+/g, " ")).filter((c) => /^(--|cuda-scaffold|npx |sudo |docker |kubectl |sbatch |npm )/.test(c)));

describe("README.zh-CN.md", () => {
  it("is linked from README.md and links back", () => {
    expect(en.split("\n").slice(0, 5).join("\n")).toContain("[简体中文](README.zh-CN.md)");
    expect(zh.split("\n").slice(0, 5).join("\n")).toContain("[English](README.md)");
  });

  it("has the same headings, level by level", () => {
    expect(headings(zh)).toEqual(headings(en));
  });

  it("has the same code blocks, byte for byte", () => {
    expect(codeBlocks(zh)).toEqual(codeBlocks(en));
    expect(codeBlocks(en).length).toBeGreaterThan(10);
  });

  it("quotes the same commands and options", () => {
    expect([...commands(zh)].sort()).toEqual([...commands(en)].sort());
  });

  it("is mostly Simplified Chinese outside code", () => {
    const prose = zh.split("\n").filter((l) => !l.startsWith("    ") && !l.startsWith("|")).join("").replace(/`[^`]*`/g, "");
    const han = (prose.match(/[\u4e00-\u9fff]/g) ?? []).length;
    expect(han).toBeGreaterThan(2000);
  });
});

describe("README.md, Restricted networks", () => {
  const section = en.slice(en.indexOf("## Restricted networks"), en.indexOf("\n## ", en.indexOf("## Restricted networks") + 5));
  it("names every endpoint, its build argument and its host script option", () => {
    for (const e of matrix.mirrors.endpoints) {
      expect(section, e.id).toContain(`\`${e.id}\``);
      if (e.arg) expect(section, e.arg).toContain(`\`${e.arg}\``);
      if (e.option) expect(section, e.option).toContain(`\`${e.option}\``);
    }
  });

  it("lists each cn mirror the data has, and says which endpoints have none", () => {
    for (const [id, entry] of Object.entries(matrix.mirrors.presets.cn!.mirrors)) {
      if ("url" in entry && id !== "nvidia-ml-repo" && id !== "cuda-repo") expect(section, id).toContain(`\`${entry.url}\``);
    }
    expect(section).toContain("`https://developer.download.nvidia.cn/compute/…`");
    expect(section).toMatch(/No trustworthy public mirror is known for `ghcr`[\s\S]*`jax-releases`[\s\S]*`ubi`/);
  });
});
