// A Faster Payments sending bank: answers with Payrail's codes (no vocabulary of its own).
import type { SandboxModule } from "../sandbox";

export const fpsSandbox: SandboxModule = {
  name: "fps_sandbox",
  paymentType: "FASTER_PAYMENTS",
  nativeCodes: {},
};
