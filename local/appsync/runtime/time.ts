// util.time: AppSync formats with java.time patterns; the common letters are supported
// (y M d H h m s S a Z X and quoted text), in UTC or a fixed/IANA zone via Intl.

type Parts = Record<"year" | "month" | "day" | "hour" | "minute" | "second", number> & {
  millis: number;
  offsetMinutes: number;
};

const pad = (value: number, width: number): string => String(Math.abs(value)).padStart(width, "0");

const offsetOf = (epochMs: number, timeZone: string): number => {
  if (timeZone === "UTC" || timeZone === "Z") return 0;
  const fields = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(fields.find((f) => f.type === type)?.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
};

const partsOf = (epochMs: number, timeZone: string): Parts => {
  const offsetMinutes = offsetOf(epochMs, timeZone);
  const d = new Date(epochMs + offsetMinutes * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millis: d.getUTCMilliseconds(),
    offsetMinutes,
  };
};

const zone = (offsetMinutes: number, colon: boolean, zForZero: boolean): string => {
  if (offsetMinutes === 0 && zForZero) return "Z";
  const sign = offsetMinutes < 0 ? "-" : "+";
  const h = pad(Math.trunc(offsetMinutes / 60), 2);
  const m = pad(offsetMinutes % 60, 2);
  return `${sign}${h}${colon ? ":" : ""}${m}`;
};

const TOKEN = /'([^']*)'|y+|M+|d+|H+|h+|m+|s+|S+|a|Z+|X+/g;

const formatParts = (p: Parts, pattern: string): string =>
  pattern.replace(TOKEN, (token, quoted: string | undefined) => {
    if (quoted !== undefined) return quoted;
    const n = token.length;
    switch (token[0]) {
      case "y":
        return n === 2 ? pad(p.year % 100, 2) : pad(p.year, n);
      case "M":
        return pad(p.month, n);
      case "d":
        return pad(p.day, n);
      case "H":
        return pad(p.hour, n);
      case "h":
        return pad(p.hour % 12 === 0 ? 12 : p.hour % 12, n);
      case "m":
        return pad(p.minute, n);
      case "s":
        return pad(p.second, n);
      case "S":
        return pad(p.millis, 3).slice(0, n).padEnd(n, "0");
      case "a":
        return p.hour < 12 ? "AM" : "PM";
      case "Z":
        return zone(p.offsetMinutes, n >= 3 && n !== 3, false);
      default:
        return zone(p.offsetMinutes, n >= 3, true);
    }
  });

const parseFormatted = (text: string, pattern: string, timeZone: string): number => {
  const fields: string[] = [];
  let regex = "";
  let last = 0;
  for (const match of pattern.matchAll(TOKEN)) {
    regex += escapeRegex(pattern.slice(last, match.index));
    last = (match.index ?? 0) + match[0].length;
    if (match[1] !== undefined) {
      regex += escapeRegex(match[1]);
      continue;
    }
    const letter = match[0][0] ?? "";
    fields.push(letter);
    regex +=
      letter === "Z" || letter === "X" ? "(Z|[+-]\\d{2}:?\\d{2})" : letter === "a" ? "(AM|PM)" : "(\\d+)";
  }
  regex += escapeRegex(pattern.slice(last));
  const found = new RegExp(`^${regex}$`).exec(text);
  if (!found) throw new Error(`Text '${text}' could not be parsed with pattern ${pattern}`);
  const v: Record<string, number> = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
  let explicitOffset: number | undefined;
  let pm = false;
  fields.forEach((letter, i) => {
    const raw = found[i + 1] ?? "";
    if (letter === "Z" || letter === "X") {
      explicitOffset =
        raw === "Z" ? 0 : (raw[0] === "-" ? -1 : 1) * (Number(raw.slice(1, 3)) * 60 + Number(raw.slice(-2)));
    } else if (letter === "a") pm = raw === "PM";
    else v[letter === "h" ? "H" : letter] = Number(raw);
  });
  if (pm && v.H !== undefined && v.H < 12) v.H += 12;
  const local = Date.UTC(v.y ?? 1970, (v.M ?? 1) - 1, v.d ?? 1, v.H ?? 0, v.m ?? 0, v.s ?? 0, v.S ?? 0);
  const offset = explicitOffset ?? offsetOf(local, timeZone);
  return local - offset * 60_000;
};

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export const createTimeUtils = () => ({
  nowISO8601: (): string => new Date().toISOString(),
  nowEpochSeconds: (): number => Math.floor(Date.now() / 1000),
  nowEpochMilliSeconds: (): number => Date.now(),
  nowFormatted: (format: string, timeZone = "UTC"): string =>
    formatParts(partsOf(Date.now(), timeZone), format),
  parseFormattedToEpochMilliSeconds: (text: string, format: string, timeZone = "UTC"): number =>
    parseFormatted(text, format, timeZone),
  parseISO8601ToEpochMilliSeconds: (text: string): number => {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new Error(`Text '${text}' could not be parsed as ISO 8601`);
    return ms;
  },
  epochMilliSecondsToSeconds: (ms: number): number => Math.floor(ms / 1000),
  epochMilliSecondsToISO8601: (ms: number): string => new Date(ms).toISOString(),
  epochMilliSecondsToFormatted: (ms: number, format: string, timeZone = "UTC"): string =>
    formatParts(partsOf(ms, timeZone), format),
});
