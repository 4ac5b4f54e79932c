/**
 * The JSON the pages read: the Hugging Face Hub API's shapes as the modelgate hub answers them
 * (the same routes `huggingface_hub` and `@huggingface/hub` call). Only the fields the pages use.
 */
import type { FileStatus, SecurityFileStatus } from "@modelgate/hub/security-status-types";
import type { FileReport } from "@modelgate/scanner";

export type { FileStatus, RedactedSecret, SecurityFileStatus } from "@modelgate/hub/security-status-types";

/** One entry of `GET /api/models/{ns}/{repo}/tree/{rev}/{path}`. */
export interface TreeEntry {
  type: "file" | "directory";
  oid: string;
  size: number;
  path: string;
  lfs?: { oid: string; size: number; pointerSize: number };
  lastCommit?: { id: string; title: string; date: string };
  securityFileStatus?: SecurityFileStatus;
}

/** `securityRepoStatus` of `GET /api/models/{ns}/{repo}?securityStatus=true`. */
export interface SecurityRepoStatus {
  scansDone: boolean;
  filesWithIssues: { path: string; level: FileStatus }[];
}

/** `GET /api/models/{ns}/{repo}`. */
export interface RepoInfo {
  id: string;
  sha: string;
  private: boolean;
  lastModified: string;
  siblings: { rfilename: string }[];
  securityRepoStatus?: SecurityRepoStatus;
}

/** One repository of the listing `GET /api/models?search=`. */
export interface RepoListItem {
  id: string;
  private: boolean;
  lastModified?: string;
}

/** One commit of `GET /api/models/{ns}/{repo}/commits/{rev}`. */
export interface CommitItem {
  id: string;
  title: string;
  message?: string;
  date: string;
  authors: { user: string }[];
}

/** `GET /api/models/{ns}/{repo}/refs`. */
export interface RepoRefs {
  branches: { name: string; ref: string; targetCommit: string }[];
  tags?: { name: string; ref: string; targetCommit: string }[];
}

/** `GET /api/models/{ns}/{repo}/scan/{rev}/{path}`: the stored scan report of one file. */
export interface FileScan {
  path: string;
  status: FileStatus;
  report: FileReport | null;
  message?: string;
}

/** `GET /api/whoami-v2`, the fields the pages show. */
export interface WhoAmI {
  name: string;
  fullname?: string;
  orgs: { name: string }[];
  auth?: { accessToken?: { displayName?: string; role?: string } };
}
