import type { CallRecord, FileReport, Finding, Location } from "@modelgate/scanner";
import { callFedBy, escapeControl as shown } from "@modelgate/scanner";
import { formatCount, formatSize } from "../format";

/** Where in a file, in words: `member archive/data.pkl, byte 31`. */
export function describeLocation(loc: Location | undefined): string {
  if (!loc) return "";
  const parts: string[] = [];
  if (loc.member !== undefined) parts.push(`member ${loc.member}`);
  if (loc.line !== undefined)
    parts.push(`line ${loc.line}${loc.column !== undefined ? `:${loc.column}` : ""}`);
  if (loc.offset !== undefined) parts.push(`byte ${loc.offset}`);
  return shown(parts.join(", "));
}

/** Findings the imports table already shows, one per dangerous or suspicious import. */
const IMPORT_RULES: ReadonlySet<string> = new Set(["pickle/dangerous-import", "pickle/suspicious-import"]);

/**
 * A file's security detail from its scan report: pickle imports (each innocuous, suspicious or
 * dangerous, with the reason and the call it feeds), where in the file, calls, malware result,
 * redacted secrets, other findings and the format summary (tensors for safetensors).
 */
export function FileReportView(props: { report: FileReport }) {
  const { report } = props;
  const secrets = report.findings.filter((f) => f.check === "secrets");
  const others = report.findings.filter(
    (f) => f.check !== "secrets" && f.check !== "malware" && !IMPORT_RULES.has(f.rule),
  );
  const malwareFindings = report.findings.filter((f) => f.check === "malware");
  const fedCalls = new Set(report.imports.map((i) => callFedBy(i, report.calls)));
  const otherCalls = report.calls.filter((c) => !fedCalls.has(c));
  return (
    <div class="report">
      <p>
        Format: <strong>{report.format}</strong>, {formatSize(report.size)}.
      </p>
      {report.imports.length > 0 && <ImportsTable report={report} />}
      {otherCalls.length > 0 && <CallsTable calls={otherCalls} />}
      <MalwareSection report={report} findings={malwareFindings} />
      {secrets.length > 0 && <FindingsList title="Secrets (redacted)" findings={secrets} />}
      {others.length > 0 && <FindingsList title="Other findings" findings={others} />}
      <FormatSummary report={report} />
    </div>
  );
}

function ImportsTable(props: { report: FileReport }) {
  const { report } = props;
  return (
    <section aria-labelledby="imports-title">
      <h3 id="imports-title">Imports</h3>
      <p class="muted">
        What loading this file with Python's pickle would import and call. Dangerous imports can run commands
        or code.
      </p>
      <div class="table-scroll">
        <table class="imports">
          <thead>
            <tr>
              <th scope="col">Import</th>
              <th scope="col">Safety</th>
              <th scope="col">Why</th>
              <th scope="col">Call it feeds</th>
              <th scope="col">Where</th>
            </tr>
          </thead>
          <tbody>
            {report.imports.map((imp) => {
              const call = callFedBy(imp, report.calls);
              return (
                <tr key={`${imp.module}.${imp.name}`} class={`safety-row-${imp.safety}`}>
                  <th scope="row">
                    <code>{shown(`${imp.module}.${imp.name}`)}</code>
                    {imp.count > 1 && <span class="muted"> ×{imp.count}</span>}
                  </th>
                  <td>
                    <span class={`safety safety-${imp.safety}`}>{imp.safety}</span>
                  </td>
                  <td>{shown(imp.reason ?? (imp.safety === "innocuous" ? "known safe" : ""))}</td>
                  <td>
                    {call ? (
                      <code>{shown(`${call.callable}${call.args}`)}</code>
                    ) : (
                      <span class="muted">none</span>
                    )}
                  </td>
                  <td>{describeLocation(imp.location)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function CallsTable(props: { calls: readonly CallRecord[] }) {
  return (
    <section aria-labelledby="calls-title">
      <h3 id="calls-title">Other calls</h3>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Call</th>
              <th scope="col">Safety</th>
              <th scope="col">Opcode</th>
              <th scope="col">Where</th>
            </tr>
          </thead>
          <tbody>
            {props.calls.map((c, i) => (
              <tr key={i}>
                <th scope="row">
                  <code>{shown(`${c.callable}${c.args}`)}</code>
                </th>
                <td>
                  <span class={`safety safety-${c.safety}`}>{c.safety}</span>
                </td>
                <td>{c.opcode}</td>
                <td>{describeLocation(c.location)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function MalwareSection(props: { report: FileReport; findings: readonly Finding[] }) {
  const av = props.report.av;
  return (
    <section aria-labelledby="malware-title">
      <h3 id="malware-title">Malware scan</h3>
      {!av && <p class="muted">No malware scan for this file.</p>}
      {av?.status === "clean" && <p>Clean: no known threat found.</p>}
      {av?.status === "infected" && (
        <p class="text-danger">
          <strong>Infected:</strong> {av.signatures.join(", ") || "unnamed threat"}
        </p>
      )}
      {av && (av.status === "not-scanned" || av.status === "error") && (
        <p>
          {av.status === "error" ? "The malware scan failed" : "Not scanned"}
          {av.message ? `: ${shown(av.message)}` : "."}
        </p>
      )}
      {props.findings.length > 0 && <FindingItems findings={props.findings} />}
    </section>
  );
}

function FindingsList(props: { title: string; findings: readonly Finding[] }) {
  const id = `findings-${props.title.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{props.title}</h3>
      <FindingItems findings={props.findings} />
    </section>
  );
}

function FindingItems(props: { findings: readonly Finding[] }) {
  return (
    <ul class="findings">
      {props.findings.map((f, i) => (
        <li key={i}>
          <span class={`severity severity-${f.severity}`}>{f.severity}</span> <code>{f.rule}</code>:{" "}
          {shown(f.message)}
          {f.location && <span class="muted"> ({describeLocation(f.location)})</span>}
        </li>
      ))}
    </ul>
  );
}

function FormatSummary(props: { report: FileReport }) {
  const { info, members } = props.report;
  const tensors = info?.tensors;
  const parameters = info?.parameters;
  const dtypes = info?.dtypes;
  const metadata = info?.metadata;
  const hasTensors =
    typeof tensors === "number" || typeof parameters === "number" || typeof parameters === "string";
  if (!hasTensors && !members?.length) return null;
  return (
    <section aria-labelledby="summary-title">
      <h3 id="summary-title">Contents</h3>
      {hasTensors && (
        <dl class="facts">
          {typeof tensors === "number" && (
            <>
              <dt>Tensors</dt>
              <dd>{formatCount(tensors)}</dd>
            </>
          )}
          {(typeof parameters === "number" || typeof parameters === "string") && (
            <>
              <dt>Parameters</dt>
              <dd>{formatCount(parameters)}</dd>
            </>
          )}
          {isRecord(dtypes) && (
            <>
              <dt>Data types</dt>
              <dd>
                {Object.entries(dtypes)
                  .map(([k, v]) => `${k}: ${String(v)} ${v === 1 ? "tensor" : "tensors"}`)
                  .join(", ")}
              </dd>
            </>
          )}
          {isRecord(metadata) &&
            Object.entries(metadata).map(([k, v]) => (
              <>
                <dt>
                  Metadata <code>{k}</code>
                </dt>
                <dd>{String(v)}</dd>
              </>
            ))}
        </dl>
      )}
      {members && members.length > 0 && (
        <details>
          <summary>
            {members.length} {members.length === 1 ? "member" : "members"} inside
          </summary>
          <ul class="members">
            {members.map((m) => (
              <li key={m.path}>
                <code>{shown(m.path)}</code> ({m.format}, {formatSize(m.size)})
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
