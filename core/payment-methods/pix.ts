// Brazilian PIX keys (DICT key types): CPF, CNPJ, e-mail, phone (+55), random EVP key.

export type PixKeyType = "CPF" | "CNPJ" | "EMAIL" | "PHONE" | "EVP";
export type PixKey = { readonly type: PixKeyType; readonly key: string };

/** Mod-11 check digit of `digits` under the given weights (Receita Federal rule: remainder < 2 gives 0). */
function mod11Digit(digits: string, weights: readonly number[]): number {
  const sum = [...digits].reduce((acc, digit, i) => acc + Number(digit) * weights[i], 0);
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

const CPF_WEIGHTS = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_WEIGHTS = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

function allSameDigit(digits: string): boolean {
  return /^(\d)\1*$/.test(digits);
}

export function isValidCpf(cpf: string): boolean {
  if (!/^\d{11}$/.test(cpf) || allSameDigit(cpf)) return false;
  const first = mod11Digit(cpf.slice(0, 9), CPF_WEIGHTS.slice(1));
  const second = mod11Digit(cpf.slice(0, 10), CPF_WEIGHTS);
  return first === Number(cpf[9]) && second === Number(cpf[10]);
}

export function isValidCnpj(cnpj: string): boolean {
  if (!/^\d{14}$/.test(cnpj) || allSameDigit(cnpj)) return false;
  const first = mod11Digit(cnpj.slice(0, 12), CNPJ_WEIGHTS.slice(1));
  const second = mod11Digit(cnpj.slice(0, 13), CNPJ_WEIGHTS);
  return first === Number(cnpj[12]) && second === Number(cnpj[13]);
}

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
// +55, two-digit area code (11-99), 8 or 9 digit subscriber number.
const PHONE = /^\+55[1-9]\d{9,10}$/;
const EVP = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Classifies and normalizes a PIX key, or undefined when it is none of the five kinds. */
export function parsePixKey(key: string): PixKey | undefined {
  if (EVP.test(key)) return { type: "EVP", key: key.toLowerCase() };
  if (PHONE.test(key)) return { type: "PHONE", key };
  if (key.includes("@"))
    return key.length <= 77 && EMAIL.test(key) ? { type: "EMAIL", key: key.toLowerCase() } : undefined;
  // CPF/CNPJ may be typed with their usual punctuation (123.456.789-09, 12.345.678/0001-95).
  if (!/^[\d./-]+$/.test(key)) return undefined;
  const digits = key.replace(/[./-]/g, "");
  if (isValidCpf(digits)) return { type: "CPF", key: digits };
  if (isValidCnpj(digits)) return { type: "CNPJ", key: digits };
  return undefined;
}
