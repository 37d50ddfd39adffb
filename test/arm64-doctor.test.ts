// doctor on arm64 hosts: the machine architecture, Grace superchips, and Jetson (L4T) refused
// with a pointer to L4T-based images (fixtures/arm64-hosts).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { missing } from "../src/doctor/missing.js";
import { parseMachine } from "../src/doctor/parse-uname.js";
import { inspectDir, ROOT } from "./doctor/support.js";
import { cli } from "./support/cli.js";

const host = (name: string) => join(ROOT, "fixtures/arm64-hosts", name);

describe("machine architecture", () => {
  it.each<[string, string | undefined]>([
    ["Linux gh 6.8.0-1021-nvidia-64k #22-Ubuntu SMP aarch64 aarch64 aarch64 GNU/Linux", "aarch64"],
    ["Linux vm 5.15.0-143-generic #153-Ubuntu SMP x86_64 x86_64 x86_64 GNU/Linux", "x86_64"],
    ["6.12.0-100.28.2.2.el9uek.aarch64", "aarch64"],
    ["5.15.0-143-generic", undefined],
  ])("%s", (text, machine) => {
    expect(parseMachine(text).machine).toBe(machine);
  });
});

describe("a GH200 host", () => {
  it("reports aarch64, the GH200, and no Jetson", async () => {
    const facts = await inspectDir(host("gh200"));
    expect(facts.machine).toBe("aarch64");
    expect(facts.jetson).toBeUndefined();
    expect(facts.gpus.map((g) => [g.name, g.computeCapability])).toEqual([["NVIDIA GH200 480GB", "9.0"]]);
    expect(missing(facts).map((i) => i.id)).toEqual([]);
  });

  it("doctor --json carries the architecture", () => {
    const r = cli(["doctor", "--from", host("gh200"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).machine).toBe("aarch64");
  });
});

describe("a Jetson host", () => {
  it("is recognised from its L4T kernel and refused first, with a pointer to L4T images", async () => {
    const facts = await inspectDir(host("jetson-orin"));
    expect(facts.jetson).toBe(true);
    expect(facts.machine).toBe("aarch64");
    const items = missing(facts);
    expect(items[0]!.id).toBe("jetson");
    expect(items[0]!.fix).toContain("l4t");
  });

  it("doctor says so", () => {
    const r = cli(["doctor", "--from", host("jetson-orin")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Jetson (L4T)");
    expect(r.stdout).toContain("L4T-based images");
  });
});
