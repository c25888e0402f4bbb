import { readFileSync } from "node:fs";
import { buildSchema, type GraphQLObjectType, validateSchema } from "graphql";
import { describe, expect, it } from "vitest";

const sdl = readFileSync("appsync-scalars.graphql", "utf8") + readFileSync("schema.graphql", "utf8");

describe("schema.graphql", () => {
  const schema = buildSchema(sdl);

  it("is a valid GraphQL schema with AppSync's scalars and directives", () => {
    expect(validateSchema(schema)).toEqual([]);
  });

  it("feeds onPaymentUpdated from publishPaymentUpdate, which only IAM may call", () => {
    const subscription = schema.getSubscriptionType()?.getFields().onPaymentUpdated;
    const subscribe = subscription?.astNode?.directives?.find((d) => d.name.value === "aws_subscribe");
    expect(subscribe?.arguments?.[0]?.value).toMatchObject({
      kind: "ListValue",
      values: [{ value: "publishPaymentUpdate" }],
    });
    const publish = schema.getMutationType()?.getFields().publishPaymentUpdate;
    expect(publish?.astNode?.directives?.map((d) => d.name.value)).toEqual(["aws_iam"]);
    expect(String(publish?.type)).toBe(String(subscription?.type));
  });

  it("never returns a card number or cvc", () => {
    const party = schema.getType("Party") as GraphQLObjectType;
    expect(Object.keys(party.getFields())).not.toEqual(expect.arrayContaining(["number"]));
    expect(Object.keys(party.getFields()).filter((f) => /number|cvc/i.test(f))).toEqual([]);
  });
});
