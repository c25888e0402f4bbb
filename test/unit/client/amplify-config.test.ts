// The client only configures Amplify's API when the app has none, and never replaces the app's.
import { Amplify } from "aws-amplify";
import { describe, expect, it } from "vitest";
import { createPayrailClient } from "../../../clients/typescript/src/client";

describe("Amplify configuration", () => {
  it("configures Amplify's API with the endpoint when the app has not, and leaves an app's own alone", () => {
    createPayrailClient({ endpoint: "https://payrail.example/graphql", token: "prl_acme_x" });
    expect(Amplify.getConfig().API?.GraphQL?.endpoint).toBe("https://payrail.example/graphql");

    Amplify.configure({
      API: { GraphQL: { endpoint: "https://app.example/graphql", defaultAuthMode: "lambda" } },
    });
    createPayrailClient({ endpoint: "https://payrail.example/graphql", token: "prl_acme_x" });
    expect(Amplify.getConfig().API?.GraphQL?.endpoint).toBe("https://app.example/graphql");
  });
});
