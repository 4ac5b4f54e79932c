import type { RepoType } from "../names.js";

/** URL prefixes of a repository type: its API routes and its web (resolve, git) routes. */
export interface RepoTypeRoutes {
  type: RepoType;
  api: string;
  web: string;
}

/** Models live at `/api/models` and `/`, datasets at `/api/datasets` and `/datasets`, as on the Hub. */
export const REPO_TYPE_ROUTES: readonly RepoTypeRoutes[] = [
  { type: "model", api: "/api/models", web: "" },
  { type: "dataset", api: "/api/datasets", web: "/datasets" },
];

/** Route parameters every repository route has. */
export interface RepoParams {
  ns: string;
  repo: string;
}
