// One kafkajs client per process; the log level stays quiet because the pipeline logs
// through Powertools with tenant and correlation ids, which kafkajs cannot add.
// On MSK (`auth: "aws-msk-iam"`, or PAYRAIL_KAFKA_AUTH set so by the CDK app) the client
// speaks TLS and SASL/OAUTHBEARER with a token signed by the function's IAM role.
import { generateAuthToken } from "aws-msk-iam-sasl-signer-js";
import { Kafka, type KafkaConfig, logLevel } from "kafkajs";

export type KafkaAuth = "none" | "aws-msk-iam";
export type KafkaConnection = { brokers: string[]; clientId: string; auth?: KafkaAuth };

export function mskIamSecurity(region: string): Pick<KafkaConfig, "ssl" | "sasl"> {
  return {
    ssl: true,
    sasl: {
      mechanism: "oauthbearer",
      oauthBearerProvider: async () => ({ value: (await generateAuthToken({ region })).token }),
    },
  };
}

export function kafkaClient({ brokers, clientId, auth }: KafkaConnection, env = process.env): Kafka {
  const mode = auth ?? (env.PAYRAIL_KAFKA_AUTH as KafkaAuth | undefined) ?? "none";
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 8 },
    ...(mode === "aws-msk-iam" ? mskIamSecurity(env.AWS_REGION ?? "eu-west-1") : {}),
  });
}
