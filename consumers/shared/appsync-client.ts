// The status service's way into AppSync: the internal `publishPaymentUpdate` mutation,
// authorised by the function's IAM role (SigV4, service "appsync"), which AppSync then
// fans out to the tenant's `onPaymentUpdated` subscribers.
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { PaymentUpdate, PaymentUpdateInput } from "../../core/generated/graphql";

export type AwsCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export type AppSyncClientOptions = {
  /** GraphQL endpoint, e.g. https://<id>.appsync-api.<region>.amazonaws.com/graphql. */
  url: string;
  region: string;
  credentials: AwsCredentials;
  fetch?: typeof fetch;
};

export type PaymentUpdatePublisher = {
  publishPaymentUpdate(input: PaymentUpdateInput): Promise<PaymentUpdate>;
  /**
   * Several updates in one request, as many `publishPaymentUpdate` fields of one mutation
   * operation (aliased u0, u1, …); GraphQL runs a mutation's root fields one after another,
   * in order, and each is a mutation subscribers are told of. Optional: without it the
   * updates go one request each.
   */
  publishPaymentUpdates?(inputs: readonly PaymentUpdateInput[]): Promise<PaymentUpdate[]>;
};

const UPDATE_FIELDS = `tenantId paymentId status previousStatus paymentType amount currency
    sequence eventType reason correlationId occurredAt`;

const PUBLISH = `mutation PublishPaymentUpdate($input: PaymentUpdateInput!) {
  publishPaymentUpdate(input: $input) {
    ${UPDATE_FIELDS}
  }
}`;

/** The mutation publishing `count` updates, variables $i0…; the same text for the same count. */
const publishMany = (count: number): string => {
  const variables = Array.from({ length: count }, (_, i) => `$i${i}: PaymentUpdateInput!`).join(", ");
  const fields = Array.from(
    { length: count },
    (_, i) => `  u${i}: publishPaymentUpdate(input: $i${i}) {\n    ${UPDATE_FIELDS}\n  }`,
  ).join("\n");
  return `mutation PublishPaymentUpdates(${variables}) {\n${fields}\n}`;
};

/** At most this many updates go in one request (a bounded resolver count and body). */
export const MAX_UPDATES_PER_REQUEST = 50;

export class AppSyncRequestError extends Error {
  override name = "AppSyncRequestError";
}

export function iamAppSyncClient(options: AppSyncClientOptions): PaymentUpdatePublisher {
  const signer = new SignatureV4({
    service: "appsync",
    region: options.region,
    credentials: options.credentials,
    sha256: Hash.bind(null, "sha256"),
  });
  const send = options.fetch ?? fetch;
  const url = new URL(options.url);

  const post = async (query: string, variables: Record<string, unknown>) => {
    const body = JSON.stringify({ query, variables });
    const request = new HttpRequest({
      method: "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      headers: { "content-type": "application/json", host: url.host },
      body,
    });
    const signed = await signer.sign(request);
    const response = await send(options.url, { method: "POST", headers: signed.headers, body });
    const payload = (await response.json().catch(() => ({}))) as {
      data?: Record<string, PaymentUpdate | null> | null;
      errors?: { message: string; errorType?: string }[];
    };
    const fail = () => {
      const reason = payload.errors?.map((e) => e.errorType ?? e.message).join(", ") ?? response.statusText;
      return new AppSyncRequestError(`publishPaymentUpdate failed (${response.status}): ${reason}`);
    };
    if (!response.ok || payload.errors?.length || !payload.data) throw fail();
    return { data: payload.data, fail };
  };

  return {
    async publishPaymentUpdate(input) {
      const { data, fail } = await post(PUBLISH, { input });
      const published = data.publishPaymentUpdate;
      if (!published) throw fail();
      return published;
    },

    async publishPaymentUpdates(inputs) {
      const published: PaymentUpdate[] = [];
      // One request after another, so that subscribers get the updates in this order.
      for (let at = 0; at < inputs.length; at += MAX_UPDATES_PER_REQUEST) {
        const chunk = inputs.slice(at, at + MAX_UPDATES_PER_REQUEST);
        const variables = Object.fromEntries(chunk.map((input, i) => [`i${i}`, input]));
        const { data, fail } = await post(publishMany(chunk.length), variables);
        for (let i = 0; i < chunk.length; i++) {
          const one = data[`u${i}`];
          if (!one) throw fail();
          published.push(one);
        }
      }
      return published;
    },
  };
}
