/** Words that mark a value as an example, a template or a redaction rather than a credential. */
const PLACEHOLDER_WORDS =
  /example|sample|dummy|placeholder|your[_-]?|redacted|changeme|change[_-]me|insert|replace|fake|xxxx|test|secret[_-]?here|token[_-]?here|key[_-]?here|<|>|\$\{|\{\{|%\(|\*\*\*|\.\.\./i;

/** Runs of one character (`aaaaaa`, `000000`): a random 30-character token has one with probability < 1e-6. */
const REPEATED_RUN = /(.)\1{5}/;

/** Keyboard and alphabet sequences people type as stand-ins. */
const SEQUENCES = /0123456|1234567|abcdefg|ABCDEFG|qwerty|QWERTY|asdfgh/;

/**
 * Known public example credentials: AWS's documented example key pair and the Azure storage
 * emulator's account key. Compared exactly, after the pattern matched.
 */
const KNOWN_EXAMPLES = new Set([
  ["AKIAIOSFODNN7", "EXAMPLE"].join(""),
  ["wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "EXAMPLEKEY"].join(""),
  ["Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq", "/K1SZFPTOtr/KBHBeksoGMGw=="].join(""),
]);

/**
 * True when `secret` is a placeholder (`hf_xxxxxxxx…`, `<YOUR_TOKEN>`, `sk-...`), a documented test
 * key or a typed-in stand-in: reporting those is what makes people turn a secrets scanner off.
 */
export function isPlaceholder(secret: string): boolean {
  return (
    KNOWN_EXAMPLES.has(secret) ||
    PLACEHOLDER_WORDS.test(secret) ||
    REPEATED_RUN.test(secret) ||
    SEQUENCES.test(secret)
  );
}
