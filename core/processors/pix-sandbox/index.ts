// A PIX payment institution: answers with Payrail's codes (no vocabulary of its own).
import type { SandboxModule } from "../sandbox";

export const pixSandbox: SandboxModule = { name: "pix_sandbox", paymentType: "PIX", nativeCodes: {} };
