export type { RiskAssessment, RiskDecision, RiskInput, RiskSubject } from "./assess";
export { assessRisk, statusForDecision } from "./assess";
