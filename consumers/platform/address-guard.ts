// The DNS side of the webhook URL rules (core/webhooks/url-policy): a host is refused when
// any address it resolves to is forbidden. Checked when an endpoint is registered and again
// on every connection (the lookup the POST itself uses), so a name that later re-points at
// a private or metadata address (DNS rebinding) is never connected to.
import { type LookupAddress, lookup } from "node:dns";
import type { LookupFunction } from "node:net";
import { isForbiddenAddress, type UrlPolicy } from "../../core/webhooks";

export class ForbiddenAddressError extends Error {
  override name = "ForbiddenAddressError";
}

/** Every address of `host`; rejects when one is forbidden. */
export function resolveAllowed(host: string, policy: UrlPolicy): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    lookup(host, { all: true, verbatim: true }, (error, addresses) => {
      if (error) return reject(error);
      const forbidden = addresses.find(({ address }) => isForbiddenAddress(address, policy));
      if (forbidden) return reject(new ForbiddenAddressError(`${host} resolves to a forbidden address`));
      resolve(addresses);
    });
  });
}

/** A `lookup` for node:http that connects only to allowed addresses. */
export function guardedLookup(policy: UrlPolicy): LookupFunction {
  return (host, options, callback) => {
    resolveAllowed(host, policy).then(
      (addresses) => {
        if (options.all) return callback(null, addresses);
        const [first] = addresses;
        if (!first) return callback(new ForbiddenAddressError(`${host} has no address`), "", 0);
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}

/** Locally (PAYRAIL_ENV=local) the receiver may be a process on this machine. */
export const urlPolicyOf = (env: string): UrlPolicy => ({ allowLoopback: env === "local" });
