// The real H200 capture: every source on its own, and all of them merged.
import { describe, expect, it } from "vitest";
import { missing } from "../../src/doctor/missing.js";
import { parseNvsmiTable } from "../../src/doctor/parse-nvsmi-table.js";
import { parseNvsmiText } from "../../src/doctor/parse-nvsmi-text.js";
import { parseNvsmiXml } from "../../src/doctor/parse-nvsmi-xml.js";
import { parseNvcc } from "../../src/doctor/parse-nvcc.js";
import { parseProcVersion } from "../../src/doctor/parse-proc-version.js";
import { parseQueryCsv } from "../../src/doctor/parse-query-csv.js";
import { parseUname } from "../../src/doctor/parse-uname.js";
import { hasRealHost, inspectDir, readCapture, REAL_HOST } from "./support.js";

describe.skipIf(!hasRealHost)("real capture h200-driver580", () => {
  it("inspects to driver 580.159.04, CUDA 13.0, one NVIDIA H200 (9.0), open kernel module", async () => {
    const facts = await inspectDir(REAL_HOST);
    expect(facts).toMatchObject({
      driver: "580.159.04",
      cuda: "13.0",
      kernelModule: "open",
      gpus: [{ name: "NVIDIA H200", computeCapability: "9.0", memoryMiB: 143771, busId: "00000000:00:06.0", architecture: "Hopper" }],
      kernel: "6.18.44-fc-v657-gpu",
      nvcc: "13.0.88",
    });
    expect(facts.probes.filter((p) => p.ok).map((p) => p.source)).toEqual([
      "nvidia-smi-xml", "nvidia-smi-csv", "nvidia-smi-csv-noheader", "nvidia-smi-table", "nvidia-smi-text",
      "proc-driver-version", "nvcc", "uname",
    ]);
    expect(missing(facts)).toEqual([]); // Docker and the toolkit were not captured: nothing is claimed missing
  });

  const h200 = { name: "NVIDIA H200" };
  it.each([
    ["nvidia-smi-q.xml", parseNvsmiXml, { driver: "580.159.04", cuda: "13.0", gpus: [{ ...h200, memoryMiB: 143771, busId: "00000000:00:06.0" }] }],
    ["query-gpu.csv", parseQueryCsv, { driver: "580.159.04", gpus: [{ ...h200, computeCapability: "9.0", memoryMiB: 143771, busId: "00000000:00:06.0" }] }],
    ["query-gpu-noheader.csv", parseQueryCsv, { driver: "580.159.04", gpus: [{ ...h200, computeCapability: "9.0" }] }],
    ["nvidia-smi.txt", parseNvsmiTable, { driver: "580.159.04", cuda: "13.0", gpus: [{ ...h200, index: 0, memoryMiB: 143771 }] }],
    ["nvidia-smi-q.txt", parseNvsmiText, { driver: "580.159.04", cuda: "13.0", gpus: [{ ...h200, architecture: "Hopper", memoryMiB: 143771 }] }],
  ] as const)("%s on its own", (file, parse, want) => {
    const report = parse(readCapture(REAL_HOST, file));
    expect(report).toMatchObject(want);
    expect(report.error).toBeUndefined();
  });

  it("the XML carries no compute capability (no driver up to 580 reports one there)", () => {
    expect(parseNvsmiXml(readCapture(REAL_HOST, "nvidia-smi-q.xml")).gpus?.[0]?.computeCapability).toBeUndefined();
  });

  it("the XML's fabric state is N/A on this GPU (no NVSwitch), so no state is kept; a state it names is", () => {
    const xml = readCapture(REAL_HOST, "nvidia-smi-q.xml");
    expect(xml).toMatch(/<fabric>\s*<state>N\/A<\/state>/);
    expect(parseNvsmiXml(xml).gpus?.[0]?.fabricState).toBeUndefined();
    expect(parseNvsmiXml(xml.replace(/(<fabric>\s*<state>)N\/A/, "$1In Progress")).gpus?.[0]?.fabricState).toBe("In Progress");
  });

  it.each([
    ["proc version", () => parseProcVersion(readCapture(REAL_HOST, "host-info.txt")), { driver: "580.159.04", kernelModule: "open" }],
    ["nvcc", () => parseNvcc(readCapture(REAL_HOST, "host-info.txt")), { version: "13.0.88" }],
    ["uname -a", () => parseUname(readCapture(REAL_HOST, "host-info.txt")), { kernel: "6.18.44-fc-v657-gpu" }],
  ] as const)("host-info.txt: %s", (_what, run, want) => {
    expect(run()).toEqual(want);
  });
});
