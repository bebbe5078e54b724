#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { CloseloopStack } from '../lib/closeloop-stack';
import { applyNagChecks } from '../lib/nag';

const app = new App();
new CloseloopStack(app, 'Closeloop', {
  description: 'closeloop: serverless NPS surveys and detractor follow-up',
  alarmEmail: app.node.tryGetContext('alarmEmail'),
  senderDomain: app.node.tryGetContext('senderDomain'),
  brandName: app.node.tryGetContext('brandName'),
  reviewUrl: app.node.tryGetContext('reviewUrl'),
  answerHoldSeconds: app.node.tryGetContext('answerHoldSeconds'),
});
applyNagChecks(app);
