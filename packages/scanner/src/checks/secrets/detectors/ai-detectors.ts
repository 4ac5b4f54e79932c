import { contextPattern } from "../context-pattern.js";
import { regexDetector, tokenPattern } from "../regex-detector.js";
import type { SecretDetector } from "../secret-detector.js";

/** A key named like an API credential (not `wandb_run_id`, `cohere_model`). */
const NAMES_A_CREDENTIAL = /key|token|secret|auth|login|api/i;
const hasUpperLowerDigit = (s: string): boolean => /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s);

/** Credentials of ML and LLM services: the ones model repositories leak most. */
export const AI_DETECTORS: readonly SecretDetector[] = [
  regexDetector({
    id: "huggingface-token",
    title: "Hugging Face user access token",
    severity: "dangerous",
    keywords: ["hf_"],
    // hf_ + 34 letters (no digits): https://huggingface.co/docs/hub/security-tokens
    pattern: tokenPattern("hf_[A-Za-z]{34}"),
    minEntropy: 3.5,
  }),
  regexDetector({
    id: "huggingface-org-token",
    title: "Hugging Face organization API token (legacy)",
    severity: "dangerous",
    keywords: ["api_org_"],
    pattern: tokenPattern("api_org_[A-Za-z]{34}"),
    minEntropy: 3.5,
  }),
  regexDetector({
    id: "openai-api-key",
    title: "OpenAI API key",
    severity: "dangerous",
    keywords: ["T3BlbkFJ"],
    // Every OpenAI key embeds `T3BlbkFJ` (base64 of "OpenAI"): legacy sk-…, project, service-account and admin keys.
    pattern: tokenPattern(
      "sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,200}|[A-Za-z0-9]{20})T3BlbkFJ[A-Za-z0-9_-]{20,200}",
    ),
    minEntropy: 4,
  }),
  regexDetector({
    id: "anthropic-api-key",
    title: "Anthropic API key",
    severity: "dangerous",
    keywords: ["sk-ant-"],
    // 93 base64url characters and a fixed `AA` tail.
    pattern: tokenPattern("sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA"),
    minEntropy: 4,
  }),
  regexDetector({
    id: "replicate-api-token",
    title: "Replicate API token",
    severity: "dangerous",
    keywords: ["r8_"],
    pattern: tokenPattern("r8_[A-Za-z0-9]{37}"),
    minEntropy: 3.8,
  }),
  regexDetector({
    id: "groq-api-key",
    title: "Groq API key",
    severity: "dangerous",
    keywords: ["gsk_"],
    pattern: tokenPattern("gsk_[A-Za-z0-9]{52}"),
    minEntropy: 4,
  }),
  regexDetector({
    id: "perplexity-api-key",
    title: "Perplexity API key",
    severity: "dangerous",
    keywords: ["pplx-"],
    pattern: tokenPattern("pplx-[A-Za-z0-9]{48}"),
    minEntropy: 4,
  }),
  regexDetector({
    id: "xai-api-key",
    title: "xAI API key",
    severity: "dangerous",
    keywords: ["xai-"],
    pattern: tokenPattern("xai-[A-Za-z0-9]{80}"),
    minEntropy: 4,
  }),
  regexDetector({
    id: "nvidia-api-key",
    title: "NVIDIA API key",
    severity: "dangerous",
    keywords: ["nvapi-"],
    pattern: tokenPattern("nvapi-[A-Za-z0-9_-]{64}"),
    minEntropy: 4,
  }),
  regexDetector({
    id: "langsmith-api-key",
    title: "LangSmith API key",
    severity: "dangerous",
    keywords: ["lsv2_"],
    pattern: tokenPattern("lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}"),
    minEntropy: 3.3,
  }),
  regexDetector({
    id: "openrouter-api-key",
    title: "OpenRouter API key",
    severity: "dangerous",
    keywords: ["sk-or-v1-"],
    pattern: tokenPattern("sk-or-v1-[a-f0-9]{64}"),
    minEntropy: 3.3,
  }),
  regexDetector({
    id: "wandb-api-key",
    title: "Weights & Biases API key",
    severity: "dangerous",
    contextual: true,
    keywords: ["wandb", "WANDB", "Wandb", "WandB"],
    // 40 hex characters (optionally `local-` for self-hosted servers) next to a wandb key name.
    pattern: contextPattern(["wandb"], "(?:local-)?[a-f0-9]{40}"),
    minEntropy: 3,
    verify: (_s, g) => NAMES_A_CREDENTIAL.test(g.key ?? ""),
  }),
  regexDetector({
    id: "mistral-api-key",
    title: "Mistral AI API key",
    severity: "dangerous",
    contextual: true,
    keywords: ["mistral", "MISTRAL", "Mistral"],
    pattern: contextPattern(["mistral"], "[A-Za-z0-9]{32}"),
    minEntropy: 3.8,
    verify: (s, g) => NAMES_A_CREDENTIAL.test(g.key ?? "") && hasUpperLowerDigit(s),
  }),
  regexDetector({
    id: "cohere-api-key",
    title: "Cohere API key",
    severity: "dangerous",
    contextual: true,
    keywords: ["cohere", "COHERE", "Cohere", "CO_API_KEY"],
    pattern: contextPattern(["cohere", "co_api_key"], "[A-Za-z0-9]{40}"),
    minEntropy: 3.8,
    verify: (s, g) => NAMES_A_CREDENTIAL.test(g.key ?? "") && hasUpperLowerDigit(s),
  }),
];
