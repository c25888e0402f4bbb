// `cdk synth` of the whole app through the real CLI and cdk.json, offline, with every
// Lambda bundled by esbuild and cdk-nag enabled (a finding fails the synth).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPipeline } from "../../../core/config";
import { REPO_ROOT } from "./synth";

const run = promisify(execFile);

type Manifest = { artifacts: Record<string, { type: string }> };
type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
/** A Payrail function's bundle and the names its module exports when Node.js loads it. */
type Bundle = { stack: string; id: string; service: string; dir: string; exports: string[] };

let outdir: string;
/** Consumer names of config/pipeline.yaml (the Services stack has one function each). */
let consumers: string[];
let stacks: string[];
let bundles: Bundle[];

/** Loads every bundle in a plain Node.js process (not vitest's loader), as Lambda's runtime would. */
async function loadBundles(found: Omit<Bundle, "exports">[], files: string[]): Promise<Bundle[]> {
  const probe = `const out = [];
    for (const f of ${JSON.stringify(files.map((f) => pathToFileURL(f).href))}) out.push(Object.keys(await import(f)));
    console.log(JSON.stringify(out)); process.exit(0);`;
  const { stdout } = await run("node", ["--input-type=module", "-e", probe], { timeout: 60_000 });
  const exported = JSON.parse(stdout) as string[][];
  return found.map((b, i) => ({ ...b, exports: exported[i] }));
}

beforeAll(async () => {
  consumers = (await loadPipeline(join(REPO_ROOT, "config"))).consumers.map((c) => c.name);
  outdir = await mkdtemp(join(tmpdir(), "payrail-cdk-synth-"));
  await run("npx", ["cdk", "synth", "--quiet", "--no-notices", "--output", outdir], {
    cwd: REPO_ROOT,
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: "true", CDK_DISABLE_CLI_TELEMETRY: "true" },
    timeout: 240_000,
    maxBuffer: 32 * 1024 * 1024,
  });
  const manifest = JSON.parse(await readFile(join(outdir, "manifest.json"), "utf8")) as Manifest;
  stacks = Object.entries(manifest.artifacts)
    .filter(([, a]) => a.type === "aws:cloudformation:stack")
    .map(([name]) => name);
  const found: Omit<Bundle, "exports">[] = [];
  const files: string[] = [];
  for (const stack of stacks) {
    const template = JSON.parse(await readFile(join(outdir, `${stack}.template.json`), "utf8")) as Template;
    for (const [id, resource] of Object.entries(template.Resources)) {
      const env = (resource.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
        ?.Variables;
      if (resource.Type !== "AWS::Lambda::Function" || !env?.PAYRAIL_ENV) continue;
      const key = (resource.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, "");
      const dir = join(outdir, `asset.${key}`);
      found.push({ stack, id, service: String(env.POWERTOOLS_SERVICE_NAME), dir });
      files.push(join(dir, "index.mjs"));
    }
  }
  bundles = await loadBundles(found, files);
}, 300_000);

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe("cdk synth", () => {
  it("produces every stack of the app", () => {
    for (const name of ["Streaming", "Catalog", "Api", "Services"])
      expect(stacks).toContain(`Payrail-dev-${name}`);
    expect(stacks.filter((s) => s.startsWith("Payrail-dev-Tenant-")).length).toBeGreaterThan(0);
  });

  it("bundles every Payrail function into an ES module that loads on this machine's Node.js", () => {
    // 3 API services, the consumers of config/pipeline.yaml, the outbox relay and the topic handler.
    expect(bundles.length).toBeGreaterThanOrEqual(10);
    for (const bundle of bundles) expect(bundle.exports.length, bundle.service).toBeGreaterThan(0);
  });

  it("ships the repository's config/ inside every bundle (PAYRAIL_CONFIG_DIR)", async () => {
    const expected = await readFile(join(REPO_ROOT, "config/pipeline.yaml"), "utf8");
    for (const bundle of bundles) {
      expect(await readFile(join(bundle.dir, "config/pipeline.yaml"), "utf8"), bundle.service).toBe(expected);
    }
  });

  it("exports the Lambda `handler` from every function: API services, consumers, scheduled functions, topic handler", () => {
    expect(bundles.map((b) => b.service).sort()).toEqual(
      [
        "payrail-auth-sweeper",
        "payrail-authorizer",
        "payrail-initiation",
        "payrail-outbox-relay",
        "payrail-payments-api",
        "payrail-webhooks-api",
        "payrail-webhook-send",
        "payrail-topics",
        ...consumers.map((name) => `payrail-${name}`),
      ].sort(),
    );
    for (const bundle of bundles) expect(bundle.exports, bundle.service).toContain("handler");
  });
});
