import { KeyedMutex } from "../util/keyed-mutex.js";

/**
 * Serialises every ref change of one repository (commits, branches, tags, merges, squashes) inside
 * this process, keyed by its git folder: the ref updater takes one transaction per repository at a
 * time, and git's compare-and-swap still guards against any other writer.
 */
export const repoLocks = new KeyedMutex();
