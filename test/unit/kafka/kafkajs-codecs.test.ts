import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { splitBatches } from "../../../local/kafka/protocol/produced-batches";
import { Reader } from "../../../local/kafka/protocol/reader";
import * as codecs from "../../../local/kafka/protocol/requests";
import type { ApiCodec } from "../../../local/kafka/protocol/requests/codec";
import { Writer } from "../../../local/kafka/protocol/writer";

// kafkajs's own request encoders and response decoders are the oracle: what it writes we must
// read, and what we write it must read back, version by version.
const require = createRequire(import.meta.url);
type KafkajsRequest = { encode: () => Promise<{ buffer: Buffer }> };
const kafkajs = (api: string, version: number) => ({
  request: require(`kafkajs/src/protocol/requests/${api}/v${version}/request`) as (
    args: unknown,
  ) => KafkajsRequest,
  response: require(`kafkajs/src/protocol/requests/${api}/v${version}/response`) as {
    decode: (buf: Buffer) => Promise<Record<string, unknown>>;
  },
});

async function decodeWithOurs<Req, Res>(
  codec: ApiCodec<Req, Res>,
  api: string,
  version: number,
  args: unknown,
) {
  const { buffer } = await kafkajs(api, version).request(args).encode();
  const r = new Reader(buffer);
  const req = codec.versions[version].request(r);
  expect(r.remaining).toBe(0);
  return req;
}

async function encodeWithOurs<Req, Res>(codec: ApiCodec<Req, Res>, api: string, version: number, res: Res) {
  const w = new Writer();
  codec.versions[version].response(w, res);
  return kafkajs(api, version).response.decode(Buffer.from(w.toBuffer()));
}

const Long = require("kafkajs/src/utils/long");

describe("requests encoded by kafkajs decode with our codecs", () => {
  it.each([3, 5, 7])("Produce v%i with an idempotent record batch", async (v) => {
    const req = await decodeWithOurs(codecs.produce, "produce", v, {
      acks: -1,
      timeout: 30000,
      producerId: Long.fromNumber(4242),
      producerEpoch: 0,
      topicData: [
        {
          topic: "payments",
          partitions: [
            { partition: 2, firstSequence: 7, messages: [{ key: "acme", value: "a" }, { value: "b" }] },
          ],
        },
      ],
    });
    expect(req.acks).toBe(-1);
    expect(req.topics[0].name).toBe("payments");
    const [{ header }] = splitBatches(req.topics[0].partitions[0].records ?? Buffer.alloc(0));
    expect(header).toMatchObject({ producerId: 4242n, baseSequence: 7, recordCount: 2, lastOffsetDelta: 1 });
  });

  it.each([4, 5, 7, 9, 11])("Fetch v%i", async (v) => {
    const req = await decodeWithOurs(codecs.fetch, "fetch", v, {
      replicaId: -1,
      maxWaitTime: 500,
      minBytes: 1,
      maxBytes: 10485760,
      isolationLevel: 1,
      topics: [{ topic: "t", partitions: [{ partition: 1, fetchOffset: "42", maxBytes: 1048576 }] }],
    });
    expect(req).toMatchObject({ maxWaitMs: 500, minBytes: 1, isolationLevel: 1 });
    expect(req.topics[0].partitions[0]).toMatchObject({
      partition: 1,
      fetchOffset: 42n,
      partitionMaxBytes: 1048576,
    });
  });

  it.each([0, 1, 4, 6])("Metadata v%i", async (v) => {
    const req = await decodeWithOurs(codecs.metadata, "metadata", v, {
      topics: ["a", "b"],
      allowAutoTopicCreation: false,
    });
    expect(req.topics).toEqual(["a", "b"]);
    expect(req.allowAutoTopicCreation).toBe(v < 4);
  });

  it.each([0, 1, 5])("JoinGroup v%i", async (v) => {
    const req = await decodeWithOurs(codecs.joinGroup, "joinGroup", v, {
      groupId: "risk",
      sessionTimeout: 30000,
      rebalanceTimeout: 60000,
      memberId: "",
      protocolType: "consumer",
      groupProtocols: [{ name: "RoundRobinAssigner", metadata: Buffer.from([1, 2]) }],
    });
    expect(req).toMatchObject({
      groupId: "risk",
      sessionTimeoutMs: 30000,
      memberId: "",
      protocolType: "consumer",
    });
    expect(req.rebalanceTimeoutMs).toBe(v === 0 ? 30000 : 60000);
    expect(req.protocols[0].name).toBe("RoundRobinAssigner");
  });

  it.each([0, 3])("SyncGroup v%i", async (v) => {
    const req = await decodeWithOurs(codecs.syncGroup, "syncGroup", v, {
      groupId: "risk",
      generationId: 3,
      memberId: "m1",
      groupAssignment: [{ memberId: "m1", memberAssignment: Buffer.from("x") }],
    });
    expect(req).toMatchObject({ groupId: "risk", generationId: 3, memberId: "m1" });
    expect(req.assignments[0].assignment.toString()).toBe("x");
  });

  it.each([2, 5])("OffsetCommit v%i", async (v) => {
    const req = await decodeWithOurs(codecs.offsetCommit, "offsetCommit", v, {
      groupId: "risk",
      groupGenerationId: 2,
      memberId: "m1",
      retentionTime: -1,
      topics: [{ topic: "t", partitions: [{ partition: 0, offset: "17" }] }],
    });
    expect(req.topics[0].partitions[0]).toMatchObject({ partitionIndex: 0, committedOffset: 17n });
  });

  it.each([1, 4])("OffsetFetch v%i", async (v) => {
    const req = await decodeWithOurs(codecs.offsetFetch, "offsetFetch", v, {
      groupId: "risk",
      topics: [{ topic: "t", partitions: [{ partition: 0 }, { partition: 3 }] }],
    });
    expect(req).toEqual({ groupId: "risk", topics: [{ name: "t", partitionIndexes: [0, 3] }] });
  });

  it.each([1, 3])("ListOffsets v%i", async (v) => {
    const req = await decodeWithOurs(codecs.listOffsets, "listOffsets", v, {
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ topic: "t", partitions: [{ partition: 0, timestamp: "-2" }] }],
    });
    expect(req.topics[0].partitions[0]).toEqual({ partitionIndex: 0, timestamp: -2n });
  });

  it.each([0, 3])("CreateTopics v%i with configs", async (v) => {
    const req = await decodeWithOurs(codecs.createTopics, "createTopics", v, {
      topics: [
        {
          topic: "t",
          numPartitions: 3,
          replicationFactor: 1,
          configEntries: [{ name: "retention.ms", value: "1" }],
        },
      ],
      timeout: 1000,
      validateOnly: false,
    });
    expect(req.topics[0]).toMatchObject({
      name: "t",
      numPartitions: 3,
      configs: [{ name: "retention.ms", value: "1" }],
    });
  });

  it("LeaveGroup v3, Heartbeat v3, FindCoordinator v2, InitProducerId v1, DescribeConfigs v2", async () => {
    const leave = await decodeWithOurs(codecs.leaveGroup, "leaveGroup", 3, {
      groupId: "g",
      members: [{ memberId: "m" }],
    });
    expect(leave.members).toEqual([{ memberId: "m", groupInstanceId: null }]);
    const hb = await decodeWithOurs(codecs.heartbeat, "heartbeat", 3, {
      groupId: "g",
      groupGenerationId: 4,
      memberId: "m",
    });
    expect(hb).toMatchObject({ generationId: 4, memberId: "m" });
    const fc = await decodeWithOurs(codecs.findCoordinator, "findCoordinator", 2, {
      coordinatorKey: "g",
      coordinatorType: 0,
    });
    expect(fc).toEqual({ key: "g", keyType: 0 });
    const init = await decodeWithOurs(codecs.initProducerId, "initProducerId", 1, {
      transactionalId: null,
      transactionTimeout: 5000,
    });
    expect(init).toEqual({ transactionalId: null, transactionTimeoutMs: 5000 });
    const dc = await decodeWithOurs(codecs.describeConfigs, "describeConfigs", 2, {
      resources: [{ type: 2, name: "t", configNames: ["retention.ms"] }],
      includeSynonyms: false,
    });
    expect(dc.resources).toEqual([
      { resourceType: 2, resourceName: "t", configurationKeys: ["retention.ms"] },
    ]);
  });
  it.each([0, 1])("CreatePartitions v%i", async (v) => {
    const req = await decodeWithOurs(codecs.createPartitions, "createPartitions", v, {
      topicPartitions: [{ topic: "payments.initiated", count: 12 }],
      timeout: 3000,
      validateOnly: true,
    });
    expect(req).toEqual({
      topics: [{ name: "payments.initiated", count: 12, assignments: null }], // kafkajs sends no assignments as null
      timeoutMs: 3000,
      validateOnly: true,
    });
  });

  it.each([0, 1])("AlterConfigs v%i", async (v) => {
    const req = await decodeWithOurs(codecs.alterConfigs, "alterConfigs", v, {
      validateOnly: false,
      resources: [
        { type: 2, name: "payments.initiated", configEntries: [{ name: "retention.ms", value: "3600000" }] },
      ],
    });
    expect(req).toEqual({
      validateOnly: false,
      resources: [
        {
          resourceType: 2,
          resourceName: "payments.initiated",
          configs: [{ name: "retention.ms", value: "3600000" }],
        },
      ],
    });
  });
});

describe("responses encoded by our codecs decode with kafkajs", () => {
  it.each([0, 1])("CreatePartitions v%i", async (v) => {
    const res = await encodeWithOurs(codecs.createPartitions, "createPartitions", v, {
      throttleTimeMs: 0,
      results: [{ name: "payments.initiated", errorCode: 0, errorMessage: null }],
    });
    expect(res).toMatchObject({
      throttleTime: 0,
      topicErrors: [{ topic: "payments.initiated", errorCode: 0, errorMessage: null }],
    });
  });

  it.each([0, 1])("AlterConfigs v%i", async (v) => {
    const res = await encodeWithOurs(codecs.alterConfigs, "alterConfigs", v, {
      throttleTimeMs: 0,
      responses: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: "payments.initiated" }],
    });
    expect(res).toMatchObject({
      throttleTime: 0,
      resources: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: "payments.initiated" }],
    });
  });

  it.each([0, 1, 2])("ApiVersions v%i", async (v) => {
    const res = await encodeWithOurs(codecs.apiVersions, "apiVersions", v, {
      errorCode: 0,
      apiKeys: [{ apiKey: 3, minVersion: 0, maxVersion: 6 }],
      throttleTimeMs: 0,
    });
    expect(res.apiVersions).toEqual([{ apiKey: 3, minVersion: 0, maxVersion: 6 }]);
  });

  it.each([0, 1, 2, 3, 5, 6])("Metadata v%i", async (v) => {
    const res = await encodeWithOurs(codecs.metadata, "metadata", v, {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 1, host: "127.0.0.1", port: 9092, rack: null }],
      clusterId: "payrail-local",
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: "t",
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partitionIndex: 0,
              leaderId: 1,
              replicaNodes: [1],
              isrNodes: [1],
              offlineReplicas: [],
            },
          ],
        },
      ],
    });
    expect(res.brokers).toMatchObject([{ nodeId: 1, host: "127.0.0.1", port: 9092 }]);
    expect(res.topicMetadata).toMatchObject([
      { topic: "t", partitionMetadata: [{ partitionId: 0, leader: 1 }] },
    ]);
    if (v >= 1) expect(res.controllerId).toBe(1);
  });

  it.each([3, 5, 7])("Produce v%i", async (v) => {
    const res = await encodeWithOurs(codecs.produce, "produce", v, {
      throttleTimeMs: 0,
      topics: [
        {
          name: "t",
          partitions: [{ index: 1, errorCode: 0, baseOffset: 99n, logAppendTimeMs: -1n, logStartOffset: 0n }],
        },
      ],
    });
    expect(res.topics).toMatchObject([
      { topicName: "t", partitions: [{ partition: 1, errorCode: 0, baseOffset: "99" }] },
    ]);
  });

  it.each([4, 5, 7, 11])("Fetch v%i carrying a batch kafkajs itself encoded", async (v) => {
    const { buffer } = await kafkajs("produce", 7)
      .request({
        acks: 1,
        timeout: 1,
        topicData: [{ topic: "t", partitions: [{ partition: 0, messages: [{ key: "k", value: "hello" }] }] }],
      })
      .encode();
    const produced = codecs.produce.versions[7].request(new Reader(buffer));
    const records = produced.topics[0].partitions[0].records ?? Buffer.alloc(0);
    // Decoded from one buffer, the records are one slice of it.
    if (!Buffer.isBuffer(records)) throw new Error("records of a one-buffer frame should be one buffer");
    const batch = records;
    const res = await encodeWithOurs(codecs.fetch, "fetch", v, {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: "t",
          partitions: [
            {
              partition: 0,
              errorCode: 0,
              highWatermark: 1n,
              lastStableOffset: 1n,
              logStartOffset: 0n,
              abortedTransactions: [],
              preferredReadReplica: -1,
              records: [batch],
            },
          ],
        },
      ],
    });
    const [partition] = (
      res.responses as { partitions: { highWatermark: string; messages: { value: Buffer }[] }[] }[]
    )[0].partitions;
    expect(partition.highWatermark).toBe("1");
    expect(partition.messages.map((m) => m.value.toString())).toEqual(["hello"]);
  });

  it.each([0, 2, 5])("JoinGroup v%i", async (v) => {
    const res = await encodeWithOurs(codecs.joinGroup, "joinGroup", v, {
      throttleTimeMs: 0,
      errorCode: 0,
      generationId: 5,
      protocolName: "RoundRobinAssigner",
      leader: "m1",
      memberId: "m1",
      members: [{ memberId: "m1", groupInstanceId: null, metadata: Buffer.from([9]) }],
    });
    expect(res).toMatchObject({
      generationId: 5,
      groupProtocol: "RoundRobinAssigner",
      leaderId: "m1",
      memberId: "m1",
    });
  });

  it.each([0, 1, 3])("SyncGroup v%i", async (v) => {
    const res = await encodeWithOurs(codecs.syncGroup, "syncGroup", v, {
      throttleTimeMs: 0,
      errorCode: 0,
      assignment: Buffer.from("plan"),
    });
    expect((res.memberAssignment as Buffer).toString()).toBe("plan");
  });

  it.each([1, 2, 3, 4])("OffsetFetch v%i", async (v) => {
    const res = await encodeWithOurs(codecs.offsetFetch, "offsetFetch", v, {
      throttleTimeMs: 0,
      errorCode: 0,
      topics: [
        { name: "t", partitions: [{ partitionIndex: 0, committedOffset: 12n, metadata: "", errorCode: 0 }] },
      ],
    });
    expect(res.responses).toMatchObject([{ topic: "t", partitions: [{ partition: 0, offset: "12" }] }]);
  });

  it("ListOffsets v3, FindCoordinator v2, InitProducerId v1, CreateTopics v3, DescribeGroups v2, ListGroups v2", async () => {
    const lo = await encodeWithOurs(codecs.listOffsets, "listOffsets", 3, {
      throttleTimeMs: 0,
      topics: [{ name: "t", partitions: [{ partitionIndex: 0, errorCode: 0, timestamp: -1n, offset: 8n }] }],
    });
    expect(lo.responses).toMatchObject([{ topic: "t", partitions: [{ partition: 0, offset: "8" }] }]);
    const fc = await encodeWithOurs(codecs.findCoordinator, "findCoordinator", 2, {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      nodeId: 1,
      host: "127.0.0.1",
      port: 9092,
    });
    expect(fc.coordinator).toEqual({ nodeId: 1, host: "127.0.0.1", port: 9092 });
    const ip = await encodeWithOurs(codecs.initProducerId, "initProducerId", 1, {
      throttleTimeMs: 0,
      errorCode: 0,
      producerId: 1795756432000000n,
      producerEpoch: 0,
    });
    expect(ip.producerId).toBe("1795756432000000");
    const ct = await encodeWithOurs(codecs.createTopics, "createTopics", 3, {
      throttleTimeMs: 0,
      topics: [{ name: "t", errorCode: 36, errorMessage: "exists" }],
    });
    expect(ct.topicErrors).toMatchObject([{ topic: "t", errorCode: 36 }]);
    const dg = await encodeWithOurs(codecs.describeGroups, "describeGroups", 2, {
      throttleTimeMs: 0,
      groups: [
        {
          errorCode: 0,
          groupId: "g",
          groupState: "Stable",
          protocolType: "consumer",
          protocolData: "rr",
          members: [],
        },
      ],
    });
    expect(dg.groups).toMatchObject([{ groupId: "g", state: "Stable", protocol: "rr" }]);
    const lg = await encodeWithOurs(codecs.listGroups, "listGroups", 2, {
      throttleTimeMs: 0,
      errorCode: 0,
      groups: [{ groupId: "g", protocolType: "consumer" }],
    });
    expect(lg.groups).toEqual([{ groupId: "g", protocolType: "consumer" }]);
  });
});
