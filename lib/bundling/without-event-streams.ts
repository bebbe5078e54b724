/**
 * Stands in for `@smithy/core/event-streams` in the Lambda bundles (see `withoutEventStreams` in
 * `esbuild-plugins.ts`). Event streams serve only operations that closeloop never calls (among the
 * clients it uses, S3's SelectObjectContent): clients still build and work, and such an operation
 * would fail with this message. Exports exactly what the SDK imports; a client that needs more fails
 * the build, not a request.
 */
const leftOut = (): never => {
  throw new Error(
    "Event streams are left out of closeloop's Lambda bundles (lib/bundling/esbuild-plugins.ts).",
  );
};

const marshaller = { serialize: leftOut, deserialize: leftOut };

export const eventStreamSerdeProvider = (_options?: unknown) => marshaller;

export const resolveEventStreamSerdeConfig = <Input extends object>(
  input: Input & { eventStreamSerdeProvider: (input: Input) => unknown },
) => Object.assign(input, { eventStreamMarshaller: input.eventStreamSerdeProvider(input) });

export class EventStreamSerde {
  constructor() {
    leftOut();
  }
}
