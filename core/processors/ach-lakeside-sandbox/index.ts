// An ACH originating bank (Lakeside): answers with Nacha return reason codes.
import type { SandboxModule } from "../sandbox";

export const achLakesideSandbox: SandboxModule = {
  name: "ach_lakeside_sandbox",
  paymentType: "ACH",
  nativeCodes: {
    insufficient_funds: "R01",
    account_closed: "R02",
    no_account: "R03",
    invalid_account: "R04",
  },
};
