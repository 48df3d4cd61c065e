export { countLines } from './count-lines.ts';
export {
  createProgress,
  formatProgressLine,
  type ProgressMode,
  type ProgressOptions,
  type ProgressReporter,
  progressMode,
} from './progress.ts';
