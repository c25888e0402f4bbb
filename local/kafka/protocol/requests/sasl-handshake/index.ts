import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { SaslHandshakeRequest, SaslHandshakeResponse } from "./types";
import { request as requestV0 } from "./v0/request";
import { response as responseV0 } from "./v0/response";

// Same wire format in v0 and v1; after a v0 handshake the client sends the SASL token as a bare
// size-prefixed frame with no Kafka header (handled by the connection), after v1 in SaslAuthenticate.
export const saslHandshake: ApiCodec<SaslHandshakeRequest, SaslHandshakeResponse> = {
  key: ApiKey.SaslHandshake,
  name: "SaslHandshake",
  versions: {
    0: { request: requestV0, response: responseV0 },
    1: { request: requestV0, response: responseV0 },
  },
};
