import { useState } from "preact/hooks";
import { useAuth } from "../auth/auth";
import { useLoad } from "../use-load";

/** The branch rules the hub enforces, as `settings/{rule}` of a repository or organisation. */
const RULES = [
  {
    rule: "signed-commits",
    label: "Require verified signatures on branches",
    help: "pushes adding a commit that is not Verified are refused",
  },
  {
    rule: "no-force-push",
    label: "Refuse force pushes on branches",
    help: "only fast-forwards: git push --force, branch deletion, overwrite and super-squash are refused",
  },
] as const;

interface RuleSettings {
  branches: string[];
  orgBranches?: string[];
}

/**
 * Branch rules of one repository or organisation (`base`: its settings API path), one form per rule:
 * branch names or patterns (`main release/*`), separated by spaces or commas; empty removes the rule.
 */
export function BranchRulesForm(props: { base: string }) {
  return (
    <>
      <h2>Branch rules</h2>
      {RULES.map((r) => (
        <RuleForm key={r.rule} base={props.base} {...r} />
      ))}
    </>
  );
}

function RuleForm(props: { base: string; rule: string; label: string; help: string }) {
  const { api, viewer } = useAuth();
  const url = `${props.base}/${props.rule}`;
  const [version, setVersion] = useState(0);
  const [typed, setTyped] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  const current = useLoad((signal) => api.getJson<RuleSettings>(url, signal), [viewer, version]);
  if (current.state === "failed") return <p role="alert">{current.error.message}</p>;
  if (current.state === "loading") return <p aria-busy="true">Loading…</p>;
  const id = `rule-${props.rule}`;
  const save = (e: Event) => {
    e.preventDefault();
    const branches = (typed ?? current.data.branches.join(" ")).split(/[\s,]+/).filter((b) => b !== "");
    api.send<RuleSettings>("PUT", url, { branches }).then(
      (saved) => {
        setTyped(undefined);
        setMessage({
          ok: true,
          text: saved.branches.length ? `Saved: ${saved.branches.join(", ")}` : "Removed",
        });
        setVersion(version + 1);
      },
      (err: unknown) => setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) }),
    );
  };
  const org = current.data.orgBranches ?? [];
  return (
    <form onSubmit={save} aria-label={props.label}>
      <label for={id}>
        {props.label} ({props.help})
      </label>
      <input
        id={id}
        placeholder="main release/*"
        value={typed ?? current.data.branches.join(" ")}
        onInput={(e) => setTyped(e.currentTarget.value)}
      />
      {org.length > 0 && <p>The organisation's rule also covers: {org.join(", ")}</p>}
      <button type="submit">Save</button>
      {message && (
        <p class={message.ok ? undefined : "text-danger"} role={message.ok ? "status" : "alert"}>
          {message.text}
        </p>
      )}
    </form>
  );
}
