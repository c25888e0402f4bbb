export type ApiVersionsRequest = { clientSoftwareName: string | null; clientSoftwareVersion: string | null };
export type ApiVersionRange = { apiKey: number; minVersion: number; maxVersion: number };
export type ApiVersionsResponse = { errorCode: number; apiKeys: ApiVersionRange[]; throttleTimeMs: number };
