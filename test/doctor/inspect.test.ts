// inspectHost's precedence and merging, on hand-made RawHosts.
import { describe, expect, it } from "vitest";
import { inspectHost } from "../../src/doctor/inspect.js";
import { mergeGpus } from "../../src/doctor/merge-gpus.js";
import type { ProbeOutput, ProbeSource, RawHost } from "../../src/doctor/raw-host.js";

const ok = (text: string): ProbeOutput => ({ ok: true, text });
const host = (outputs: Partial<Record<ProbeSource, ProbeOutput>>, origin: RawHost["origin"] = "dir"): RawHost => ({ origin, outputs });

const XML = (driver: string, gpus: string) =>
  `<nvidia_smi_log><driver_version>${driver}</driver_version><cuda_version>12.4</cuda_version>${gpus}</nvidia_smi_log>`;
const XML_GPU = (bus: string, name: string) => `<gpu id="${bus}"><product_name>${name}</product_name><pci><pci_bus_id>${bus}</pci_bus_id></pci></gpu>`;

describe("precedence", () => {
  it.each([
    ["XML over CSV over table", { "nvidia-smi-xml": ok(XML("550.54.15", "")), "nvidia-smi-csv": ok("driver_version\n550.54.14\n"), "nvidia-smi-table": ok("Driver Version: 550.54.13 CUDA Version: 12.3") }, "550.54.15", "12.4"],
    ["CSV over table", { "nvidia-smi-csv": ok("driver_version\n550.54.14\n"), "nvidia-smi-table": ok("Driver Version: 550.54.13 CUDA Version: 12.3") }, "550.54.14", "12.3"],
    ["table over -q text", { "nvidia-smi-table": ok("Driver Version: 550.54.13 CUDA Version: 12.3"), "nvidia-smi-text": ok("Driver Version : 550.54.12\nCUDA Version : 12.2\n") }, "550.54.13", "12.3"],
    ["the kernel module when nvidia-smi says nothing", { "nvidia-smi-table": ok("No devices were found"), "proc-driver-version": ok("NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.54.03  Tue Jun  6 22:20:39 UTC 2023") }, "535.54.03", null],
  ] as const)("%s", (_what, outputs, driver, cuda) => {
    const facts = inspectHost(host(outputs));
    expect([facts.driver, facts.cuda]).toEqual([driver, cuda]);
  });

  it("keeps the XML's GPU list and fills compute capability from the CSV by bus id", () => {
    const xml = XML("550.54.15", XML_GPU("00000000:01:00.0", "NVIDIA A100-SXM4-80GB") + XML_GPU("00000000:81:00.0", "NVIDIA H100 80GB HBM3"));
    const csv = "pci.bus_id, compute_cap, name\n00000000:81:00.0, 9.0, NVIDIA H100 80GB HBM3\n00000000:01:00.0, 8.0, NVIDIA A100-SXM4-80GB\n";
    const facts = inspectHost(host({ "nvidia-smi-xml": ok(xml), "nvidia-smi-csv": ok(csv) }));
    expect(facts.gpus).toEqual([
      { name: "NVIDIA A100-SXM4-80GB", computeCapability: "8.0", busId: "00000000:01:00.0" },
      { name: "NVIDIA H100 80GB HBM3", computeCapability: "9.0", busId: "00000000:81:00.0" },
    ]);
  });

  it("does not take values from a GPU list that disagrees with the primary one", () => {
    const xml = XML("550.54.15", XML_GPU("00000000:01:00.0", "Tesla T4"));
    const noheader = "NVIDIA L4, 550.54.15, 8.9\n"; // same count, other GPU: no bus id to match, names differ
    expect(inspectHost(host({ "nvidia-smi-xml": ok(xml), "nvidia-smi-csv-noheader": ok(noheader) })).gpus[0]?.computeCapability).toBeNull();
  });

  it("a table-only host keeps names as the table prints them", () => {
    const row = "|   0  NVIDIA RTX 6000 Ada Gene...    Off |   00000000:01:00.0 Off |                  Off |";
    expect(inspectHost(host({ "nvidia-smi-table": ok(`Driver Version: 550.54.15 CUDA Version: 12.4\n${row}\n`) })).gpus).toEqual([
      { name: "NVIDIA RTX 6000 Ada Gene...", computeCapability: null, busId: "00000000:01:00.0" },
    ]);
  });
});

describe("mergeGpus", () => {
  it.each([
    ["nothing", [], []],
    ["empty lists", [[], []], []],
    ["bus ids with and without the 8-digit domain match", [[{ busId: "00000000:3B:00.0", name: "A" }], [{ busId: "0000:3b:00.0", computeCapability: "8.6" }]], [{ name: "A", busId: "00000000:3B:00.0", computeCapability: "8.6" }]],
    ["by index when there are no bus ids", [[{ index: 1, name: "B" }, { index: 0, name: "A" }], [{ index: 0, computeCapability: "7.5" }, { index: 1, computeCapability: "8.0" }]], [{ name: "B", computeCapability: "8.0" }, { name: "A", computeCapability: "7.5" }]],
    ["truncated names still match by position", [[{ name: "Tesla V100-SXM2..." }], [{ name: "Tesla V100-SXM2-16GB", memoryMiB: 16160 }]], [{ name: "Tesla V100-SXM2...", computeCapability: null, memoryMiB: 16160 }]],
    ["no name anywhere", [[{ busId: "00000000:01:00.0" }]], [{ name: "unknown", computeCapability: null, busId: "00000000:01:00.0" }]],
  ])("%s", (_what, lists, want) => {
    expect(mergeGpus(lists)).toEqual(want);
  });
});

describe("docker, toolkit and probe status", () => {
  it("a tool absent from PATH is a fact: docker and the toolkit are not installed", () => {
    const absent = (cmd: string): ProbeOutput => ({ ok: false, text: "", reason: `${cmd}: not found on PATH`, absent: "tool" });
    const facts = inspectHost(host({ "docker-info": absent("docker"), "nvidia-ctk": absent("nvidia-ctk"), mokutil: absent("mokutil") }, "host"));
    expect(facts.docker.state).toBe("not-installed");
    expect(facts.containerToolkit).toEqual({ installed: false, version: null });
    expect(facts.secureBoot).toBeNull();
  });

  it("an uncaptured file is unknown, not absent", () => {
    const notCaptured: ProbeOutput = { ok: false, text: "", reason: "not captured", absent: "capture" };
    const facts = inspectHost(host({ "docker-info": notCaptured, "nvidia-ctk": notCaptured }));
    expect(facts.docker.state).toBe("unknown");
    expect(facts.containerToolkit.installed).toBeNull();
  });

  it("an nvidia runtime registered in Docker means the toolkit is installed, even without nvidia-ctk", () => {
    const facts = inspectHost(host({ "docker-info": ok('{"ServerVersion":"20.10.7","Runtimes":{"nvidia":{"path":"nvidia-container-runtime"}}}') }));
    expect(facts.containerToolkit).toEqual({ installed: true, version: null });
  });

  it("marks outputs that are error messages or unrecognisable as failed probes", () => {
    const facts = inspectHost(host({ "nvidia-smi-xml": ok("No devices were found"), "nvidia-smi-table": ok("¯\\_(ツ)_/¯"), uname: ok("6.8.0-31-generic") }));
    expect(facts.probes).toEqual([
      { source: "nvidia-smi-xml", ok: false, reason: "No devices were found" },
      { source: "nvidia-smi-table", ok: false, reason: "nothing recognisable in the output" },
      { source: "uname", ok: true },
    ]);
  });
});
