import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Broker } from "../../../local/kafka/broker";
import { ApiKey } from "../../../local/kafka/protocol/api-keys";
import { Reader } from "../../../local/kafka/protocol/reader";
import { Writer } from "../../../local/kafka/protocol/writer";
import { eventually, kafkaFor, removeDir, tempDir, testBroker } from "./helpers";
import { exchange, requestFrame } from "./raw-client";

const USERS = { "svc-risk": "s3cret-risk" };

describe("TLS listener and SASL/PLAIN", () => {
  let broker: Broker;
  let dir: string;
  let caFile: string;

  beforeAll(async () => {
    dir = await tempDir();
    broker = await testBroker({ dataDir: dir, tls: {}, sasl: { plainUsers: USERS } });
    caFile = join(dir, "ca.pem");
    await writeFile(caFile, broker.tlsCertificate ?? "");
  });
  afterAll(async () => {
    await broker.stop();
    await removeDir(dir);
  });

  it("serves kafkajs over TLS (certificate verified) with SASL/PLAIN", async () => {
    const kafka = kafkaFor(broker.tlsPort ?? 0, {
      ssl: { ca: [broker.tlsCertificate ?? ""] },
      sasl: { mechanism: "plain", username: "svc-risk", password: "s3cret-risk" },
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: "secure", numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: "secure", messages: [{ value: "over tls" }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: "secure-reader", maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: "secure", fromBeginning: true });
    const values: string[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? ""),
    });
    await eventually(() => values.length === 1);
    await consumer.disconnect();
    expect(values).toEqual(["over tls"]);
  });

  it("refuses a wrong password and any request before authentication", async () => {
    const wrong = kafkaFor(broker.port, {
      sasl: { mechanism: "plain", username: "svc-risk", password: "guess" },
      retry: { retries: 0 },
    });
    const admin = wrong.admin();
    await expect(admin.connect()).rejects.toThrow(/SASL|auth/i);
    const metadataBody = Buffer.from([0xff, 0xff, 0xff, 0xff, 0]);
    const early = await exchange(broker.port, requestFrame(ApiKey.Metadata, 4, 1, metadataBody));
    expect(early.closedByBroker).toBe(true);
    expect(early.responses).toHaveLength(0);
  });

  it("supports the SaslHandshake v0 flow, where the token follows as a bare frame", async () => {
    const handshake = requestFrame(ApiKey.SaslHandshake, 0, 9, new Writer().string("PLAIN").toBuffer());
    const token = (password: string) => {
      const t = Buffer.from(`\u0000svc-risk\u0000${password}`);
      return Buffer.concat([new Writer().int32(t.length).toBuffer(), t]);
    };
    const good = await exchange(broker.port, Buffer.concat([handshake, token("s3cret-risk")]), 2);
    expect(new Reader(good.responses[0]).int32()).toBe(9);
    expect(good.responses[1]).toHaveLength(0);
    const bad = await exchange(broker.port, Buffer.concat([handshake, token("nope")]), 2);
    expect(bad.responses).toHaveLength(1);
    expect(bad.closedByBroker).toBe(true);
  });

  it("keeps the certificate across restarts (generated at first start only)", async () => {
    const again = await testBroker({ dataDir: dir, tls: {} });
    await again.stop();
    expect(again.tlsCertificate).toBe(broker.tlsCertificate);
  });

  it("serves kcat with security.protocol=sasl_ssl", async () => {
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = execFile(
        "kcat",
        [
          "-b",
          `127.0.0.1:${broker.tlsPort}`,
          "-L",
          "-X",
          "security.protocol=sasl_ssl",
          "-X",
          `ssl.ca.location=${caFile}`,
          "-X",
          "sasl.mechanisms=PLAIN",
          "-X",
          "sasl.username=svc-risk",
          "-X",
          "sasl.password=s3cret-risk",
        ],
        { timeout: 20_000 },
        (err, out) => resolve({ code: err ? 1 : 0, stdout: out }),
      );
      child.stdin?.end();
    });
    expect(code).toBe(0);
    expect(stdout).toContain(`broker 1 at 127.0.0.1:${broker.tlsPort}`);
  });
});
