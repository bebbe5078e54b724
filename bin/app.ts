#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { defaultStackName } from '../functions/resources/stack-outputs';
import { CloseloopStack } from '../lib/closeloop-stack';
import { apiDomainFrom, routeThrottlesFrom } from '../lib/defaults/api-defaults';
import { integrationsFrom } from '../lib/defaults/integration-defaults';
import { signInDomainFrom } from '../lib/defaults/sign-in-defaults';
import { applyNagChecks } from '../lib/nag';

const app = new App();
const context = (name: string) => app.node.tryGetContext(name);
new CloseloopStack(app, defaultStackName, {
  description: 'closeloop: serverless NPS surveys and detractor follow-up',
  alarmEmail: context('alarmEmail'),
  senderDomain: context('senderDomain'),
  brandName: context('brandName'),
  reviewUrl: context('reviewUrl'),
  answerHoldSeconds: context('answerHoldSeconds'),
  sendWindow: context('sendWindow'),
  testimonialTarget: context('testimonialTarget'),
  apiThrottles: routeThrottlesFrom(context('apiThrottles')),
  apiDomain: apiDomainFrom({
    apiDomain: context('apiDomain'),
    apiCertificateArn: context('apiCertificateArn'),
    apiHostedZoneId: context('apiHostedZoneId'),
    apiHostedZoneName: context('apiHostedZoneName'),
  }),
  signInDomain: signInDomainFrom({
    signInDomainPrefix: context('signInDomainPrefix'),
    signInDomain: context('signInDomain'),
    signInCertificateArn: context('signInCertificateArn'),
  }),
  integrations: integrationsFrom(context('integrations')),
});
applyNagChecks(app);
