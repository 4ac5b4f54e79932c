import type { AuditRecord } from "../api/types";
import { formatDate } from "../format";

/** An audit log as a table, newest first. */
export function AuditTable(props: { entries: AuditRecord[]; label: string }) {
  if (props.entries.length === 0) return <p>No entries yet.</p>;
  return (
    <div class="table-scroll">
      <table aria-label={props.label}>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">By</th>
            <th scope="col">From</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {props.entries.map((e) => (
            <tr key={e.id}>
              <td>{formatDate(e.createdAt)}</td>
              <td>
                <code>{e.kind}</code>
              </td>
              <td>{e.actor ?? "—"}</td>
              <td>{e.address ?? "—"}</td>
              <td>
                <code>{JSON.stringify(e.detail)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
