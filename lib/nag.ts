import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/** The cdk-nag rule packs closeloop is held to. Every acknowledged finding carries its reason in place. */
export const nagPacks = () => [new AwsSolutionsChecks(), new ServerlessChecks()];

/** Runs the packs on every synth: an unacknowledged finding fails `cdk synth`. */
export const applyNagChecks = (app: App): void => {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
};
