/**
 * The loaders' cache: one entry per pair of files, keyed by their absolute paths, so that
 * loading the same data set twice costs two `stat` calls. An entry is used again only while
 * both files keep the size and modification time they had when they were read, so rewriting a
 * file (as tests do) never returns stale data.
 *
 * Cached data sets are shared: every caller gets the same frozen record and must not write into
 * its `images` or `labels`.
 */
import fs from "node:fs";
import type { ImageDataset } from "./image-dataset";

interface CacheEntry {
  readonly stamp: string;
  readonly dataset: ImageDataset;
}

const cache = new Map<string, CacheEntry>();

/**
 * Empties the data-set cache, so that the next `loadMnist` / `loadFashionMnist` reads the files
 * again and the memory held by earlier loads can be reclaimed once callers drop them.
 *
 * @example
 *   const a = loadMnist({ split: "test" });
 *   clearDatasetCache();
 *   const b = loadMnist({ split: "test" }); // read again: b !== a, same contents
 */
export function clearDatasetCache(): void {
  cache.clear();
}

/**
 * The cached data set for `key` if `files` are unchanged, else the result of `load()`, cached.
 * Internal: not re-exported from the package.
 */
export function cachedDataset(key: string, files: readonly string[], load: () => ImageDataset): ImageDataset {
  const stamp = files.map(fileStamp).join("|");
  const hit = cache.get(key);
  if (hit !== undefined && hit.stamp === stamp) return hit.dataset;
  const dataset = load();
  cache.set(key, { stamp, dataset });
  return dataset;
}

function fileStamp(file: string): string {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat === undefined ? "missing" : `${stat.size}:${stat.mtimeMs}`;
}
