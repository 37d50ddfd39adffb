// WSL (matrix/platform.yaml wsl* rows): WSL 2 gives Linux the GPU of the Windows driver, whose
// libraries and nvidia-smi WSL maps in at wslLibDir, and NVIDIA's CUDA on WSL guide forbids a Linux
// driver inside it; WSL 1 has no GPU.
import { matrix } from "../matrix/data.js";
import { tool } from "../matrix/lookup.js";
import { compare } from "../matrix/versions.js";

/** WSL 1 or 2 from the kernel release `uname -r` prints (wslKernelMarker, in any case; WSL 1's ends in wsl1KernelSuffix). */
export function wslOf(kernel: string | undefined): 1 | 2 | undefined {
  if (!kernel || !kernel.toLowerCase().includes(tool(matrix, "wslKernelMarker").toLowerCase())) return undefined;
  return kernel.endsWith(tool(matrix, "wsl1KernelSuffix")) ? 1 : 2;
}

/** nvidia-smi of the Windows driver in WSL 2: WSL puts its folder on PATH only for the sessions it starts. */
export const WSL_NVIDIA_SMI = `${tool(matrix, "wslLibDir")}/nvidia-smi`;

/** The fix for a missing or old driver in WSL 2: the Windows driver, never a Linux one. */
export function wslDriverFix(minDriver?: string): { fix: string; hint: string } {
  const since = tool(matrix, "wslDriverSince");
  const floor = minDriver && compare(minDriver, since) > 0 ? minDriver : `R${since}`;
  return {
    fix: `# In Windows: install or update the NVIDIA driver (${floor} or newer), then run wsl.exe --shutdown and open this distribution again`,
    hint: `In WSL 2 the GPU is the Windows driver's: NVIDIA's CUDA on WSL guide says no NVIDIA Linux driver may be installed inside WSL 2 (${matrix.platform.tools.wslLibDir!.source}).`,
  };
}
