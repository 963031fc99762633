/**
 * Clients that run the SDK's own middleware, the product's retry strategy included
 * (lib/core/aws-retry.ts), and then, in place of HTTP, hand the command to the in-memory
 * model that aws-sdk-client-mock serves. aws-sdk-client-mock alone replaces `send` and so
 * skips every middleware: a test of what the SDK retries needs the real `send` in front.
 */
import * as s3 from "@aws-sdk/client-s3";
import * as s3Control from "@aws-sdk/client-s3-control";
import type { AbsoluteLocation, FinalizeRequestHandlerOptions, FinalizeRequestMiddleware, HandlerExecutionContext } from "@smithy/types";
import { AWS_RETRY } from "../../lib/core/aws-retry";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
type Ctor = new (input: never) => unknown;

interface SdkClient {
  middlewareStack: { add(middleware: FinalizeRequestMiddleware<object, object>, options: FinalizeRequestHandlerOptions & AbsoluteLocation): void };
}

function throughSdk<C extends SdkClient>(client: C, commands: Record<string, unknown>): C {
  const ownClass = Object.getPrototypeOf(client) as { send: (...args: unknown[]) => Promise<unknown> };
  const realSend = (Object.getPrototypeOf(ownClass) as { send: (...args: unknown[]) => Promise<unknown> }).send;
  if (!Object.prototype.hasOwnProperty.call(ownClass, "send")) throw new Error("install the aws-sdk-client-mock model before building clients");
  Object.defineProperty(client, "send", { value: realSend });
  client.middlewareStack.add(
    (_next, context: HandlerExecutionContext) => async (args) => {
      const Command = commands[context.commandName ?? ""] as Ctor;
      const output = (await ownClass.send.call(client, new Command(args.input as never))) as object;
      return { output: { $metadata: {}, ...output }, response: {} };
    },
    { step: "finalizeRequest", priority: "low", name: "inMemoryModel" },
  );
  return client;
}

export function s3Client(region: string): s3.S3Client {
  return throughSdk(new s3.S3Client({ region, credentials, ...AWS_RETRY }), s3);
}

export function s3ControlClient(region: string): s3Control.S3ControlClient {
  return throughSdk(new s3Control.S3ControlClient({ region, credentials, ...AWS_RETRY }), s3Control);
}

/**
 * Makes the SDK's backoff waits instant for the test and records them (ms), so a test sees the
 * backoff without sleeping through it. Restored by jest.restoreAllMocks().
 */
export function instantBackoff(): number[] {
  const waits: number[] = [];
  const real = global.setTimeout;
  jest.spyOn(global, "setTimeout").mockImplementation((fn: () => void, ms?: number) => {
    if (ms) waits.push(ms);
    return real(fn, 0);
  });
  return waits;
}
