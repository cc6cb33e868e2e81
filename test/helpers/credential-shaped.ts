// Values shaped like AWS credentials, made at run time: tests that prove a
// scan or a redaction catches credentials plant these, so no credential-shaped
// literal is ever committed (not even AWS's documented examples).
import { randomBytes } from "node:crypto";

const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";

function shaped(prefix: string, length: number, alphabet: string): string {
  return prefix + Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join("");
}

/** "AKIA" and 16 upper-case letters or digits: the shape of an access key id. */
export const fakeAccessKeyId = (): string => shaped("AKIA", 16, UPPER_DIGITS);

/** 40 base64 characters: the shape of a secret access key. */
export const fakeSecretAccessKey = (): string => shaped("", 40, BASE64);
