import * as path from "path";

/** The repository's root folder: accounts.ts, terraform/, cdktf.out/ are found from here. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
