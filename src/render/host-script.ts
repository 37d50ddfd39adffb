// The host bootstrap script: a short Handlebars header (templates/host/header.sh.hbs) that holds
// every generated value, then the plain shell steps of templates/host/steps/ in name order.
// A step is `NN-name.sh` for both engines or `NN-name.<engine>.sh` for one (the Docker and Podman
// variants of a step side by side); `00-about.<engine>.sh` is the comment the header places.
import { renderTemplate, shellPart, shellPartNames } from "./templates.js";

export type Engine = "docker" | "podman";
const STEP = /^host\/steps\/\d\d-[a-z0-9-]+(?:\.(docker|podman))?\.sh$/;

/** The step files of one engine, in the order the script holds them. */
export function hostSteps(engine: Engine): string[] {
  return shellPartNames("host/steps/").filter((name) => {
    const m = STEP.exec(name);
    if (!m) throw new Error(`templates/${name}: a step is named NN-name.sh or NN-name.<docker|podman>.sh`);
    return !name.startsWith("host/steps/00-") && (m[1] === undefined || m[1] === engine);
  });
}

// The steps hold no generated value, so each engine's part after the header (its about comment
// and its steps joined) is the same in every script: made once per process, not once per render.
// `tail` is every step, each after a newline: [header, ...steps].join("\n") === header + tail.
const fixedParts = new Map<Engine, { about: string; tail: string }>();

function fixedPart(engine: Engine): { about: string; tail: string } {
  let part = fixedParts.get(engine);
  if (!part) {
    part = { about: shellPart(`host/steps/00-about.${engine}.sh`).replace(/\n$/, ""), tail: hostSteps(engine).map((name) => `\n${shellPart(name)}`).join("") };
    fixedParts.set(engine, part);
  }
  return part;
}

export function renderBootstrap(view: { podman: boolean } & object): string {
  const engine: Engine = view.podman ? "podman" : "docker";
  const { about, tail } = fixedPart(engine);
  return renderTemplate("host/header.sh", { ...view, about }) + tail;
}
