#!/usr/bin/env node
'use strict';
// ledger-verify: verifies a ledger or a bundle offline. Exit status: 0 verified, 1 the log disagrees, 2 usage or I/O.
require('./launch').launch('ledger-verify', 'libs/verifier/src/cli.js', 'runCli');
