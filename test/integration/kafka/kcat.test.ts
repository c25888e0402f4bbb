import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Broker } from "../../../local/kafka/broker";
import { parseBatchHeader } from "../../../local/kafka/protocol/record-batch";
import { testBroker } from "./helpers";

/** Runs kcat (librdkafka 2.x) without blocking the in-process broker's event loop. */
function kcat(
  port: number,
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      "kcat",
      ["-b", `127.0.0.1:${port}`, ...args],
      { timeout: 20_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input ?? "");
  });
}

const lines = (s: string) => s.split("\n").filter((l) => l !== "" && !l.startsWith("%"));

describe("kcat (librdkafka) against the broker", () => {
  let broker: Broker;

  beforeAll(async () => {
    broker = await testBroker({ autoCreateTopics: true, defaultPartitions: 3 });
  });
  afterAll(() => broker.stop());

  it("lists metadata with this broker as controller", async () => {
    await broker.store.createTopic("payments.executed", 2);
    const { code, stdout } = await kcat(broker.port, ["-L"]);
    expect(code).toBe(0);
    expect(stdout).toContain(`broker 1 at 127.0.0.1:${broker.port} (controller)`);
    expect(stdout).toMatch(/topic "payments.executed" with 2 partitions/);
  });

  it("produces with acks=all and consumes the same records back in order", async () => {
    const input = Array.from({ length: 30 }, (_, i) => `acme:event-${i}`).join("\n");
    const produced = await kcat(
      broker.port,
      ["-P", "-t", "kcat.plain", "-p", "0", "-K:", "-X", "acks=all"],
      input,
    );
    expect(produced.code).toBe(0);
    expect(broker.store.partition("kcat.plain", 0)?.highWatermark).toBe(30n);
    const consumed = await kcat(broker.port, ["-C", "-t", "kcat.plain", "-p", "0", "-e", "-f", "%o %k %s\n"]);
    expect(consumed.code).toBe(0);
    expect(lines(consumed.stdout)).toEqual(Array.from({ length: 30 }, (_, i) => `${i} acme event-${i}`));
  });

  it("accepts librdkafka's idempotent producer (InitProducerId, sequences, up to 5 in flight)", async () => {
    const input = Array.from({ length: 2000 }, (_, i) => `idem-${i}`).join("\n");
    const args = [
      "-P",
      "-t",
      "kcat.idempotent",
      "-p",
      "0",
      "-X",
      "enable.idempotence=true",
      "-X",
      "linger.ms=0",
    ];
    const produced = await kcat(broker.port, [...args, "-X", "batch.num.messages=50"], input);
    expect(produced.code).toBe(0);
    const batches = [...(broker.store.partition("kcat.idempotent", 0)?.batchesFrom(0n) ?? [])].map(
      parseBatchHeader,
    );
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.every((b) => b.producerId >= 0n && b.producerId === batches[0].producerId)).toBe(true);
    // Sequences run on without gaps across batches.
    for (let i = 1; i < batches.length; i++) {
      expect(batches[i].baseSequence).toBe(batches[i - 1].baseSequence + batches[i - 1].recordCount);
    }
    const consumed = await kcat(broker.port, ["-C", "-t", "kcat.idempotent", "-e", "-f", "%s\n"]);
    expect(lines(consumed.stdout)).toEqual(input.split("\n"));
  });

  it("passes zstd batches through untouched", async () => {
    const input = Array.from({ length: 20 }, (_, i) => `zstd record ${i} `.repeat(10)).join("\n");
    expect((await kcat(broker.port, ["-P", "-t", "kcat.zstd", "-p", "0", "-z", "zstd"], input)).code).toBe(0);
    const stored = broker.store.partition("kcat.zstd", 0)?.read(0n, 1 << 20) ?? [];
    expect(stored.length).toBeGreaterThan(0);
    expect(parseBatchHeader(stored[0]).attributes & 7).toBe(4);
    const consumed = await kcat(broker.port, ["-C", "-t", "kcat.zstd", "-e", "-f", "%s\n"]);
    expect(lines(consumed.stdout)).toEqual(input.split("\n"));
  });

  it("consumes as a balanced group (-G) and resumes from the committed offsets", async () => {
    const input = Array.from({ length: 12 }, (_, i) => `t${i % 4}:g-${i}`).join("\n");
    expect((await kcat(broker.port, ["-P", "-t", "kcat.group", "-K:"], input)).code).toBe(0);
    const group = ["-G", "kcat-audit", "-e", "-f", "%s\n", "-X", "auto.offset.reset=earliest", "kcat.group"];
    const first = await kcat(broker.port, group);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("rebalanced");
    expect(lines(first.stdout).sort()).toEqual(
      input
        .split("\n")
        .map((l) => l.split(":")[1])
        .sort(),
    );
    const committed = [0, 1, 2].map(
      (p) => broker.store.offsets.fetch("kcat-audit", "kcat.group", p)?.offset ?? 0n,
    );
    expect(committed.reduce((a, b) => a + b, 0n)).toBe(12n);

    expect((await kcat(broker.port, ["-P", "-t", "kcat.group", "-K:"], "t9:late")).code).toBe(0);
    const second = await kcat(broker.port, group);
    expect(lines(second.stdout)).toEqual(["late"]);
  });
});
