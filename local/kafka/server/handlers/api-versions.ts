import { API_CODECS, apiVersions, SASL_CODECS } from "../../protocol/requests";
import type { ApiVersionRange } from "../../protocol/requests/api-versions/types";
import { versionRange } from "../../protocol/requests/codec";
import { route } from "../core";

/** Exactly the versions the codecs implement, so clients negotiate down correctly. */
export function advertisedApis(withSasl: boolean): ApiVersionRange[] {
  return [...API_CODECS, ...(withSasl ? SASL_CODECS : [])].map((api) => {
    const { min, max } = versionRange(api);
    return { apiKey: api.key, minVersion: min, maxVersion: max };
  });
}

export const apiVersionsRoute = route({
  codec: apiVersions,
  handle: (_req, { core }) => ({
    errorCode: 0,
    apiKeys: advertisedApis(core.sasl !== undefined),
    throttleTimeMs: 0,
  }),
});
