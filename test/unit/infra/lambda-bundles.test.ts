// What the Lambda bundles hold, from esbuild's metafile: the deployed code is the service
// handlers over core/ and the packages package.json lists as dependencies — no CDK, no
// local server, nothing from local/ or infra/ — and `dependencies` holds exactly what
// those bundles import (everything else is a devDependency).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./synth";

const SERVICES = readdirSync(join(REPO_ROOT, "consumers"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => `consumers/${entry.name}/handler.ts`)
  .filter((entry) => readdirSync(join(REPO_ROOT, entry, "..")).includes("handler.ts"));

const packageOf = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

let metafile: Metafile;

beforeAll(async () => {
  // The options of infra/constructs/service-function.ts's NodejsFunction bundling.
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: SERVICES,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    write: false,
    outdir: "bundles",
    metafile: true,
    logLevel: "silent",
  });
  metafile = result.metafile;
}, 60_000);

describe("Lambda bundles", () => {
  it("bundles every service handler", () => {
    expect(SERVICES.length).toBeGreaterThanOrEqual(9);
    expect(Object.keys(metafile.outputs).filter((file) => file.endsWith(".js"))).toHaveLength(
      SERVICES.length,
    );
  });

  it("hold no CDK, no local server and nothing from local/ or infra/", () => {
    const forbidden =
      /^(local|infra|bin|bench|test)\/|node_modules\/(aws-cdk-lib|cdk-nag|constructs|s3rver|dynalite|react|react-dom|graphiql|esbuild|tsx|ws|@peculiar)\//;
    expect(Object.keys(metafile.inputs).filter((input) => forbidden.test(input))).toEqual([]);
  });

  it("import exactly the packages listed as dependencies", () => {
    const imported = new Set<string>();
    for (const [input, { imports }] of Object.entries(metafile.inputs)) {
      if (input.includes("node_modules/")) continue;
      for (const { original, path } of imports) {
        if (original && path.includes("node_modules/")) imported.add(packageOf(original));
      }
    }
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
    expect([...imported].sort()).toEqual(Object.keys(manifest.dependencies).sort());
  });
});
