import { describe, expect, it } from "vitest";
import { mskIamSecurity } from "../../../consumers/platform/kafka-client";

describe("Kafka client security", () => {
  it("signs an OAUTHBEARER token over TLS for MSK IAM, from the role's credentials", async () => {
    const security = mskIamSecurity("eu-central-1");
    expect(security.ssl).toBe(true);
    const sasl = security.sasl as { mechanism: string; oauthBearerProvider(): Promise<{ value: string }> };
    expect(sasl.mechanism).toBe("oauthbearer");
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret" });
    try {
      const { value } = await sasl.oauthBearerProvider();
      // The token is a base64url presigned kafka-cluster:Connect URL for the region.
      const url = Buffer.from(value, "base64url").toString("utf8");
      expect(url).toContain("kafka.eu-central-1.amazonaws.com");
      expect(url).toContain("Action=kafka-cluster%3AConnect");
      expect(url).toContain("X-Amz-Credential=AKIDEXAMPLE");
    } finally {
      process.env = saved;
    }
  });
});
