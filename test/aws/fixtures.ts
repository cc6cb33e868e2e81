// Shared values for the adapter tests: fake static credentials (never the
// default chain), ARNs, and a way to assert "this rejects with an
// AwsCallError, not a TypeError".
import { expect } from "vitest";
import { AwsCallError } from "../../src/core/index.js";

export const CREDENTIALS = { accessKeyId: "AKIDTEST", secretAccessKey: "test" };
export const ACCOUNT = "111122223333";
export const USE1_ARN = `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:orders-use1`;
export const USW2_ARN = `arn:aws:rds:us-west-2:${ACCOUNT}:cluster:orders-usw2`;

/** Awaits `promise`, expects an AwsCallError and returns it for further checks. */
export async function rejectsAwsCall(promise: Promise<unknown>): Promise<AwsCallError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught, "expected the call to reject").toBeDefined();
  expect(caught).toBeInstanceOf(AwsCallError);
  return caught as AwsCallError;
}

/** An SDK-shaped service error for services whose clients do not model it. */
export function serviceError(name: string, init: { fault?: "client" | "server"; status?: number; message?: string } = {}): Error {
  const err = new Error(init.message ?? name) as Error & { $fault?: string; $metadata?: { httpStatusCode?: number } };
  err.name = name;
  if (init.fault) err.$fault = init.fault;
  err.$metadata = { ...(init.status !== undefined && { httpStatusCode: init.status }) };
  return err;
}
