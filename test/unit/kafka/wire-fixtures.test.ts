import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ApiKey } from "../../../local/kafka/protocol/api-keys";
import { decodeRequestHeaderV1 } from "../../../local/kafka/protocol/header";
import { splitBatches } from "../../../local/kafka/protocol/produced-batches";
import { Reader } from "../../../local/kafka/protocol/reader";
import { API_CODECS } from "../../../local/kafka/protocol/requests";
import type { ApiVersionsRequest } from "../../../local/kafka/protocol/requests/api-versions/types";
import type { FetchRequest } from "../../../local/kafka/protocol/requests/fetch/types";
import type { JoinGroupRequest } from "../../../local/kafka/protocol/requests/join-group/types";
import type { MetadataRequest } from "../../../local/kafka/protocol/requests/metadata/types";
import type { ProduceRequest } from "../../../local/kafka/protocol/requests/produce/types";

// Request frames librdkafka 2.0 (kcat) and kafkajs 2.2 actually sent; see fixtures/capture.ts.
const dir = new URL("./fixtures/", import.meta.url);
const fixtures = readdirSync(dir).filter((f) => f.endsWith(".bin"));

function decode(file: string) {
  const r = new Reader(readFileSync(new URL(file, dir)));
  const header = decodeRequestHeaderV1(r);
  const api = API_CODECS.find((a) => a.key === header.apiKey);
  if (!api) throw new Error(`no codec for api ${header.apiKey}`);
  if (api.flexibleFrom !== undefined && header.apiVersion >= api.flexibleFrom) r.taggedFields();
  const body = api.versions[header.apiVersion].request(r) as unknown;
  return { header, body, remaining: r.remaining };
}

const fixture = (apiKey: number, version: number, client = "kcat") =>
  decode(`${client}-api${apiKey}-v${version}-request.bin`).body;

describe("client request fixtures", () => {
  it("has a fixture for each API kcat and kafkajs use", () => {
    expect(fixtures.filter((f) => f.startsWith("kcat-")).length).toBeGreaterThanOrEqual(12);
    expect(fixtures.filter((f) => f.startsWith("kafkajs-")).length).toBeGreaterThanOrEqual(19);
  });

  it.each(fixtures)("%s decodes completely", (file) => {
    const { header, remaining } = decode(file);
    expect(header.clientId).toBe(file.startsWith("kcat-") ? "rdkafka" : "payrail-test");
    expect(remaining).toBe(0);
  });

  it("kafkajs Produce v7 from an idempotent producer carries its producer id and sequence 0", () => {
    const req = fixture(ApiKey.Produce, 7, "kafkajs") as ProduceRequest;
    const [{ header }] = splitBatches(req.topics[0].partitions[0].records ?? Buffer.alloc(0));
    // The id our broker handed out when the fixture was captured (wall clock × 1000).
    expect(header.producerId).toBe(1795759389571000n);
    expect(header.producerEpoch).toBe(0);
    expect(header.baseSequence).toBe(0);
    expect(req.transactionalId).toBeNull();
  });

  it("kafkajs CreatePartitions v1 grows the fixture topic to 3, sending no assignments", () => {
    expect(fixture(ApiKey.CreatePartitions, 1, "kafkajs")).toEqual({
      topics: [{ name: "fixture-kafkajs", count: 3, assignments: null }],
      timeoutMs: 5000,
      validateOnly: false,
    });
  });

  it("kafkajs AlterConfigs v1 sets the fixture topic's retention.ms", () => {
    expect(fixture(ApiKey.AlterConfigs, 1, "kafkajs")).toEqual({
      resources: [
        {
          resourceType: 2,
          resourceName: "fixture-kafkajs",
          configs: [{ name: "retention.ms", value: "3600000" }],
        },
      ],
      validateOnly: false,
    });
  });

  it("kafkajs JoinGroup v5 offers its RoundRobinAssigner", () => {
    const req = fixture(ApiKey.JoinGroup, 5, "kafkajs") as JoinGroupRequest;
    expect(req.groupId).toBe("fixture-kafkajs-group");
    expect(req.protocols.map((p) => p.name)).toContain("RoundRobinAssigner");
  });

  it("ApiVersions v3 carries the client software name in compact strings", () => {
    const req = fixture(ApiKey.ApiVersions, 3) as ApiVersionsRequest;
    expect(req.clientSoftwareName).toBe("librdkafka");
    expect(req.clientSoftwareVersion).toMatch(/^2\./);
  });

  it("Metadata v4: librdkafka's first probe asks for brokers only (empty, not null, topic list)", () => {
    const req = fixture(ApiKey.Metadata, 4) as MetadataRequest;
    expect(req).toEqual({ topics: [], allowAutoTopicCreation: false });
  });

  it("Produce v7 carries verifiable v2 record batches with the keys sent", () => {
    const req = fixture(ApiKey.Produce, 7) as ProduceRequest;
    expect(req.acks).toBe(-1);
    const records = req.topics[0].partitions.map((p) => p.records).filter((r): r is Buffer => r !== null);
    const batches = records.flatMap((r) => splitBatches(r));
    expect(batches.map((b) => [b.header.magic, b.header.recordCount])).toEqual([[2, 2]]);
    const all = Buffer.concat(records).toString("latin1");
    expect(all.includes("acme") || all.includes("globex")).toBe(true);
  });

  it("Fetch v11 asks for the fixture topic with a rack id", () => {
    const req = fixture(ApiKey.Fetch, 11) as FetchRequest;
    expect(req.topics[0].topic).toBe("fixture");
    expect(req.rackId).toBe(""); // no client.rack set: empty, not null
    expect(req.isolationLevel).toBe(1); // librdkafka's default: read_committed
  });

  it("JoinGroup v5 offers consumer protocols (range, roundrobin)", () => {
    const req = fixture(ApiKey.JoinGroup, 5) as JoinGroupRequest;
    expect(req.groupId).toBe("fixture-group");
    expect(req.protocolType).toBe("consumer");
    expect(req.protocols.map((p) => p.name)).toEqual(expect.arrayContaining(["range", "roundrobin"]));
  });
});
