// doctor's live probe in WSL 2: nvidia-smi is the Windows driver's, in the folder WSL maps in
// (matrix/platform.yaml wslLibDir), which sudo's PATH lacks; elsewhere it is `nvidia-smi` on PATH.
// node:os (the kernel release), node:fs's existsSync and the tool runner are stand-ins here, so this
// file runs isolated (vitest.config.ts).
import { beforeEach, describe, expect, it, vi } from "vitest";

const state = vi.hoisted(() => ({ release: "6.8.0-64-generic", present: new Set<string>(), commands: [] as string[] }));

vi.mock("node:os", async (original) => ({ ...(await original<typeof import("node:os")>()), release: () => state.release }));
vi.mock("node:fs", async (original) => {
  const fs = await original<typeof import("node:fs")>();
  return { ...fs, existsSync: (p: string) => state.present.has(String(p)) || fs.existsSync(p) };
});
vi.mock("../../src/doctor/run-tool.js", () => ({
  runTool: async (command: string) => {
    state.commands.push(command);
    return { ok: false, text: "", reason: `${command}: not found on PATH`, absent: "tool" };
  },
}));

const { probeLive } = await import("../../src/doctor/probe-live.js");
const { WSL_NVIDIA_SMI } = await import("../../src/doctor/wsl.js");
const { matrix } = await import("../../src/matrix/data.js");

const nvidiaSmiCalls = () => state.commands.filter((c) => c.endsWith("nvidia-smi"));

describe("doctor's live probe and WSL", () => {
  beforeEach(() => {
    state.commands = [];
    state.present.clear();
  });

  it("asks the nvidia-smi of WSL's driver folder in WSL 2", async () => {
    state.release = "5.15.167.4-microsoft-standard-WSL2";
    state.present.add(WSL_NVIDIA_SMI);
    await probeLive({ timeoutMs: 1000 });
    expect(WSL_NVIDIA_SMI).toBe(`${matrix.platform.tools.wslLibDir!.value}/nvidia-smi`);
    expect(nvidiaSmiCalls().length).toBeGreaterThan(0);
    expect(new Set(nvidiaSmiCalls())).toEqual(new Set([WSL_NVIDIA_SMI]));
  });

  it("asks nvidia-smi on PATH off WSL, in WSL 1, and in WSL 2 without the folder", async () => {
    for (const [release, present] of [["6.8.0-64-generic", true], ["4.4.0-19041-Microsoft", true], ["5.15.167.4-microsoft-standard-WSL2", false]] as const) {
      state.commands = [];
      state.present.clear();
      state.release = release;
      if (present) state.present.add(WSL_NVIDIA_SMI);
      await probeLive({ timeoutMs: 1000 });
      expect(new Set(nvidiaSmiCalls()), release).toEqual(new Set(["nvidia-smi"]));
    }
  });
});
