// The card vault `<env>-<tenant>-vault`: token → card data encrypted with AES-256-GCM
// (the token is the additional authenticated data, so a ciphertext cannot be moved to
// another token). Only the reference (token, last4, brand, expiry) ever leaves (sandbox
// rails recognise test cards by last4); the cvc is never stored at all.
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { randomBase62 } from "../../platform/random";
import { seal } from "../../platform/sealing";
import type { CardReference, CardVault } from "../ports/vault";
import { asWrite } from "./transaction";

export function dynamoDbCardVault(
  client: DynamoDBDocumentClient,
  tableName: string,
  encryptionKey: Buffer,
): CardVault {
  if (encryptionKey.length !== 32) throw new Error("vault key must be 32 bytes (AES-256)");
  return {
    seal(card) {
      const cardToken = `tok_${randomBase62(24)}`;
      const reference: CardReference = {
        cardToken,
        cardLast4: card.reduced.last4,
        cardBrand: card.reduced.brand,
        cardExpiry: card.reduced.expiry,
      };
      const secret = JSON.stringify({
        number: card.number,
        expiryMonth: card.expiryMonth,
        expiryYear: card.expiryYear,
      });
      const write = asWrite({
        Put: {
          TableName: tableName,
          Item: {
            token: cardToken,
            ...reference,
            encrypted: seal(encryptionKey, cardToken, secret),
            createdAt: new Date().toISOString(),
          },
          ConditionExpression: "attribute_not_exists(#token)",
          ExpressionAttributeNames: { "#token": "token" },
        },
      });
      return { reference, write };
    },

    async describe(cardToken) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { token: cardToken } }));
      if (!Item) return undefined;
      const { cardLast4, cardBrand, cardExpiry } = Item as CardReference;
      return { cardToken, cardLast4, cardBrand, cardExpiry };
    },
  };
}
