// Every parser of outside input (saved captures, the lock file) takes time linear in its input
// (break-it 2026-12, finding 8: a 10 KB nvidia-smi line took over 120 s). Each parser is timed on
// adversarial text of growing size, and each fourfold growth in size may cost at most eightfold
// in CPU time: a ratio between sizes, never a wall-clock limit, so a slow or busy machine passes
// and a quadratic parser fails. A floor absorbs timer noise on the small sizes.
import { describe, expect, it } from "vitest";
import { PARSERS } from "../src/doctor/parse-raw.js";
import { parseXml } from "../src/doctor/xml-lite.js";
import { inspectHost } from "../src/doctor/inspect.js";
import { parseLock } from "../src/write/lock-file.js";
import type { RawHost } from "../src/doctor/raw-host.js";

// Up to 64 KB: large enough that a quadratic parser's cost dominates, small enough that the
// garbage collector's steps (which come with hundreds of KB of retained objects) do not.
const SIZES = [1024, 4 * 1024, 16 * 1024, 64 * 1024];
const MAX_RATIO = 8;
const FLOOR_MS = 3;
/** After two sizes, one that takes longer than this is the last measured (a cubic parser must not run for hours). */
const STOP_MS = 1500;
const REPEATS = 5;

/** `unit` repeated to about `n` characters. */
const fill = (unit: string, n: number) => unit.repeat(Math.max(1, Math.floor(n / unit.length)));
const sp = (n: number) => " ".repeat(n);

type Gen = (n: number) => string;

const GPU_ROW = "|   0  NVIDIA H200                    On  |   00000000:00:06.0 Off |                    0 |\n| N/A   29C    P0             76W /  700W |       0MiB / 143771MiB |      0%      Default |\n";
const XML_GPU = '<gpu id="00000000:00:06.0"><product_name>NVIDIA H200</product_name><pci><pci_bus_id>00000000:00:06.0</pci_bus_id></pci><fb_memory_usage><total>143771 MiB</total></fb_memory_usage></gpu>';

const inputs: Record<string, Record<string, Gen>> = {
  "nvidia-smi-table": {
    "a row of spaces around one word (GPU_ROW)": (n) => `|  0 ${sp(n / 2)}x${sp(n / 2)}`,
    "a row of spaces before a persistence mode": (n) => `|  0 x${sp(n)}On |  0000:00:00.0`,
    "many GPU rows": (n) => fill(GPU_ROW, n),
    "many pipes and digits": (n) => fill("| 1 MiB / 1", n),
    "a banner of spaces": (n) => `Driver Version:${sp(n)}x`,
  },
  "nvidia-smi-text": {
    "one long line of spaces (KEY_VALUE)": (n) => `x${sp(n)}y`,
    "colons without spaces": (n) => `x${fill("a:", n)}`,
    "lines of growing indent": (n) => {
      const lines: string[] = [];
      for (let i = 0, size = 0; size < n; i++, size += i + 2) lines.push(`${sp(i)}a`);
      return lines.join("\n");
    },
    "a long section name over many values": (n) => `${"S".repeat(n / 2)}\n${fill(" a : b\n", n / 2)}`,
    "many GPU blocks": (n) => fill("GPU 00000000:00:06.0\n    Product Name : NVIDIA H200\n    PCI\n        Bus Id : 00000000:00:06.0\n", n),
    "a GPU header of spaces": (n) => `GPU${sp(n)}x`,
    "a failure message of quotes": (n) => `Field "${fill('"', n)}`,
  },
  "nvidia-smi-xml": {
    "unmatched opening then closing tags": (n) => `<nvidia_smi_log>${fill("<a>", n / 2)}${fill("</b>", n / 2)}`,
    "matched nesting": (n) => `<nvidia_smi_log>${fill("<a>", n / 2)}${fill("</a>", n / 2)}`,
    "closing tags of open names": (n) => `<nvidia_smi_log>${fill("<a><b>", n / 2)}${fill("</a>", n / 2)}`,
    "many declarations": (n) => fill("<!x>", n),
    "a tag full of name characters": (n) => `<a ${"b".repeat(n)}>`,
    "an unterminated attribute value": (n) => `<a x="${fill("a ", n)}>`,
    "attributes without values": (n) => `<a ${fill("b= ", n)}>`,
    "many GPUs": (n) => `<nvidia_smi_log>${fill(XML_GPU, n)}</nvidia_smi_log>`,
    "an unterminated entity": (n) => `<a>&#x${"1".repeat(n)}</a>`,
    "many entities": (n) => `<a>${fill("&amp;&#65;&x", n)}</a>`,
  },
  "nvidia-smi-csv": {
    "many rows": (n) => `index, name, compute_cap, pci.bus_id\n${fill("0, NVIDIA H200, 9.0, 00000000:00:06.0\n", n)}`,
    "many rows without a header": (n) => fill("0, NVIDIA H200, 9.0, 00000000:00:06.0, 580.159.04, 143771 MiB\n", n),
    "a header cell of spaces": (n) => `index${sp(n)}[x`,
    "a cell of digits": (n) => `${"1".repeat(n)}x`,
    "a cell of brackets": (n) => `a${fill("[", n)}`,
  },
  "proc-driver-version": {
    "a long module name": (n) => `NVRM version: NVIDIA UNIX ${"x".repeat(n)}`,
    "many partial banners": (n) => fill("NVRM version: NVIDIA UNIX x ", n),
  },
  nvcc: { "a long release": (n) => `Cuda compilation tools, release ${"1".repeat(n)}` },
  uname: {
    "one long release": (n) => `Linux h ${fill("1.", n)}`,
    "many lines": (n) => fill("Linux h 6.1.0 #1 SMP\n", n),
  },
  "os-release": {
    "an escaped value": (n) => `PRETTY_NAME="${fill("\\\\", n)}"`,
    "a key of spaces": (n) => `${sp(n)}x`,
    "many ID_LIKE words": (n) => `ID_LIKE="${fill("rhel ", n)}"`,
  },
  "docker-info": {
    "many runtimes": (n) => `{"ServerVersion":"28.0","Runtimes":{${Array.from({ length: Math.floor(n / 12) }, (_, i) => `"r${i}":{}`).join(",")}}}`,
    "deep nesting": (n) => `{"ServerVersion":"28.0","x":${"[".repeat(n / 2)}${"]".repeat(n / 2)}}`,
    "many braces": (n) => fill("{", n),
    "a command-not-found text": (n) => fill(" docker", n),
  },
  "nvidia-ctk": { "a long version": (n) => `NVIDIA Container Toolkit CLI version 1.1.1${"a".repeat(n)}` },
  mokutil: { "junk": (n) => fill("SecureBoot ", n) },
};

/**
 * The best of REPEATS runs (one run, when that one is already slow), in milliseconds of CPU time:
 * the process's own time, so another process that takes the CPU meanwhile does not count.
 */
function timed(fn: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < REPEATS && (i === 0 || best <= STOP_MS); i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

interface Growth {
  ratio: number;
  times: string;
  slow: boolean;
}

function measure<T>(run: (input: T) => unknown, make: (n: number) => T): Growth {
  run(make(SIZES[0]!)); // warm up
  const times: number[] = [];
  for (const size of SIZES) {
    const input = make(size);
    times.push(timed(() => run(input)));
    if (times.length >= 2 && times[times.length - 1]! > STOP_MS) break;
  }
  const slow = times.some((t) => t > STOP_MS);
  let ratio = 0;
  for (let i = 1; i < times.length; i++) ratio = Math.max(ratio, (times[i]! + FLOOR_MS) / (times[i - 1]! + FLOOR_MS));
  return { ratio, slow, times: times.map((t, i) => `${SIZES[i]! / 1024}K: ${t.toFixed(2)} ms`).join(", ") };
}

/**
 * The largest time ratio between consecutive sizes. A garbage collection can land in one
 * measurement and not the next, so a failing measurement is repeated (twice at most): a linear
 * parser passes one of them, a super-linear one fails them all.
 */
function growth<T>(run: (input: T) => unknown, make: (n: number) => T): Growth {
  let g = measure(run, make);
  for (let attempt = 1; attempt < 3 && g.ratio >= MAX_RATIO && !g.slow; attempt++) g = measure(run, make);
  return g;
}

const cases = Object.entries(inputs).flatMap(([source, gens]) => Object.entries(gens).map(([what, gen]) => [source, what, gen] as const));

describe("capture parsers take linear time on adversarial input", () => {
  it.each(cases)("%s: %s", (source, _what, gen) => {
    const parse = PARSERS[source as keyof typeof PARSERS] as (text: string) => unknown;
    const { ratio, times } = growth(parse, gen);
    expect(ratio, times).toBeLessThan(MAX_RATIO);
  });

  it.each(Object.entries(inputs["nvidia-smi-xml"]!))("xml-lite alone: %s", (_what, gen) => {
    const { ratio, times } = growth(parseXml, gen);
    expect(ratio, times).toBeLessThan(MAX_RATIO);
  });

  it("inspecting a host whose every capture lists many GPUs", () => {
    const host = (n: number): RawHost => ({
      origin: "dir",
      outputs: {
        "nvidia-smi-xml": { ok: true, text: inputs["nvidia-smi-xml"]!["many GPUs"]!(n / 4) },
        "nvidia-smi-csv": { ok: true, text: inputs["nvidia-smi-csv"]!["many rows"]!(n / 4) },
        "nvidia-smi-table": { ok: true, text: inputs["nvidia-smi-table"]!["many GPU rows"]!(n / 4) },
        "nvidia-smi-text": { ok: true, text: inputs["nvidia-smi-text"]!["many GPU blocks"]!(n / 4) },
      },
    });
    const { ratio, times } = growth(inspectHost, host);
    expect(ratio, times).toBeLessThan(MAX_RATIO);
  });
});

const GOOD_HEAD = '{"lockfileVersion":1,"tool":{"name":"cuda-scaffold","version":"1.0.0"},"request":{"specs":[{"name":"torch","range":null}]},"resolution":{"frameworks":[],"image":"ubuntu:22.04"},';

describe("reading a lock takes linear time on adversarial input", () => {
  it.each<[string, Gen]>([
    ["many specs", (n) => `${GOOD_HEAD}"files":{}}`.replace('[{"name":"torch","range":null}]', `[${fill('{"name":"torch"},', n).slice(0, -1)}]`)],
    ["many GPUs", (n) => `${GOOD_HEAD}"files":{}}`.replace('"specs"', `"gpu":[${fill('"a100",', n).slice(0, -1)}],"specs"`)],
    ["many files", (n) => `${GOOD_HEAD}"files":{${Array.from({ length: Math.floor(n / 12) }, (_, i) => `"f${i}":"x"`).join(",")}}}`],
    ["deep nesting", (n) => `${GOOD_HEAD}"files":{},"x":${"[".repeat(n / 2)}${"]".repeat(n / 2)}}`],
    ["a long string", (n) => `${GOOD_HEAD}"files":{"Dockerfile":"${"a".repeat(n)}"}}`],
    ["conflict markers", (n) => fill("<<<<<<< a\n=======\n>>>>>>> b\n", n)],
  ])("%s", (_what, gen) => {
    const { ratio, times } = growth(parseLock, gen);
    expect(ratio, times).toBeLessThan(MAX_RATIO);
  });
});
