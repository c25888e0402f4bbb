// A UPI payment service provider: answers with Payrail's codes (no vocabulary of its own).
import type { SandboxModule } from "../sandbox";

export const upiSandbox: SandboxModule = { name: "upi_sandbox", paymentType: "UPI", nativeCodes: {} };
