#!/usr/bin/env bash
# Tries the several-machines setup of docs/deploy.md on one machine: two instances (3101, 3102)
# on PostgreSQL + Redis behind nginx (8080), then a rolling restart while a client edits.
# Needs: a built app (npm run build), PostgreSQL and Redis on 127.0.0.1, nginx installed with
# deploy/nginx.conf in /etc/nginx/conf.d/. Everything stays on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pitboard_cluster}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
export REDIS_PREFIX=${REDIS_PREFIX:-pitboard-cluster}   # its own keys and channels on a shared Redis
# nginx on this machine is the only proxy whose X-Forwarded-For the instances believe.
export TRUST_PROXY=${TRUST_PROXY:-127.0.0.1}
export PUBLIC_URL=http://127.0.0.1:8080 NODE_ENV=production LOG_LEVEL=warn
# Every instance derives customer links with the same key (docs/deploy.md).
export SHARE_LINK_SECRET=${SHARE_LINK_SECRET:-$(node -e "console.log(require('crypto').randomBytes(32).toString('hex'))")}

start() { # port
  PITBOARD_DEMO=${DEMO:-0} PORT=$1 node apps/web/server.js >>"/tmp/pitboard-$1.log" 2>&1 &
  echo $! >"/tmp/pitboard-$1.pid"
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0; sleep 0.1; done
  echo "instance $1 did not start"; exit 1
}
stop() { # port: SIGTERM, wait for the graceful exit
  local pid; pid=$(cat "/tmp/pitboard-$1.pid")
  kill -TERM "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

psql -h 127.0.0.1 -U postgres -qc "drop database if exists pitboard_cluster" 2>/dev/null
psql -h 127.0.0.1 -U postgres -qc "create database pitboard_cluster"
DEMO=1 start 3101   # one instance seeds the demo workshop
start 3102
nginx -t -q && (nginx -s reload 2>/dev/null || nginx)
sleep 0.5
curl -sf http://127.0.0.1:8080/healthz && echo " <- healthz through nginx"

node --conditions=pitboard-source --import tsx deploy/rolling-restart-check.ts http://127.0.0.1:8080 20 &
client=$!
sleep 5;  echo "restarting 3101"; stop 3101; start 3101
sleep 5;  echo "restarting 3102"; stop 3102; start 3102
wait $client && result=ok || result=FAILED
stop 3101; stop 3102; nginx -s stop || true
echo "rolling restart: $result"
[ "$result" = ok ]
