// Looks for literal credentials in a template: AWS access key ids, secret
// keys, private keys, and properties named like secrets with a literal value.
// Used on every synthesized template; the tests show it catches each kind.

const PATTERNS: { name: string; re: RegExp }[] = [
  { name: "AWS access key id", re: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/ },
  // 40 base64 characters standing alone: the shape of an AWS secret access key.
  { name: "AWS secret access key", re: /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/ },
  { name: "private key", re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { name: "secret-named property", re: /"[A-Za-z_]*(?:[Pp]assword|[Ss]ecret[Kk]ey|[Aa]pi[Kk]ey|[Tt]oken)"\s*:\s*"[^"]{6,}"/ },
];

export function findSecrets(templateText: string): string[] {
  return PATTERNS.filter((p) => p.re.test(templateText)).map((p) => `${p.name}: ${p.re.exec(templateText)?.[0] ?? ""}`);
}
