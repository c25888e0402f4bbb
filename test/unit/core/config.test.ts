import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  allTopics,
  ConfigError,
  DEFAULT_RETENTION_MS,
  loadConfig,
  parsePipelineConfig,
  parseRegionConfig,
  parseTenantConfig,
  type TenantConfig,
  writeTenantConfig,
} from "../../../core/config";
import { thrown } from "./thrown";

const region = () => ({
  id: "eu",
  name: "Europe",
  awsRegion: "eu-central-1",
  currencies: ["EUR"],
  rails: { SEPA_CREDIT: "sepa", CARD: "card" },
  cutOff: { time: "15:00", timeZone: "Europe/Berlin" },
  limits: { maxAmountMinor: { EUR: "10000000" } },
  blockedCountries: ["KP"],
});

const tenant = () => ({
  id: "acme",
  name: "ACME",
  region: "eu",
  limits: {
    reviewThresholdMinor: { EUR: "100000" },
    maxAmountMinor: { EUR: "1000000" },
    velocity: { maxCount: 20, windowSeconds: 3600 },
  },
  idempotencyTtlHours: 24,
  blockedCurrencies: [],
  blockedCountries: [],
  scopes: { partner: ["payments:write"], admin: ["payments:write", "payments:review"] },
});

function configError(run: () => unknown): ConfigError {
  return thrown(ConfigError, run);
}

describe("the repository's config/", () => {
  it("loads the demo regions, tenants and pipeline", async () => {
    const config = await loadConfig("config");
    expect([...config.regions.keys()].sort()).toEqual(["br", "eu", "in", "uk", "us"]);
    expect(config.regions.get("eu")?.rails).toEqual({ SEPA_CREDIT: "sepa", CARD: "card" });
    expect(config.regions.get("us")?.rails).toEqual({ ACH: "ach", CARD: "card" });
    expect(config.regions.get("br")?.currencies).toEqual(["BRL"]);
    expect(config.regions.get("in")?.rails).toEqual({ UPI: "upi" });
    expect(config.regions.get("uk")?.rails).toEqual({ FASTER_PAYMENTS: "fps", CARD: "card" });
    expect(config.tenants.get("acme")?.region).toBe("eu");
    expect(config.tenants.get("globex")?.region).toBe("us");
    expect(config.tenants.get("acme")?.limits.maxAmountMinor.EUR).toBe(1_000_000n);
    expect(config.pipeline.partitions.map((r) => [r.paymentType, r.first, r.count])).toEqual([
      ["CARD", 0, 4],
      ["SEPA_CREDIT", 4, 2],
      ["ACH", 6, 2],
      ["PIX", 8, 1],
      ["UPI", 9, 1],
      ["FASTER_PAYMENTS", 10, 2],
    ]);
    expect(config.pipeline.consumers.map((c) => c.name)).toEqual([
      "risk",
      "execution",
      "settlement",
      "status",
      "audit",
      "webhooks",
    ]);
    expect(allTopics(config.pipeline).map((t) => t.name)).toEqual([
      "payments.initiated",
      "payments.initiated.dlq",
      "payments.risk-assessed",
      "payments.risk-assessed.dlq",
      "payments.executed",
      "payments.executed.dlq",
      "payments.settled",
      "payments.settled.dlq",
    ]);
    expect(
      config.pipeline.topics.every((t) => t.partitions === 12 && t.retentionMs === DEFAULT_RETENTION_MS),
    ).toBe(true);
  });
});

describe("region config", () => {
  const file = "config/regions/eu.yaml";

  it("parses a valid region", () => {
    expect(parseRegionConfig(region(), file).limits.maxAmountMinor).toEqual({ EUR: 10_000_000n });
  });

  it.each<[string, (r: ReturnType<typeof region>) => unknown, string]>([
    [
      "unknown rail",
      (r) => ({ ...r, rails: { CARD: "stripe" } }),
      'rails.CARD: unknown rail adapter "stripe"',
    ],
    ["unknown payment type", (r) => ({ ...r, rails: { WIRE: "card" } }), "rails.WIRE: is not a payment type"],
    ["bad currency", (r) => ({ ...r, currencies: ["EURO"] }), "currencies[0]: must be ISO 4217 codes"],
    ["inactive currency", (r) => ({ ...r, currencies: ["XAU"] }), "currencies[0]: XAU is not an active"],
    [
      "bad cut-off",
      (r) => ({ ...r, cutOff: { time: "25:00", timeZone: "Europe/Berlin" } }),
      "cutOff.time: must be HH:MM",
    ],
    [
      "bad zone",
      (r) => ({ ...r, cutOff: { time: "15:00", timeZone: "Mars/Base" } }),
      "cutOff.timeZone: unknown IANA",
    ],
    [
      "float limit",
      (r) => ({ ...r, limits: { maxAmountMinor: { EUR: 100.5 } } }),
      "limits.maxAmountMinor.EUR: must be a quoted",
    ],
    ["typo", (r) => ({ ...r, blockedCountry: [] }), "blockedCountry: unknown field"],
    ["id vs file", (r) => ({ ...r, id: "us" }), "id: must match the file name (us.yaml)"],
  ])("names the field: %s", (_name, change, message) => {
    const error = configError(() => parseRegionConfig(change(region()), file));
    expect(error.message).toContain(`${file}: ${message}`);
  });
});

describe("tenant config", () => {
  const file = "config/tenants/acme.yaml";

  it("parses a valid tenant", () => {
    const parsed = parseTenantConfig(tenant(), file);
    expect(parsed.limits.reviewThresholdMinor.EUR).toBe(100_000n);
    expect(parsed.scopes.admin).toContain("payments:review");
    expect(parsed.ordering).toBe("tenant");
    expect(parseTenantConfig({ ...tenant(), ordering: "payment" }, file).ordering).toBe("payment");
  });

  it.each<[string, (t: ReturnType<typeof tenant>) => unknown, string]>([
    [
      "ttl too short",
      (t) => ({ ...t, idempotencyTtlHours: 12 }),
      "idempotencyTtlHours: must be between 24 and 744",
    ],
    [
      "ttl too long",
      (t) => ({ ...t, idempotencyTtlHours: 745 }),
      "idempotencyTtlHours: must be between 24 and 744",
    ],
    [
      "threshold over max",
      (t) => ({ ...t, limits: { ...t.limits, reviewThresholdMinor: { EUR: "2000000" } } }),
      "limits.reviewThresholdMinor.EUR: must not exceed",
    ],
    [
      "velocity missing",
      (t) => ({ ...t, limits: { ...t.limits, velocity: undefined } }),
      "limits.velocity: must be a mapping",
    ],
    [
      "bad scope",
      (t) => ({ ...t, scopes: { admin: ["everything"] } }),
      "scopes.admin[0]: must be scopes like",
    ],
    ["bad id", (t) => ({ ...t, id: "Acme" }), "id: must be 2-32 characters"],
    ["bad ordering", (t) => ({ ...t, ordering: "global" }), "ordering: must be tenant or payment"],
  ])("names the field: %s", (_name, change, message) => {
    expect(configError(() => parseTenantConfig(change(tenant()), file)).message).toContain(
      `${file}: ${message}`,
    );
  });
});

describe("pipeline config", () => {
  const file = "config/pipeline.yaml";
  const pipeline = () => ({
    partitions: [
      { paymentType: "CARD", count: 2 },
      { paymentType: "PIX", count: 1 },
      { paymentType: "SEPA_CREDIT", count: 1 },
      { paymentType: "ACH", count: 1 },
      { paymentType: "UPI", count: 1 },
      { paymentType: "FASTER_PAYMENTS", count: 1 },
    ],
    topics: [{ name: "payments.initiated", retentionMs: 3_600_000 }, { name: "payments.settled" }],
    consumers: [
      {
        name: "risk",
        handler: "consumers/risk/handler.ts",
        topics: ["payments.initiated"],
        batchSize: 10,
        batchWindowMs: 0,
        startingPosition: "LATEST",
        maxRetries: 2,
        reservedConcurrency: 1,
      },
    ],
  });

  it("allocates ranges in listed order and defaults retention to 30 days", () => {
    const parsed = parsePipelineConfig(pipeline(), file);
    expect(parsed.partitions.find((r) => r.paymentType === "PIX")).toEqual({
      paymentType: "PIX",
      first: 2,
      count: 1,
    });
    expect(parsed.topics).toEqual([
      { name: "payments.initiated", retentionMs: 3_600_000, partitions: 7, dlq: "payments.initiated.dlq" },
      { name: "payments.settled", retentionMs: 2_592_000_000, partitions: 7, dlq: "payments.settled.dlq" },
    ]);
  });

  it.each<[string, (p: ReturnType<typeof pipeline>) => unknown, string]>([
    [
      "missing type",
      (p) => ({ ...p, partitions: p.partitions.slice(1) }),
      "partitions: must list CARD exactly once",
    ],
    [
      "wrong handler",
      (p) => ({ ...p, consumers: [{ ...p.consumers[0], handler: "consumers/x.ts" }] }),
      "consumers[0].handler: must be consumers/risk/handler.ts",
    ],
    [
      "sub-second batching window",
      (p) => ({ ...p, consumers: [{ ...p.consumers[0], batchWindowMs: 50 }] }),
      "consumers[0].batchWindowMs: must be whole seconds (0, 1000, 2000, …)",
    ],
    [
      "unknown topic",
      (p) => ({ ...p, consumers: [{ ...p.consumers[0], topics: ["payments.nope"] }] }),
      'consumers[0].topics[0]: "payments.nope" is not a declared topic',
    ],
    [
      "bad position",
      (p) => ({ ...p, consumers: [{ ...p.consumers[0], startingPosition: "EARLIEST" }] }),
      "consumers[0].startingPosition: must be LATEST or TRIM_HORIZON",
    ],
    [
      "dlq declared",
      (p) => ({ ...p, topics: [{ name: "payments.x.dlq" }] }),
      "topics[0].name: must not end in .dlq",
    ],
  ])("names the field: %s", (_name, change, message) => {
    expect(configError(() => parsePipelineConfig(change(pipeline()), file)).message).toContain(
      `${file}: ${message}`,
    );
  });
});

describe("files", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "payrail-config-"));
    await cp("config", dir, { recursive: true });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const newTenant = (): TenantConfig => ({
    ...parseTenantConfig(tenant(), "acme.yaml"),
    id: "initech",
    name: "Initech UK",
    region: "uk",
    limits: {
      reviewThresholdMinor: { GBP: 50_000n },
      maxAmountMinor: { GBP: 500_000n },
      velocity: { maxCount: 5, windowSeconds: 600 },
    },
  });

  it("writes a tenant that loads back identically, and refuses to overwrite it", async () => {
    const file = await writeTenantConfig(dir, newTenant());
    expect(file).toBe(join(dir, "tenants", "initech.yaml"));
    expect(await readFile(file, "utf8")).toContain('GBP: "500000"');
    const config = await loadConfig(dir);
    expect(config.tenants.get("initech")).toEqual(newTenant());
    await expect(writeTenantConfig(dir, newTenant())).rejects.toThrow("tenant initech already exists");
  });

  it("refuses a tenant in an unknown region or with another region's currency", async () => {
    await expect(writeTenantConfig(dir, { ...newTenant(), id: "mars", region: "mars" })).rejects.toThrow(
      'region: unknown region "mars"',
    );
    const wrong = { ...newTenant(), id: "wrongcur", region: "eu" };
    await expect(writeTenantConfig(dir, wrong)).rejects.toThrow(
      "limits.reviewThresholdMinor.GBP: region eu does not offer GBP",
    );
  });

  it("names the file of broken YAML", async () => {
    const broken = await mkdtemp(join(tmpdir(), "payrail-config-broken-"));
    try {
      await cp("config", broken, { recursive: true });
      await writeFile(join(broken, "tenants", "bad.yaml"), "id: [unclosed\n");
      await expect(loadConfig(broken)).rejects.toThrow(
        `${join(broken, "tenants", "bad.yaml")}: (document): is not valid YAML`,
      );
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});
