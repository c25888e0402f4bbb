import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../../core/config";
import { PRODUCED_TOPICS } from "../../../infra/service-topics";
import { TENANT_SERVICE_ACCESS } from "../../../infra/tenant-access";
import { REPO_ROOT } from "./synth";

describe("service wiring against config", () => {
  it("lets services produce only to topics config/pipeline.yaml declares", async () => {
    const { topics, consumers } = await loadPipeline(join(REPO_ROOT, "config"));
    const declared = new Set(topics.map((t) => t.name));
    for (const [service, produced] of Object.entries(PRODUCED_TOPICS)) {
      for (const topic of produced) expect(declared.has(topic), `${service} → ${topic}`).toBe(true);
    }
    // Every service with tenant access is an API handler, a configured consumer or a scheduled function.
    const services = new Set([
      ...consumers.map((c) => c.name),
      "initiation",
      "payments-api",
      "webhooks-api",
      "outbox-relay",
      "auth-sweeper",
      "webhook-send",
    ]);
    for (const service of Object.keys(TENANT_SERVICE_ACCESS))
      expect(services.has(service), service).toBe(true);
  });
});
