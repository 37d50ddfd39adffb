// The four nvidia-smi parsers on edge cases: empty input, garbage, the tool's error messages,
// truncated output, missing fields, other column orders and layouts.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseNvsmiTable } from "../../src/doctor/parse-nvsmi-table.js";
import { parseNvsmiText } from "../../src/doctor/parse-nvsmi-text.js";
import { parseNvsmiXml } from "../../src/doctor/parse-nvsmi-xml.js";
import { parseQueryCsv } from "../../src/doctor/parse-query-csv.js";
import type { NvsmiReport } from "../../src/doctor/types.js";
import { HOSTS, readCapture } from "./support.js";

const PARSERS: [string, (t: string) => NvsmiReport][] = [
  ["xml", parseNvsmiXml],
  ["csv", parseQueryCsv],
  ["table", parseNvsmiTable],
  ["text", parseNvsmiText],
];

const GARBAGE = [
  "",
  "   \n\n  ",
  "lorem ipsum dolor sit amet\nconsectetur, adipiscing, elit",
  "<<<>>> </a> <b <c/> &amp;&#xZZ; ]]>",
  "\u0000\u0001\u0002\ufffd binary \u0000",
  "{\"driver_version\": \"550.54.15\"}",
];

describe.each(PARSERS)("%s parser, input it cannot use", (_name, parse) => {
  it.each(GARBAGE.map((g) => [JSON.stringify(g).slice(0, 40), g]))("%s → nothing", (_label, text) => {
    expect(parse(text)).toEqual({});
  });

  it.each([
    ["No devices were found\n", { error: "No devices were found", gpus: [] }],
    [
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n",
      { error: expect.stringContaining("couldn't communicate with the NVIDIA driver") },
    ],
    ["Failed to initialize NVML: Driver/library version mismatch\nNVML library version: 550.127\n", { error: "Failed to initialize NVML: Driver/library version mismatch" }],
    ['Field "compute_cap" is not a valid field to query.\n\n', { error: 'Field "compute_cap" is not a valid field to query.' }],
    ["bash: nvidia-smi: command not found\n", { error: "nvidia-smi: command not found" }],
  ])("error message %#", (text, want) => {
    expect(parse(text)).toEqual(want);
  });
});

describe("XML", () => {
  const full = readCapture(join(HOSTS, "multi-gpu"), "nvidia-smi-q.xml");

  it.each([
    ["no GPUs attached", "<nvidia_smi_log><driver_version>535.104.05</driver_version><cuda_version>12.2</cuda_version><attached_gpus>0</attached_gpus></nvidia_smi_log>", { driver: "535.104.05", cuda: "12.2", gpus: [] }],
    ["cut short before any <gpu>: GPUs unknown, not zero", full.slice(0, full.indexOf("<gpu ")), { driver: "570.172.08", cuda: "12.8" }],
    ["N/A values dropped", "<nvidia_smi_log><driver_version>N/A</driver_version><gpu id=\"0000:01:00.0\"><product_name>Tesla T4</product_name><fb_memory_usage><total>N/A</total></fb_memory_usage></gpu></nvidia_smi_log>", { gpus: [{ index: 0, name: "Tesla T4", busId: "0000:01:00.0" }] }],
    ["bus id from the id attribute when <pci> is missing", "<nvidia_smi_log><gpu id=\"00000000:3B:00.0\"></gpu></nvidia_smi_log>", { gpus: [{ index: 0, busId: "00000000:3B:00.0" }] }],
    ["compute capability where a driver reports it", "<nvidia_smi_log><gpu id=\"00000000:01:00.0\"><product_name>NVIDIA B200</product_name><compute_cap>10.0</compute_cap></gpu></nvidia_smi_log>", { gpus: [{ index: 0, name: "NVIDIA B200", busId: "00000000:01:00.0", computeCapability: "10.0" }] }],
    ["compute capability as major/minor", "<nvidia_smi_log><gpu><cuda_compute_capability><major>8</major><minor>6</minor></cuda_compute_capability></gpu></nvidia_smi_log>", { gpus: [{ index: 0, computeCapability: "8.6" }] }],
    ["entities and CDATA in names", "<nvidia_smi_log><gpu><product_name>A &amp; B <![CDATA[<x>]]></product_name></gpu></nvidia_smi_log>", { gpus: [{ index: 0, name: "A & B <x>" }] }],
  ])("%s", (_what, text, want) => {
    expect(parseNvsmiXml(text)).toEqual(want);
  });

  it("reads memory from fb_memory_usage, not the bar1 or protected-memory totals beside it", () => {
    const gpus = parseNvsmiXml(full).gpus!;
    expect(gpus.map((g) => g.memoryMiB)).toEqual([81920, 81920, 46068, 49140, 81920, 81920]);
  });
});

describe("query CSV", () => {
  it.each([
    ["header, any column order, nounits",
      "pci.bus_id, compute_cap, name, memory.total [MiB], driver_version\n00000000:01:00.0, 8.6, NVIDIA GeForce RTX 3090, 24576, 550.54.15\n",
      { driver: "550.54.15", gpus: [{ busId: "00000000:01:00.0", computeCapability: "8.6", name: "NVIDIA GeForce RTX 3090", memoryMiB: 24576 }] }],
    ["header with aliases and unknown columns",
      "gpu_name, temperature.gpu, gpu_bus_id\nTesla T4, 41, 00000000:00:1E.0\n",
      { gpus: [{ name: "Tesla T4", busId: "00000000:00:1E.0" }] }],
    ["noheader, columns recognised by shape in any order",
      "8.0, 00000000:07:00.0, NVIDIA A100-SXM4-40GB, 535.161.08, 40960 MiB\n9.0, 00000000:0F:00.0, NVIDIA H100 80GB HBM3, 535.161.08, 81559 MiB\n",
      { driver: "535.161.08", gpus: [
        { computeCapability: "8.0", busId: "00000000:07:00.0", name: "NVIDIA A100-SXM4-40GB", memoryMiB: 40960 },
        { computeCapability: "9.0", busId: "00000000:0F:00.0", name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559 }] }],
    ["noheader, name only", "Tesla V100-SXM2-16GB\n", { gpus: [{ name: "Tesla V100-SXM2-16GB" }] }],
    ["[N/A] and [Not Supported] values", "name, compute_cap, memory.total [MiB]\nNVIDIA A10G, [N/A], [Not Supported]\n", { gpus: [{ name: "NVIDIA A10G" }] }],
    ["header only", "name, driver_version, compute_cap\n", {}],
    ["Windows line endings", "name, compute_cap\r\nNVIDIA L4, 8.9\r\n", { gpus: [{ name: "NVIDIA L4", computeCapability: "8.9" }] }],
  ])("%s", (_what, text, want) => {
    expect(parseQueryCsv(text)).toEqual(want);
  });
});

describe("table", () => {
  it("reads the 79-column layout of R470 and keeps a truncated name as printed", () => {
    const r = parseNvsmiTable(readCapture(join(HOSTS, "driver470"), "nvidia-smi.txt"));
    expect(r).toMatchObject({ driver: "470.256.02", cuda: "11.4" });
    expect(r.gpus).toHaveLength(4);
    expect(r.gpus![0]).toEqual({ index: 0, name: "Tesla V100-SXM2...", busId: "00000000:00:1B.0", memoryMiB: 16160 });
  });

  it.each([
    ["banner only: no GPU rows is no GPUs", "| NVIDIA-SMI 535.54.03   Driver Version: 535.54.03   CUDA Version: 12.2 |\n", { driver: "535.54.03", cuda: "12.2", gpus: [] }],
    ["a banner before CUDA was shown (R396)", "| NVIDIA-SMI 396.44                 Driver Version: 396.44                    |\n", { driver: "396.44", gpus: [] }],
    ["WDDM instead of On/Off", "|   0  NVIDIA GeForce RTX 4090      WDDM  |   00000000:01:00.0  On |                  Off |\n", { gpus: [{ index: 0, name: "NVIDIA GeForce RTX 4090", busId: "00000000:01:00.0" }] }],
  ])("%s", (_what, text, want) => {
    expect(parseNvsmiTable(text)).toEqual(want);
  });
});

describe("-q text", () => {
  it("reads every GPU block of an R450 capture", () => {
    const r = parseNvsmiText(readCapture(join(HOSTS, "no-compute-cap"), "nvidia-smi-q.txt"));
    expect(r).toMatchObject({ driver: "450.80.02", cuda: "11.0" });
    expect(r.gpus!.map((g) => [g.name, g.busId, g.memoryMiB])).toEqual([
      ["A100-SXM4-40GB", "00000000:07:00.0", 40536],
      ["A100-SXM4-40GB", "00000000:0F:00.0", 40536],
    ]);
  });

  it.each([
    ["no GPU attached", "Driver Version : 550.54.15\nCUDA Version : 12.4\n\nAttached GPUs : 0\n", { driver: "550.54.15", cuda: "12.4", gpus: [] }],
    ["a GPU block without the fields", "Driver Version : 550.54.15\nGPU 00000000:01:00.0\n    Product Name : N/A\n", { driver: "550.54.15", gpus: [{ index: 0, busId: "00000000:01:00.0" }] }],
    ["nested Total lines of other sections are not the memory", "GPU 00000000:01:00.0\n    BAR1 Memory Usage\n        Total : 256 MiB\n    FB Memory Usage\n        Total : 24576 MiB\n", { gpus: [{ index: 0, busId: "00000000:01:00.0", memoryMiB: 24576 }] }],
  ])("%s", (_what, text, want) => {
    expect(parseNvsmiText(text)).toEqual(want);
  });
});
