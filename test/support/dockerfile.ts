// Reads a generated Dockerfile the way the builder does for what tests need: the shell of each RUN
// instruction (continuation lines kept, flags such as --mount dropped), stage by stage.
export interface RunStep {
  stage: string;
  shell: string;
}

export function runSteps(dockerfile: string): RunStep[] {
  const lines = dockerfile.split("\n");
  const steps: RunStep[] = [];
  let stage = "";
  for (let i = 0; i < lines.length; i++) {
    const from = /^FROM (?:--platform=\S+ )?\S+ AS (\S+)/.exec(lines[i]!);
    if (from) stage = from[1]!;
    if (!lines[i]!.startsWith("RUN ")) continue;
    const body: string[] = [];
    for (let j = i; j < lines.length; j++) {
      body.push(lines[j]!);
      if (!lines[j]!.endsWith("\\") && !/^\s*$/.test(lines[j]!)) {
        i = j;
        break;
      }
    }
    let shell = body.join("\n").slice(4);
    while (/^--[a-z]+=\S+\s/.test(shell)) shell = shell.replace(/^--[a-z]+=\S+\s*(\\\n)?\s*/, "");
    steps.push({ stage, shell });
  }
  return steps;
}

/** Package names the `apt-get install`/`dnf install` lines of a Dockerfile (or of one RUN step) install, as written (NAME=VERSION where pinned). */
export function installedPackages(dockerfile: string): string[] {
  const names: string[] = [];
  const joined = dockerfile.replace(/\\\n/g, " ");
  for (const m of joined.matchAll(/(?:apt-get install -y --no-install-recommends|dnf install -y(?: --setopt=\S+)*)((?: +(?!&&)[^\s;&]+)+)/g)) {
    names.push(...m[1]!.trim().split(/\s+/).map((w) => w.replace(/^'|'$/g, "")));
  }
  return names;
}
