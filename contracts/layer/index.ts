/** The contracts layer, as `shipgate contracts` and `shipgate gate` use it. */

export { type GenerativeResult, runGenerativeChecks } from '../generative/check.ts';
export type { ConsumerRunResult, InteractionResult } from '../pact/run.ts';
export type { BrokerVerification, ProviderTarget, ProviderVerification } from '../verify/verify.ts';
export { type CanIDeployQuestion, canIDeploy } from './can-i-deploy.ts';
export { clientOptionsForDefect } from './defects.ts';
export {
  type ContractsLayerOptions,
  type ContractsLayerResult,
  type ContractsMode,
  runContractsLayer,
} from './run.ts';
export { contractsSection, describeMismatch, type SectionInput } from './section.ts';
