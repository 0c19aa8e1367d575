import { runCli } from './cli';
import { runAsProcess } from './process-main';

// The entry point of the packed `ledger-verify` (scripts/pack-verifier.js bundles it with every
// dependency into one file, so the tarball needs nothing but Node.js).
runAsProcess('ledger-verify', runCli);
