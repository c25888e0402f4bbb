import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createTracer, traced, tracingWanted } from "../../../consumers/platform/observability";

describe("tracer", () => {
  it("traces only inside Lambda, unless switched off or under SAM local / Amplify mock", () => {
    const lambda = { AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x" };
    expect(tracingWanted(lambda)).toBe(true);
    expect(tracingWanted({})).toBe(false);
    expect(tracingWanted({ ...lambda, POWERTOOLS_TRACE_ENABLED: "FALSE" })).toBe(false);
    expect(tracingWanted({ ...lambda, AWS_SAM_LOCAL: "true" })).toBe(false);
    expect(tracingWanted({ AWS_EXECUTION_ENV: "AWS_Lambda_amplify-mock" })).toBe(false);
  });

  it("off Lambda is a no-op that still runs the work and passes clients through", async () => {
    const tracer = createTracer("test");
    expect(tracer.isTracingEnabled()).toBe(false);
    const client = { send: () => "sent" };
    expect(tracer.captureAWSv3Client(client)).toBe(client);
    await expect(traced(tracer, "work", async () => 42)).resolves.toBe(42);
  });

  // The reason for the lazy load: X-Ray's async_hooks namespace must not exist locally.
  it.each([
    ["off Lambda", {}, "[]"],
    ["on Lambda", { AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x" }, '["AWSXRay"]'],
  ])("loads the X-Ray SDK only where it traces (%s)", (_name, env, namespaces) => {
    const script = [
      'const { createTracer } = await import("./consumers/platform/observability.ts");',
      'createTracer("probe");',
      "console.log(JSON.stringify(Object.keys(process.namespaces ?? {})));",
    ].join("\n");
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: { PATH: process.env.PATH, ...env },
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe(namespaces);
  });
});
