// Free text a person typed (names, references): shown in dashboards, terminals and logs, so
// characters that control or reorder what is displayed are refused, and lengths count
// characters (code points), as a reader does, not UTF-16 units.
import { validationError } from "../errors";

// Cc is NUL, the C0 controls (ESC starts every ANSI escape), DEL and the C1 controls; then bidi embeddings,
// overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/** Characters (code points) in `text`: an emoji outside the BMP counts one. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Throws a ValidationError naming `field` unless `text` is min-max characters without controls. */
export function checkText(text: string, field: string, min: number, max: number): void {
  const count = characterCount(text);
  if (count < min || count > max) {
    throw validationError(
      field,
      min > 0 ? `must be ${min}-${max} characters` : `must be at most ${max} characters`,
    );
  }
  if (CONTROL.test(text))
    throw validationError(field, "must not contain control or bidirectional-override characters");
}
