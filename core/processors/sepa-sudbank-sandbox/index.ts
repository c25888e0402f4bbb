// A SEPA credit transfer bank (Sudbank): answers with ISO 20022 reason codes.
import type { SandboxModule } from "../sandbox";

export const sepaSudbankSandbox: SandboxModule = {
  name: "sepa_sudbank_sandbox",
  paymentType: "SEPA_CREDIT",
  nativeCodes: { account_closed: "AC04", invalid_account: "AC01", bank_unavailable: "MS03" },
};
