// Port: the card vault; only the token and the reduced card leave it (../dynamodb/vault).
import type { ReducedCard } from "../../../core/payment-methods";
import type { TransactionWrite } from "./transaction";

/** The card as entered; `reduced` is what core's validation kept of it. */
export type CardInput = { number: string; expiryMonth: number; expiryYear: number; reduced: ReducedCard };

export type CardReference = {
  cardToken: string;
  cardLast4: string;
  cardBrand: string;
  /** MM/YY */
  cardExpiry: string;
};

/** A tokenized card not yet stored: `write` stores it, inside the transaction that uses it. */
export type SealedCard = { reference: CardReference; write: TransactionWrite };

export interface CardVault {
  /** Encrypts the card under a new token; nothing is written until `write` is committed. */
  seal(card: CardInput): SealedCard;
  describe(cardToken: string): Promise<CardReference | undefined>;
}
