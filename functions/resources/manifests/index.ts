import type { FunctionManifest } from '../function-manifest';
import {
  benchmarks,
  customerErasure,
  customerSync,
  dashboardPage,
  exports,
  health,
  managerCases,
  managerPage,
  reports,
  survey,
  testimonialConsent,
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
  webhookEvents,
  webhooks,
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
  benchmarks,
  customerSync,
  customerErasure,
  webhookEvents,
  webhooks,
  testimonialConsent,
  importFiles,
  importChunks,
];
