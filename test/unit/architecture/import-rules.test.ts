// The layering of docs/architecture.md, checked on every import in the repo: core is pure,
// and neither the deployed code (consumers/) nor the CDK app (infra/) reaches into the
// local cloud.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "../../..");
const IMPORT = /(?:^|\s)(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: "utf8" })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => join(folder, file));
}

/** Every import of every file under `folder`: relative ones resolved to repo paths. */
function importsOf(folder: string): { file: string; target: string }[] {
  return sourceFiles(folder).flatMap((file) =>
    [...readFileSync(join(ROOT, file), "utf8").matchAll(IMPORT)].map((match) => {
      const spec = match[1] ?? match[2] ?? "";
      const target = spec.startsWith(".") ? relative(ROOT, resolve(ROOT, dirname(file), spec)) : spec;
      return { file, target };
    }),
  );
}

const inside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

describe("import rules", () => {
  it("finds the imports it checks", () => {
    expect(importsOf("core").length).toBeGreaterThan(50);
    expect(importsOf("consumers").some((i) => inside(i.target, "core"))).toBe(true);
  });

  it("core imports nothing outside core but node built-ins and its parsing libraries", () => {
    const allowedPackages = new Set(["ajv", "ajv-formats", "yaml"]);
    const outside = importsOf("core").filter(
      ({ target }) => !inside(target, "core") && !target.startsWith("node:") && !allowedPackages.has(target),
    );
    expect(outside).toEqual([]);
  });

  it("consumers import nothing from local/", () => {
    expect(importsOf("consumers").filter(({ target }) => inside(target, "local"))).toEqual([]);
  });

  it("persistence ports carry nothing DynamoDB: no AWS SDK, no adapter", () => {
    const ports = importsOf("consumers/persistence/ports");
    expect(ports.length).toBeGreaterThan(10);
    expect(
      ports.filter(
        ({ target }) => target.startsWith("@aws-sdk/") || inside(target, "consumers/persistence/dynamodb"),
      ),
    ).toEqual([]);
  });

  it("consumers reach the DynamoDB adapters only through the store factory", () => {
    const direct = importsOf("consumers").filter(
      ({ file, target }) =>
        inside(target, "consumers/persistence/dynamodb") && !inside(file, "consumers/persistence"),
    );
    expect(direct).toEqual([]);
  });

  it("infra imports nothing from local/", () => {
    expect(importsOf("infra").filter(({ target }) => inside(target, "local"))).toEqual([]);
  });

  it("local/ imports nothing from infra/ (the CDK app stays out of the local cloud)", () => {
    expect(importsOf("local").filter(({ target }) => inside(target, "infra"))).toEqual([]);
  });

  it("the client package imports only itself, its dependencies and node built-ins (it is published alone)", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "clients/typescript/package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const packageOf = (spec: string) =>
      spec
        .split("/")
        .slice(0, spec.startsWith("@") ? 2 : 1)
        .join("/");
    const outside = importsOf("clients/typescript/src").filter(
      ({ target }) =>
        !inside(target, "clients/typescript/src") &&
        !target.startsWith("node:") &&
        !(packageOf(target) in manifest.dependencies),
    );
    expect(importsOf("clients/typescript/src").length).toBeGreaterThan(5);
    expect(outside).toEqual([]);
  });

  it("nothing deployed or local imports the client package (it stays out of the Lambda bundles)", () => {
    const fromClient = ["core", "consumers", "resolvers", "infra", "local"]
      .flatMap(importsOf)
      .filter(({ target }) => inside(target, "clients") || target.startsWith("@payrail/client"));
    expect(fromClient).toEqual([]);
  });
});
