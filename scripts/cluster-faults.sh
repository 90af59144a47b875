#!/usr/bin/env bash
# The long forms of the cluster fault tests (issue 15; CI runs the short ones in `mvn verify`): ClusterFaultTest and
# ClusterTest with PostgreSQL stopped for 20 s under load, node A killed after 200 acknowledged writes, and the
# replication lag measured over 1,000 writes. Each test starts and stops its own PostgreSQL (scripts/pg.sh) and nodes.
#
#   scripts/cluster-faults.sh [OUTAGE_SECONDS [KILL_AFTER [LAG_WRITES]]]     defaults 20 200 1000
set -euo pipefail
cd "$(dirname "$0")/.."
OUTAGE=${1:-20}
KILL_AFTER=${2:-200}
WRITES=${3:-1000}
mvn -B -ntp -q -pl server -am verify -Dsurefire.failIfNoSpecifiedTests=false -Dtest='ClusterFaultTest,ClusterTest' \
  -Dexchange.cluster.outageSeconds="$OUTAGE" -Dexchange.cluster.killAfter="$KILL_AFTER" -Dexchange.cluster.writes="$WRITES" \
  2>&1 | grep -E "^cluster|Tests run|FAIL|ERROR\]" || true
grep -h "^cluster" server/target/surefire-reports/*Cluster*-output.txt 2>/dev/null || true
grep -h "Tests run" server/target/surefire-reports/wales.exchange.server.Cluster*.txt
! grep -q "FAILURE" server/target/surefire-reports/wales.exchange.server.Cluster*.txt
