import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Every test run gets one temporary folder, and every file, sandbox and stand-in that the tests
// make through os.tmpdir() or mktemp goes under it: TMPDIR is set here, before the workers start,
// and they inherit it. The folder is removed when the run ends, so repeated runs leave nothing in
// the system's temporary folder (they had left tens of thousands of folders there).
// Vitest runs this once for the root and once per project: only the first makes the folder.
//
// NODE_EXTRA_CA_CERTS goes too, for the same reason of inheritance: the tests make no network
// connection, and Node 20 reads the whole file it names at every start. Where a machine sets it to
// the system's bundle (220 KB), each of a run's nearly thousand Node children (the CLI, the Dev
// Containers CLI, the data compiler) spent about 70 ms more on it: a quarter of the suite's CPU time.
export default function setup(): () => void {
  delete process.env.NODE_EXTRA_CA_CERTS;
  if (process.env.CS_TEST_RUN_TMP) return () => {};
  const dir = mkdtempSync(join(tmpdir(), "cs-test-run-"));
  // As /tmp is: the sandboxes run commands as nobody, and munged wants its socket's folders
  // searchable by all.
  chmodSync(dir, 0o1777);
  process.env.CS_TEST_RUN_TMP = dir;
  process.env.TMPDIR = dir;
  return () => {
    if (!process.env.CS_KEEP_TEST_TMP) rmSync(dir, { recursive: true, force: true });
  };
}
