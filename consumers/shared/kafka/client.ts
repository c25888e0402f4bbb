// One kafkajs client per process; the log level stays quiet because the pipeline logs
// through Powertools with tenant and correlation ids, which kafkajs cannot add.
import { Kafka, logLevel } from "kafkajs";

export type KafkaConnection = { brokers: string[]; clientId: string };

export function kafkaClient({ brokers, clientId }: KafkaConnection): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 8 },
  });
}
