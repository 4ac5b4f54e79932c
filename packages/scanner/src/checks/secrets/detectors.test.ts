import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SECRET_DETECTORS } from "./secret-detectors.js";
import {
  ALNUM,
  ageSecretKey,
  B64,
  B64URL,
  BASE32,
  DIGITS,
  discordBotToken,
  githubStyleToken,
  HEX,
  LETTERS,
  LOWER,
  opensshKey,
  pem,
  pypiToken,
  rand,
  UPPER,
} from "./test-helpers/fake-secrets.js";
import { scanText } from "./test-helpers/scan-texts.js";

interface Case {
  /** Texts in which the detector must report exactly one finding. */
  found: string[];
  /**
   * Look-alikes it must not report (placeholders, bad checksums, hashes, other formats). No other
   * detector may call them `dangerous` either; a look-alike assigned to `api_key` may still be a
   * `suspicious` generic secret.
   */
  notFound: string[];
  path?: string;
}

const hf = `hf_${rand(LETTERS, 34, 1)}`;
const awsId = `AKIA${rand(BASE32, 16, 2)}`;
const awsSecret = `${rand(B64, 18, 3)}/${rand(B64, 21, 4)}`;
const sa = (key: string) =>
  JSON.stringify({
    type: "service_account",
    project_id: "p",
    private_key_id: rand(HEX, 40, 5),
    private_key: key,
  });
const azureKey = `${rand(B64, 86, 6)}==`;

const CASES: Record<string, Case> = {
  "huggingface-token": {
    found: [`HF_TOKEN=${hf}\n`, `login(token="${hf}")`, `"hf_token": "${hf}"`],
    notFound: [
      `HF_TOKEN=hf_${"x".repeat(34)}`,
      "HF_TOKEN=hf_xxx",
      `hf_${rand(LETTERS, 33, 1)}`,
      `hf_${rand(LETTERS, 35, 1)}`,
      `model/hf_${rand(LETTERS, 34, 1)}`,
    ],
  },
  "huggingface-org-token": {
    found: [`token = "api_org_${rand(LETTERS, 34, 7)}"`],
    notFound: [`api_org_${"X".repeat(34)}`, `api_org_${rand(ALNUM, 20, 7)}`],
  },
  "openai-api-key": {
    found: [
      `OPENAI_API_KEY=sk-proj-${rand(B64URL, 74, 8)}T3BlbkFJ${rand(B64URL, 74, 9)}`,
      `openai.api_key = "sk-${rand(ALNUM, 20, 10)}T3BlbkFJ${rand(ALNUM, 20, 11)}"`,
    ],
    notFound: [
      "OPENAI_API_KEY=sk-...",
      `api_key="sk-${rand(ALNUM, 48, 8)}"`,
      `sk-proj-${"x".repeat(100)}T3BlbkFJ${"x".repeat(60)}`,
    ],
  },
  "anthropic-api-key": {
    found: [`ANTHROPIC_API_KEY="sk-ant-api03-${rand(B64URL, 93, 12)}AA"`],
    notFound: ["ANTHROPIC_API_KEY=sk-ant-api03-...", `sk-ant-api03-${rand(B64URL, 93, 12)}AB`],
  },
  "replicate-api-token": {
    found: [`REPLICATE_API_TOKEN=r8_${rand(ALNUM, 37, 13)}`],
    notFound: ["REPLICATE_API_TOKEN=r8_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", `r8_${rand(ALNUM, 36, 13)}`],
  },
  "groq-api-key": {
    found: [`client = Groq(api_key="gsk_${rand(ALNUM, 52, 14)}")`],
    notFound: [`gsk_${"a".repeat(52)}`, `gsk_${rand(ALNUM, 40, 14)}`],
  },
  "perplexity-api-key": {
    found: [`PPLX_KEY=pplx-${rand(ALNUM, 48, 15)}`],
    notFound: ["pplx-your-key-here", `pplx-${rand(ALNUM, 47, 15)}`],
  },
  "xai-api-key": {
    found: [`XAI_API_KEY=xai-${rand(ALNUM, 80, 16)}`],
    notFound: [`xai-${rand(ALNUM, 79, 16)}`, "xai-grok-2"],
  },
  "nvidia-api-key": {
    found: [`NVIDIA_API_KEY=nvapi-${rand(B64URL, 64, 17)}`],
    notFound: [`nvapi-${"-".repeat(64)}`, `nvapi-${rand(B64URL, 60, 17)}`],
  },
  "langsmith-api-key": {
    found: [`LANGCHAIN_API_KEY=lsv2_pt_${rand(HEX, 32, 18)}_${rand(HEX, 10, 19)}`],
    notFound: [
      `lsv2_pt_${"0".repeat(32)}_${"0".repeat(10)}`,
      `lsv2_pt_${rand(HEX, 31, 18)}_${rand(HEX, 10, 19)}`,
    ],
  },
  "openrouter-api-key": {
    found: [`OPENROUTER_API_KEY=sk-or-v1-${rand(HEX, 64, 20)}`],
    notFound: ["sk-or-v1-...", `sk-or-v1-${rand(HEX, 63, 20)}`],
  },
  "wandb-api-key": {
    found: [
      `WANDB_API_KEY=${rand(HEX, 40, 21)}`,
      `wandb.login(key="${rand(HEX, 40, 22)}")`,
      `os.environ["WANDB_API_KEY"] = "${rand(HEX, 40, 23)}"`,
    ],
    notFound: [
      `wandb_run_commit = "${rand(HEX, 40, 21)}"`,
      `commit = "${rand(HEX, 40, 21)}"`,
      `WANDB_API_KEY=${"0".repeat(40)}`,
    ],
  },
  "mistral-api-key": {
    found: [`MISTRAL_API_KEY="${rand(ALNUM, 32, 24)}"`],
    notFound: [`MISTRAL_API_KEY="${rand(HEX, 32, 24)}"`, `mistral_model = "${rand(ALNUM, 32, 24)}"`],
  },
  "cohere-api-key": {
    found: [`co = cohere.Client(api_key=...)\nCOHERE_API_KEY=${rand(ALNUM, 40, 25)}`],
    notFound: [`COHERE_API_KEY=${rand(HEX, 40, 25)}`, `cohere_model_name="${rand(ALNUM, 40, 25)}"`],
  },
  "github-token": {
    found: [
      `GH_TOKEN=${githubStyleToken("ghp", 26)}`,
      `https://x:${githubStyleToken("gho", 27)}@github.com/o/r`,
    ],
    notFound: [
      `GH_TOKEN=${githubStyleToken("ghp", 26, true)}`,
      "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      `ghx_${rand(ALNUM, 36, 26)}`,
    ],
  },
  "github-fine-grained-token": {
    found: [`token: github_pat_${rand(ALNUM, 22, 28)}_${rand(ALNUM, 59, 29)}`],
    notFound: ["github_pat_...", `github_pat_${rand(ALNUM, 22, 28)}_${rand(ALNUM, 58, 29)}`],
  },
  "gitlab-token": {
    found: [
      `GITLAB_TOKEN=glpat-${rand(B64URL, 20, 30)}`,
      `CI_TOKEN=glpat-${rand(B64URL, 40, 31)}.01.${rand(LOWER + DIGITS, 7, 32)}`,
    ],
    notFound: ["GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx", `glpat-${rand(ALNUM, 12, 30)}`],
  },
  "npm-token": {
    found: [`//registry.npmjs.org/:_authToken=${githubStyleToken("npm", 33)}`],
    notFound: [
      `//registry.npmjs.org/:_authToken=${githubStyleToken("npm", 33, true)}`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell-style placeholder the detectors must ignore
      "_authToken=${NPM_TOKEN}",
    ],
  },
  "pypi-token": {
    found: [`[pypi]\n  username = __token__\n  password = ${pypiToken(34)}\n`],
    notFound: ["password = pypi-AgEIcHlwaS5vcmc...", `pypi-AgEIcHlwaS5vcmc${"$".repeat(60)}`],
  },
  "aws-access-key": {
    found: [
      `[default]\naws_access_key_id = ${awsId}\naws_secret_access_key = ${awsSecret}\n`,
      `key_id: ${awsId}`,
    ],
    notFound: [`aws_access_key_id = AKIAIOSFODNN7EXAMPLE`, `AKIA${rand(BASE32, 15, 2)}`, `x${awsId}`],
  },
  "aws-secret-key": {
    found: [`AWS_SECRET_ACCESS_KEY="${rand(B64, 40, 35)}"`],
    notFound: [
      "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      `AWS_SECRET_ACCESS_KEY="${rand(HEX, 40, 35)}"`,
    ],
  },
  "google-api-key": {
    found: [`const key = "AIza${rand(B64URL, 35, 36)}";`],
    notFound: ["AIzaSy...", `AIza${"X".repeat(35)}`, `AIza${rand(B64URL, 34, 36)}`],
  },
  "google-oauth-client-secret": {
    found: [`"client_secret": "GOCSPX-${rand(B64URL, 28, 37)}"`],
    notFound: ["GOCSPX-<your-client-secret>", `GOCSPX-${rand(B64URL, 20, 37)}`],
  },
  "google-service-account": {
    found: [sa(pem("PRIVATE KEY", 38))],
    notFound: [
      sa("-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n"),
      JSON.stringify({ type: "service_account", client_email: "x@y" }),
    ],
  },
  "azure-storage-key": {
    found: [
      `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${azureKey};EndpointSuffix=core.windows.net`,
    ],
    notFound: [
      "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;",
      "AccountKey=<storage-key>;",
      `AccountKey=${rand(B64, 80, 6)}==`,
    ],
  },
  "databricks-token": {
    found: [`DATABRICKS_TOKEN=dapi${rand(HEX, 32, 39)}`, `token: dapi${rand(HEX, 32, 40)}-2`],
    notFound: [`dapi${"0".repeat(32)}`, `dapi${rand(HEX, 31, 39)}`],
  },
  "digitalocean-token": {
    found: [`DO_TOKEN=dop_v1_${rand(HEX, 64, 41)}`],
    notFound: [`dop_v1_${"f".repeat(64)}`, `dop_v1_${rand(HEX, 60, 41)}`],
  },
  "slack-token": {
    found: [
      `SLACK_BOT_TOKEN=xoxb-${rand(DIGITS, 12, 42)}-${rand(DIGITS, 13, 43)}-${rand(ALNUM, 24, 44)}`,
      `slack = "xoxp-${rand(DIGITS, 11, 45)}-${rand(DIGITS, 11, 46)}-${rand(DIGITS, 12, 47)}-${rand(HEX, 32, 48)}"`,
    ],
    notFound: ["SLACK_BOT_TOKEN=xoxb-your-token", `xoxb-${rand(DIGITS, 12, 42)}-${rand(ALNUM, 24, 44)}`],
  },
  "slack-webhook": {
    found: [
      `url: https://hooks.slack.com/services/T${rand(UPPER + DIGITS, 10, 49)}/B${rand(UPPER + DIGITS, 10, 50)}/${rand(ALNUM, 24, 51)}`,
    ],
    notFound: [
      "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
      "https://hooks.slack.com/services/...",
    ],
  },
  "discord-bot-token": {
    found: [`bot.run("${discordBotToken("112233445566778899", 52)}")`],
    notFound: [
      `bot.run("${discordBotToken("hello-world-abcdef", 52)}")`,
      `x = "M${rand(ALNUM, 23, 53)}.abc.def"`,
    ],
  },
  "discord-webhook": {
    found: [
      `WEBHOOK=https://discord.com/api/webhooks/${rand(DIGITS, 18, 54).replace(/^0/, "1")}/${rand(B64URL, 68, 55)}`,
    ],
    notFound: ["https://discord.com/api/webhooks/123/abc", "https://discord.com/api/webhooks/<id>/<token>"],
  },
  "telegram-bot-token": {
    found: [`TELEGRAM_TOKEN=${"1"}${rand(DIGITS, 9, 56)}:AA${rand(B64URL, 33, 57)}`],
    notFound: [
      "TELEGRAM_TOKEN=123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",
      `1${rand(DIGITS, 9, 56)}:AB${rand(B64URL, 33, 57)}`,
    ],
  },
  "sendgrid-api-key": {
    found: [`SENDGRID_API_KEY=SG.${rand(B64URL, 22, 58)}.${rand(B64URL, 43, 59)}`],
    notFound: ["SENDGRID_API_KEY=SG.xxxxxxxx", `SG.${rand(B64URL, 21, 58)}.${rand(B64URL, 43, 59)}`],
  },
  "twilio-auth-token": {
    found: [`TWILIO_AUTH_TOKEN=${rand(HEX, 32, 60)}`],
    notFound: [`TWILIO_ACCOUNT_SID=AC${rand(HEX, 32, 60)}`, `TWILIO_AUTH_TOKEN=${"0".repeat(32)}`],
  },
  "stripe-live-key": {
    found: [`stripe.api_key = "sk_live_${rand(ALNUM, 24, 61)}"`, `STRIPE_KEY=rk_live_${rand(ALNUM, 99, 62)}`],
    notFound: [
      `stripe.api_key = "sk_test_${rand(ALNUM, 24, 61)}"`,
      "sk_live_...",
      `sk_live_${"0".repeat(24)}`,
    ],
  },
  "private-key": {
    found: [
      pem("RSA PRIVATE KEY", 63),
      pem("PRIVATE KEY", 64),
      `key = """${pem("EC PRIVATE KEY", 65, 121)}"""`,
      JSON.stringify({ key: pem("PRIVATE KEY", 66) }),
    ],
    notFound: [
      "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
      "-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----",
      pem("PUBLIC KEY", 67),
      pem("CERTIFICATE", 68),
      pem("PRIVATE KEY", 69).replace("-----END PRIVATE KEY-----", ""),
    ],
  },
  "openssh-private-key": {
    found: [opensshKey(70)],
    notFound: [
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE...\n-----END OPENSSH PRIVATE KEY-----",
      pem("OPENSSH PRIVATE KEY", 71),
    ],
  },
  "age-secret-key": {
    found: [`# created: 2024-01-01\n${ageSecretKey(72)}\n`],
    notFound: [ageSecretKey(72).replace(/.$/, (c) => (c === "Q" ? "P" : "Q")), "AGE-SECRET-KEY-1..."],
  },
  "database-url": {
    found: [
      `DATABASE_URL=postgresql://app:${rand(ALNUM, 20, 73)}@db.prod.internal.net:5432/app`,
      `MONGO_URI="mongodb+srv://svc:${rand(ALNUM, 16, 74)}@cluster0.abcde.mongodb.net/db"`,
      `redis://default:${rand(ALNUM, 24, 75)}@localhost:6379`,
    ],
    notFound: [
      "postgresql://postgres:postgres@localhost:5432/db",
      "postgres://user:password@localhost/db",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell-style placeholder the detectors must ignore
      "mysql://${DB_USER}:${DB_PASSWORD}@${DB_HOST}/db",
      "postgresql://app:<password>@db.example.com/app",
      "postgresql://app@db.internal/app",
      "https://user:pass@example.org",
    ],
  },
  "generic-secret": {
    found: [
      `DB_PASSWORD=${rand(ALNUM, 14, 76)}!`,
      `password = "${rand(ALNUM, 12, 77)}#1"`,
      `"client_secret": "${rand(ALNUM, 32, 78)}"`,
      `api_key: '${rand(ALNUM, 24, 79)}'`,
    ],
    notFound: [
      'password = "hunter22"',
      'password = getpass.getpass("Password: ")',
      `"tokenizer_class": "PreTrainedTokenizerFast"`,
      `"pad_token": "<|endoftext|>"`,
      `token_hash = "${rand(HEX, 64, 80)}"`,
      `api_key_id = "${rand(ALNUM, 24, 81)}"`,
      `secret_name = "prod-db-credentials"`,
      `API_KEY=os.environ["API_KEY"]`,
      `password_file = "/run/secrets/db_password"`,
      `secret = "${"a1".repeat(10)}"`,
      `token = "12345678-1234-1234-1234-123456789abc"`,
      `password: "$2b$12$${rand(ALNUM, 53, 82)}"`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell-style placeholder the detectors must ignore
      "SECRET_KEY=${SECRET_KEY}",
      "api_key: YOUR_API_KEY_HERE",
      // Code and documentation from CPython's and PyTorch's own sources (real-file corpus):
      "            token.address = self._token.address",
      "            token = self._NULL_SENTINEL",
      "        self.token = self._make_token()",
      "authinfo.add_password(realm='PDQ Application',\n                      passwd='geheim$parole')",
      `api_key: settings.OPENAI_API_KEY`,
      "      onresumptiontoken: options2?.onresumptiontoken",
      '      botToken: "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",',
    ],
  },
};

describe("secret detectors", () => {
  it("every detector has cases both ways", () => {
    for (const d of SECRET_DETECTORS) {
      const c = CASES[d.id];
      expect(c, d.id).toBeDefined();
      expect(c?.found.length, d.id).toBeGreaterThan(0);
      expect(c?.notFound.length, d.id).toBeGreaterThan(0);
    }
    // The README names the count ("for 40 kinds of credentials"): keep the two in step.
    const readme = readFileSync(join(__dirname, "..", "..", "..", "..", "..", "README.md"), "utf8");
    expect(readme).toContain(`for ${SECRET_DETECTORS.length} kinds of credentials`);
    expect(new Set(SECRET_DETECTORS.map((d) => d.id)).size).toBe(SECRET_DETECTORS.length);
  });

  for (const [id, c] of Object.entries(CASES)) {
    describe(id, () => {
      c.found.forEach((text, i) => {
        it(`finds true positive ${i + 1}`, async () => {
          const findings = await scanText(text, c.path);
          expect(findings.map((f) => f.rule)).toEqual([`secrets/${id}`]);
        });
      });
      c.notFound.forEach((text, i) => {
        it(`ignores false positive ${i + 1}`, async () => {
          const findings = await scanText(text, c.path);
          expect(findings.map((f) => f.rule)).not.toContain(`secrets/${id}`);
          expect(findings.filter((f) => f.severity !== "suspicious")).toEqual([]);
        });
      });
    });
  }
});
