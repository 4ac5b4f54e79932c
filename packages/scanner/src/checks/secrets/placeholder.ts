/** Words that mark a value as an example, a template or a redaction, anywhere in it. */
const PLACEHOLDER_WORDS =
  /example|sample|dummy|placeholder|redacted|changeme|change[_-]me|insert|replace|secret[_-]?here|token[_-]?here|key[_-]?here|<|>|\$\{|\{\{|%\(|\*\*\*|\.\.\./i;

/**
 * Short words count only next to a separator or an end (`hf_test…`, `your-key`, `…_fake`): inside a
 * random token, any 4 letters turn up now and then, and a real token must not be dropped for that.
 */
const SHORT_WORDS = /(?:^|[_.:-])(?:test|your|fake|mock)|(?:test|your|fake|mock)(?:[_.:-]|$)/i;

/** Runs of one character (`xxxxxxx`, `0000000`): 7 in a row turn up in 1 of ~500,000 random 40-hex tokens. */
const REPEATED_RUN = /(.)\1{6}/;

/** Keyboard and alphabet sequences people type as stand-ins. */
const SEQUENCES = /0123456|1234567|abcdefg|ABCDEFG|qwerty|QWERTY|asdfgh/;

/**
 * Known public example credentials: AWS's documented example key pair, the Azure storage
 * emulator's account key and the bot token of Telegram's Bot API documentation (copied into many
 * libraries' docs). Compared exactly, after the pattern matched.
 */
const KNOWN_EXAMPLES = new Set([
  ["AKIAIOSFODNN7", "EXAMPLE"].join(""),
  ["wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "EXAMPLEKEY"].join(""),
  ["Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq", "/K1SZFPTOtr/KBHBeksoGMGw=="].join(""),
  ["123456:ABC-DEF1234ghIkl", "-zyx57W2v1u123ew11"].join(""),
]);

/**
 * True when `secret` is a placeholder (`hf_xxxxxxxx…`, `<YOUR_TOKEN>`, `sk-...`), a documented test
 * key or a typed-in stand-in: reporting those is what makes people turn a secrets scanner off.
 */
export function isPlaceholder(secret: string): boolean {
  return (
    KNOWN_EXAMPLES.has(secret) ||
    PLACEHOLDER_WORDS.test(secret) ||
    SHORT_WORDS.test(secret) ||
    REPEATED_RUN.test(secret) ||
    SEQUENCES.test(secret)
  );
}
