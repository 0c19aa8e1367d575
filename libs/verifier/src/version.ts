import { version } from '../../../package.json';

/** What `--version` prints: the release of the repository the tools were built from. */
export const TOOL_VERSION: string = version;
