// The status service's way into AppSync: the internal `publishPaymentUpdate` mutation,
// authorised by the function's IAM role (SigV4, service "appsync"), which AppSync then
// fans out to the tenant's `onPaymentUpdated` subscribers. One update per request, the
// field never aliased: AppSync matches a mutation to its subscriptions by the response's
// field, and reports show aliased mutation fields (the only way to send several in one
// request) not reaching subscribers, so batching them is not safe to rely on.
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { PaymentUpdate, PaymentUpdateInput } from "../../core/generated/graphql";
import { httpPost, type Post } from "./http-post";

export type AwsCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export type AppSyncClientOptions = {
  /** GraphQL endpoint, e.g. https://<id>.appsync-api.<region>.amazonaws.com/graphql. */
  url: string;
  region: string;
  credentials: AwsCredentials;
  /** How the signed request is sent (default: node:http(s) with keep-alive; tests pass fetch). */
  fetch?: Post;
};

export type PaymentUpdatePublisher = {
  publishPaymentUpdate(input: PaymentUpdateInput): Promise<PaymentUpdate>;
};

const PUBLISH = `mutation PublishPaymentUpdate($input: PaymentUpdateInput!) {
  publishPaymentUpdate(input: $input) {
    tenantId paymentId status previousStatus paymentType amount currency
    sequence eventType reason correlationId occurredAt
    refundId refundStatus amountRefunded amountCaptured
  }
}`;

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
  const send = options.fetch ?? httpPost;
  const url = new URL(options.url);

  return {
    async publishPaymentUpdate(input) {
      const body = JSON.stringify({ query: PUBLISH, variables: { input } });
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
      const response = await send(options.url, {
        method: "POST",
        headers: signed.headers as Record<string, string>,
        body,
      });
      const payload = (await response.json().catch(() => ({}))) as {
        data?: { publishPaymentUpdate?: PaymentUpdate };
        errors?: { message: string; errorType?: string }[];
      };
      const published = payload.data?.publishPaymentUpdate;
      if (!response.ok || payload.errors?.length || !published) {
        const reason = payload.errors?.map((e) => e.errorType ?? e.message).join(", ") ?? response.statusText;
        throw new AppSyncRequestError(`publishPaymentUpdate failed (${response.status}): ${reason}`);
      }
      return published;
    },
  };
}
