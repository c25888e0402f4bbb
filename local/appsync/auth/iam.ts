// AWS_IAM: re-signs the request with the caller's local secret (SigV4, service
// "appsync") and compares signatures, as AppSync's front end does.
import { timingSafeEqual } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { AuthError, type AuthRequest, type Caller } from "./types";

export type IamCredential = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/;
const MAX_SKEW_MS = 5 * 60_000;

const parseAmzDate = (value: string): Date =>
  new Date(value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));

export const isSigV4 = (authorization: string | undefined): boolean =>
  authorization?.startsWith("AWS4-HMAC-SHA256 ") ?? false;

export function createIamVerifier(credentials: IamCredential[]) {
  const byKey = new Map(credentials.map((c) => [c.accessKeyId, c]));
  return async (request: AuthRequest): Promise<Caller> => {
    const match = AUTH.exec(request.headers.authorization ?? "");
    if (!match) throw new AuthError("Invalid SigV4 authorization header.", 403);
    const [, accessKeyId = "", , region = "", service = "", signedHeaderList = "", signature = ""] = match;
    const credential = byKey.get(accessKeyId);
    if (!credential) throw new AuthError("The security token included in the request is invalid.", 403);
    if (service !== "appsync")
      throw new AuthError(`Credential should be scoped to correct service: 'appsync'.`, 403);
    const amzDate = request.headers["x-amz-date"] ?? "";
    const signingDate = parseAmzDate(amzDate);
    if (Number.isNaN(signingDate.getTime()) || Math.abs(Date.now() - signingDate.getTime()) > MAX_SKEW_MS) {
      throw new AuthError("Signature expired or not yet valid.", 403);
    }
    const signedNames = signedHeaderList.split(";");
    const headers = Object.fromEntries(signedNames.map((name) => [name, request.headers[name] ?? ""]));
    const [path = "/", query = ""] = request.path.split("?");
    const signer = new SignatureV4({
      credentials: credential,
      region,
      service: "appsync",
      sha256: Hash.bind(null, "sha256"),
    });
    const signed = await signer.sign(
      new HttpRequest({
        method: request.method,
        protocol: "https:",
        hostname: headers.host ?? "",
        path,
        query: Object.fromEntries(new URLSearchParams(query)),
        headers,
        body: request.body,
      }),
      { signingDate },
    );
    const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? "";
    const ok =
      expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
    if (!ok) {
      throw new AuthError(
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
        403,
      );
    }
    return {
      mode: "AWS_IAM",
      identity: {
        accountId: "000000000000",
        cognitoIdentityPoolId: null,
        cognitoIdentityId: null,
        cognitoIdentityAuthType: null,
        cognitoIdentityAuthProvider: null,
        sourceIp: [request.sourceIp],
        username: accessKeyId,
        userArn: `arn:aws:iam::000000000000:user/${accessKeyId}`,
      },
      deniedFields: [],
    };
  };
}
