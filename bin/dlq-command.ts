// `payrail dlq list|replay --topic <topic> [--tenant <id>] [--brokers host:port]`.
import { kafkaClient } from "../consumers/platform/kafka-client";
import { listDeadLetters, replayDeadLetters } from "../local/esm/dlq";
import { readLocalStack } from "./local-stack";

export type DlqArgs = { action: string; topic?: string; tenant?: string; brokers?: string; data?: string };

export async function dlqCommand(args: DlqArgs, out: (line: string) => void): Promise<number> {
  if (!args.topic || (args.action !== "list" && args.action !== "replay")) {
    out("usage: payrail dlq list|replay --topic <topic> [--tenant <id>] [--brokers host:port]");
    return 2;
  }
  const brokers =
    args.brokers ?? process.env.KAFKA_BROKERS ?? (await readLocalStack(args.data))?.endpoints.kafka;
  if (!brokers) {
    out("no broker: start the stack (npm start) or pass --brokers");
    return 1;
  }
  const kafka = kafkaClient({ brokers: brokers.split(","), clientId: "payrail-cli" });
  if (args.action === "list") {
    const entries = await listDeadLetters(kafka, args.topic, args.tenant);
    for (const entry of entries) out(JSON.stringify(entry));
    out(`${entries.length} dead letter(s) in ${args.topic}.dlq${args.tenant ? ` for ${args.tenant}` : ""}`);
    return 0;
  }
  const replayed = await replayDeadLetters(kafka, args.topic, args.tenant);
  out(`replayed ${replayed} record(s) to ${args.topic}${args.tenant ? ` for ${args.tenant}` : ""}`);
  return 0;
}
