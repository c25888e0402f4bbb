export type SaslAuthenticateRequest = { authBytes: Buffer };
export type SaslAuthenticateResponse = {
  errorCode: number;
  errorMessage: string | null;
  authBytes: Buffer;
  sessionLifetimeMs: bigint;
};
