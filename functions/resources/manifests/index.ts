import type { FunctionManifest } from '../function-manifest';
import {
  dashboardPage,
  exports,
  health,
  managerCases,
  managerPage,
  reports,
  survey,
  unsubscribe,
} from './api';
import {
  answerStream,
  chatPosts,
  countAnswers,
  exportSegments,
  followUps,
  importChunks,
  importFiles,
  sendInvitations,
  sesFeedback,
  tick,
} from './workers';

export * from './api';
export * from './workers';

/** Every function of the stack, one manifest each. */
export const functionManifests: readonly FunctionManifest[] = [
  health,
  survey,
  unsubscribe,
  managerPage,
  dashboardPage,
  managerCases,
  reports,
  exports,
  tick,
  sendInvitations,
  answerStream,
  countAnswers,
  followUps,
  chatPosts,
  sesFeedback,
  exportSegments,
  importFiles,
  importChunks,
];
