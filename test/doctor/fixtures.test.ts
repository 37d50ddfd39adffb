// Every synthetic host under fixtures/hosts against its expected.json; every capture file in
// them is recognised by its parser.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { missing } from "../../src/doctor/missing.js";
import { HOSTS, inspectDir, variants } from "./support.js";

interface Expected {
  about: string;
  facts: Record<string, unknown>;
  missing: string[];
}

const expected = (variant: string): Expected => JSON.parse(readFileSync(join(HOSTS, variant, "expected.json"), "utf8"));

describe("synthetic hosts", () => {
  it("has the variants the doctor is tested on", () => {
    expect(variants()).toEqual(["driver-not-loaded", "driver470", "hgx-fabric-not-ready", "multi-gpu", "no-compute-cap", "no-gpu", "no-nvidia-smi", "podman-cdi-fresh", "podman-cdi-stale", "podman-compose-docker", "wsl1", "wsl2-driver537", "wsl2-no-driver"]);
  });

  it.each(variants())("%s: facts", async (variant) => {
    const facts = await inspectDir(join(HOSTS, variant));
    expect(facts).toMatchObject(expected(variant).facts);
  });

  it.each(variants())("%s: missing, in order, each with a command", async (variant) => {
    const items = missing(await inspectDir(join(HOSTS, variant)));
    expect(items.map((i) => i.id)).toEqual(expected(variant).missing);
    // A step outside this Linux (the Windows driver of WSL 2) is a comment that says where to take it.
    for (const i of items) expect(i.fix).toMatch(/^(sudo |curl |newgrp |export |# In Windows)/);
  });

  it.each(variants())("%s: every captured file is recognised by its parser", async (variant) => {
    const facts = await inspectDir(join(HOSTS, variant));
    const unrecognised = facts.probes.filter((p) => p.reason === "nothing recognisable in the output");
    expect(unrecognised).toEqual([]);
  });
});
