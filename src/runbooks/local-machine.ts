// aws-local-stepfunctions validates the definition on every `new
// StateMachine`, and asl-validator builds and compiles a fresh ajv schema set
// each time it is called: about 100 ms per runbook run, a fifth of a game-day
// run's wall time. Validity depends on the definition alone, so each distinct
// definition is validated once (by the library, exactly as before) and later
// machines for the same definition skip it.
//
// The validator also writes into the definition (each state without a
// QueryLanguage gets the default), and the machine runs what it left there;
// so the cache keeps that validated copy and later machines get a clone of it.

import { StateMachine } from "aws-local-stepfunctions";

const VALIDATION = { checkArn: false, checkPaths: false };
/** A bound for long-lived processes; in practice there are three runbooks. */
const MAX_CACHED = 64;
const validated = new Map<string, unknown>();

export function localStateMachine(definition: object): StateMachine {
  const key = JSON.stringify(definition);
  const known = validated.get(key);
  if (known !== undefined) return new StateMachine(structuredClone(known) as never, { validationOptions: { noValidate: true } });
  // Throws on an invalid definition, which is then not cached.
  const machine = new StateMachine(definition as never, { validationOptions: VALIDATION });
  if (validated.size >= MAX_CACHED) validated.clear();
  validated.set(key, structuredClone(definition));
  return machine;
}
