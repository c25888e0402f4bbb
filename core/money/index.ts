export { CURRENCY_EXPONENTS, currencyExponent, isCurrency } from "./currencies";
export type { Money } from "./money";
export { addMoney, compareMoney, formatMoney, moneyFromMinor, parseMoney, subtractMoney } from "./money";
