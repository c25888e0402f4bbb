// A SEPA credit transfer bank (Nordbank): answers with ISO 20022 reason codes.
import type { SandboxModule } from "../sandbox";

export const sepaNordbankSandbox: SandboxModule = {
  name: "sepa_nordbank_sandbox",
  paymentType: "SEPA_CREDIT",
  nativeCodes: { account_closed: "AC04", invalid_account: "AC01", bank_unavailable: "MS03" },
};
