import type { Badge } from "../security/badges";

/** A security badge: words and colour, the description as a tooltip and for screen readers. */
export function StatusBadge(props: { badge: Badge }) {
  const { badge } = props;
  return (
    <span class={`badge badge-${badge.tone}`} title={badge.description}>
      {badge.label}
      <span class="visually-hidden">: {badge.description}</span>
    </span>
  );
}
