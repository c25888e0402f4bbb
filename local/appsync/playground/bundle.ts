// Builds the playground's browser assets (GraphiQL, React, Monaco and its workers) with
// esbuild into `<cacheDir>/<content hash>/`. The hash covers our client sources and the
// versions of every bundled package, so a start with nothing changed reuses the last build
// and a dependency bump or source edit rebuilds. Builds land in a temp dir and are renamed
// into place, so concurrent starts (parallel tests) never see a half-written bundle.
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, version as esbuildVersion } from "esbuild";

export type PlaygroundBundle = { hash: string; dir: string; files: string[] };

const CLIENT_DIR = fileURLToPath(new URL("./client/", import.meta.url));
const CONFIG_MODULE = fileURLToPath(new URL("./config.ts", import.meta.url));
const BUNDLED_PACKAGES = [
  "graphiql",
  "@graphiql/react",
  "monaco-editor",
  "monaco-graphql",
  "react",
  "react-dom",
  "graphql",
];
const BUILD_DIR = /^[0-9a-f]{16}$/;
const require = createRequire(import.meta.url);
const resolve = (specifier: string) => require.resolve(specifier);

/** Returns the bundle for the current sources, building it only if no cached copy exists. */
export async function ensurePlaygroundBundle(cacheDir: string): Promise<PlaygroundBundle> {
  const hash = await contentHash();
  const dir = join(cacheDir, hash);
  if (!(await isDirectory(dir))) {
    const staging = `${dir}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      await buildInto(staging);
      await rename(staging, dir).catch(async (error: NodeJS.ErrnoException) => {
        // Another process finished the same build first; theirs is identical.
        if (!(await isDirectory(dir))) throw error;
      });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  await pruneOtherBuilds(cacheDir, hash);
  return { hash, dir, files: await readdir(dir) };
}

async function buildInto(outdir: string): Promise<void> {
  const common = {
    bundle: true,
    minify: true,
    outdir,
    logLevel: "silent" as const,
    define: { "process.env.NODE_ENV": '"production"' },
    legalComments: "none" as const,
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: { app: join(CLIENT_DIR, "main.ts") },
      format: "esm",
      target: "es2022",
      loader: { ".ttf": "file", ".woff": "file", ".woff2": "file", ".svg": "file" },
      assetNames: "[name]-[hash]",
    }),
    build({
      ...common,
      entryPoints: {
        "editor.worker": resolve("monaco-editor/esm/vs/editor/editor.worker.js"),
        "json.worker": resolve("monaco-editor/esm/vs/language/json/json.worker.js"),
        "graphql.worker": resolve("monaco-graphql/esm/graphql.worker.js"),
      },
      // Classic scripts: `new Worker(url)` without `{ type: "module" }` works in every browser.
      format: "iife",
      target: "es2022",
    }),
  ]);
}

async function contentHash(): Promise<string> {
  const hash = createHash("sha256").update(`esbuild ${esbuildVersion}\n`);
  const sources = [
    ...(await readdir(CLIENT_DIR)).sort().map((name) => join(CLIENT_DIR, name)),
    CONFIG_MODULE,
  ];
  for (const file of sources) hash.update(`${file}\n`).update(await readFile(file));
  for (const name of BUNDLED_PACKAGES) {
    const manifest = JSON.parse(await readFile(packageJsonOf(name), "utf8")) as { version: string };
    hash.update(`${name}@${manifest.version}\n`);
  }
  return hash.digest("hex").slice(0, 16);
}

/** Finds a package's package.json even when its `exports` map does not expose it. */
function packageJsonOf(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = join(dir, name, "package.json");
    try {
      require.resolve(candidate);
      return candidate;
    } catch {}
  }
  throw new Error(`cannot find package ${name}`);
}

/** Builds of earlier sources are never served again; staging dirs of running builds are kept. */
async function pruneOtherBuilds(cacheDir: string, keep: string): Promise<void> {
  for (const entry of await readdir(cacheDir)) {
    if (entry !== keep && BUILD_DIR.test(entry))
      await rm(join(cacheDir, entry), { recursive: true, force: true });
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
