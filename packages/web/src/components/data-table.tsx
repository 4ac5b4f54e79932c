import type { ComponentChildren } from "preact";

/** One column: its header (empty for a column of buttons) and what a row shows in it. */
export interface Column<T> {
  header: string;
  cell(row: T): ComponentChildren;
}

/**
 * A scrollable table of `rows` with one header row, labelled for screen readers: the settings pages'
 * lists (tokens, signing keys) share it so that they look and read alike.
 */
export function DataTable<T>(props: {
  label: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey(row: T): string | number;
}) {
  return (
    <div class="table-scroll">
      <table aria-label={props.label}>
        <thead>
          <tr>
            {props.columns.map((c, i) => (
              <th key={i} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((c, i) => (
                <td key={i}>{c.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
