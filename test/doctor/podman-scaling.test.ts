// The Podman, SELinux and CDI parsers take time linear in their input, like every capture parser
// (test/parsers-scaling.test.ts has the method: a fourfold growth may cost at most eightfold in
// CPU time, the best of a few runs, with a floor for timer noise).
import { describe, expect, it } from "vitest";
import { parseCdiSpec } from "../../src/doctor/parse-cdi-spec.js";
import { parsePodmanInfo } from "../../src/doctor/parse-podman-info.js";
import { parseGetenforce, parseGetsebool } from "../../src/doctor/parse-selinux.js";

const SIZES = [1024, 4 * 1024, 16 * 1024, 64 * 1024];
const fill = (unit: string, n: number) => unit.repeat(Math.max(1, Math.floor(n / unit.length)));

function cpuMs(fn: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

function worstRatio(parse: (text: string) => unknown, gen: (n: number) => string): { ratio: number; times: string } {
  let best = { ratio: Infinity, times: "" };
  for (let attempt = 0; attempt < 3 && best.ratio >= 8; attempt++) {
    parse(gen(SIZES[0]!));
    const times = SIZES.map((n) => cpuMs(() => parse(gen(n))));
    const ratio = Math.max(...times.slice(1).map((t, i) => (t + 3) / (times[i]! + 3)));
    if (ratio < best.ratio) best = { ratio, times: times.map((t) => t.toFixed(2)).join(", ") };
  }
  return best;
}

describe("Podman, SELinux and CDI parsers take linear time on adversarial input", () => {
  it.each<[string, (text: string) => unknown, (n: number) => string]>([
    ["cdi: many library names", parseCdiSpec, (n) => fill("libcuda.so.580.95.05\n", n)],
    ["cdi: library prefixes without a version", parseCdiSpec, (n) => fill("libcuda.so.libnvidia-ml.so.", n)],
    ["cdi: long runs of digits", parseCdiSpec, (n) => `libcuda.so.${"1".repeat(n)}`],
    ["cdi: a line of spaces before a dash", parseCdiSpec, (n) => `${" ".repeat(n)}-x`],
    ["cdi: many device names", parseCdiSpec, (n) => fill("    - name: d\n", n)],
    ["cdi: many JSON names", parseCdiSpec, (n) => fill('"name": "x",', n)],
    ["cdi: an unterminated JSON kind", parseCdiSpec, (n) => `"kind": "${"a".repeat(n)}`],
    ["cdi: many host-driver flags", parseCdiSpec, (n) => fill("--host-driver-version=5", n)],
    ["podman: deep nesting", parsePodmanInfo, (n) => `{"version":{"Version":"5"},"x":${"[".repeat(n / 2)}${"]".repeat(n / 2)}}`],
    ["podman: many Error lines", parsePodmanInfo, (n) => fill("Error x\n", n)],
    ["getenforce: a long line", parseGetenforce, (n) => "E".repeat(n)],
    ["getsebool: many near misses", parseGetsebool, (n) => fill("container_use_devices -->  \n", n)],
  ])("%s", (_what, parse, gen) => {
    const { ratio, times } = worstRatio(parse, gen);
    expect(ratio, times).toBeLessThan(8);
  });
});
