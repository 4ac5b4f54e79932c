import { TOKEN_END } from "./regex-detector.js";

/** `[Ww][Aa][Nn][Dd][Bb]`: case-insensitive literal without making the whole pattern case-insensitive. */
export function anyCase(word: string): string {
  let out = "";
  for (const ch of word) {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    out += lo === up ? ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : `[${up}${lo}]`;
  }
  return out;
}

/**
 * A pattern for a value assigned to a key that names a service: `WANDB_API_KEY=…`,
 * `wandb.login(key="…")`, `"cohere_api_key": "…"`, `os.environ["MISTRAL_API_KEY"] = "…"`.
 * The `key` group is the name from the service word on; the `secret` group the value.
 * Every quantifier is bounded, so the cost per starting position is constant.
 * @param service words naming the service (matched in any case)
 * @param value the value's own pattern (no groups)
 */
export function contextPattern(service: readonly string[], value: string): RegExp {
  const name = service.map(anyCase).join("|");
  return new RegExp(
    `(?<key>(?:${name})[A-Za-z0-9_.(-]{0,30})["'\\]]{0,3}[ \\t]{0,4}(?::=|=>|[=:,])[ \\t]{0,4}["'\`]?(?<secret>${value})${TOKEN_END}`,
    "g",
  );
}
