import { escapeControl as shown } from "@modelgate/scanner";
import { fullName, type RepoId, treeHref } from "../routes";

/** `ns/repo / folder / sub / file`: each folder links to its listing; the last item is the current page. */
export function Breadcrumbs(props: { id: RepoId; rev: string; path: string }) {
  const parts = props.path.split("/").filter((p) => p.length > 0);
  return (
    <nav aria-label="Breadcrumb" class="breadcrumbs">
      <ol>
        <li>
          {parts.length === 0 ? (
            <span aria-current="page">{fullName(props.id)}</span>
          ) : (
            <a href={treeHref(props.id, props.rev)}>{fullName(props.id)}</a>
          )}
        </li>
        {parts.map((part, i) => {
          const last = i === parts.length - 1;
          return (
            <li key={i}>
              {last ? (
                <span aria-current="page">{shown(part)}</span>
              ) : (
                <a href={treeHref(props.id, props.rev, parts.slice(0, i + 1).join("/"))}>{shown(part)}</a>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
