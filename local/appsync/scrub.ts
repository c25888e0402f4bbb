// Keeps card data out of every error message the emulator sends (#16). graphql-js echoes
// the value it refused ("got invalid value { number: …, cvc: … }", "found 4111…",
// "cannot represent … value: 123"); those echoes are replaced whole, so a CVC or a card
// object never leaves even where the path does not say `card`. Then every run of 13 or
// more digits (one space or dash allowed between digits) is replaced: broader than
// core's containsCardNumber on purpose, as an error needs no digit run that long.
// Canonical UUIDs are left whole: their groups are not a card number's.

export const REDACTED = "[redacted]";

const UUID_OR_DIGIT_RUN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d(?:[ -]?\d){12,}/gi;
const UUID = /^[0-9a-f]{8}-/i;
/** The offending value at the end of a scalar's reason ("String cannot represent … value: 123"). */
const TRAILING_VALUE = /(\bvalue): .*$/s;
/** Words after which graphql-js prints the refused value (inspect() of a variable, print() of a literal). */
const ECHO_MARKERS = ["got invalid value ", "found "];

/** End of an echoed value: the first `; ` or ` at "` outside a string literal, else the message's end. */
function echoEnd(text: string, start: number): number {
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (text.startsWith("; ", i) || text.startsWith(' at "', i)) return i;
  }
  // An unterminated string swallows the rest: redacting too much is the safe way to be wrong.
  return !inString && text.endsWith(".") ? text.length - 1 : text.length;
}

function redactEchoes(text: string): string {
  let out = text;
  for (const marker of ECHO_MARKERS) {
    let from = 0;
    for (let at = out.indexOf(marker, from); at >= 0; at = out.indexOf(marker, from)) {
      const start = at + marker.length;
      out = `${out.slice(0, start)}${REDACTED}${out.slice(echoEnd(out, start))}`;
      from = start + REDACTED.length;
    }
  }
  return out;
}

/** An error message with refused values and card-number-like digit runs replaced; path and reason stay. */
export function scrubErrorText(text: string): string {
  return redactEchoes(text)
    .replace(TRAILING_VALUE, `$1: ${REDACTED}`)
    .replace(UUID_OR_DIGIT_RUN, (run) => (UUID.test(run) ? run : REDACTED));
}

/** A response or frame payload with each `errors[].message` scrubbed; anything else as it was. */
export function scrubErrors<T>(body: T): T {
  if (!body || typeof body !== "object" || !("errors" in body) || !Array.isArray(body.errors)) return body;
  return {
    ...body,
    errors: body.errors.map((error: unknown) =>
      error && typeof error === "object" && "message" in error && typeof error.message === "string"
        ? { ...error, message: scrubErrorText(error.message) }
        : error,
    ),
  };
}
