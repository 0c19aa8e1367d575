#!/usr/bin/env node
'use strict';
// ledger-monitor: follows a live ledger and prints NDJSON alerts. Exit status: 0 after --rounds polls, 1 the log misbehaved, 2 usage or I/O.
require('./launch').launch('ledger-monitor', 'libs/verifier/src/monitor-cli.js', 'runMonitorCli');
