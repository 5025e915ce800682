/** Builds the hive editor page (index.html, app.js, app.css) into `out` (default dist/web); returns the file names. */
export function buildWeb(out?: string, options?: { minify?: boolean }): Promise<string[]>;
