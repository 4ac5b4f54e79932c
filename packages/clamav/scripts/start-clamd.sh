#!/usr/bin/env bash
# Starts a throwaway clamd for modelgate's tests and benchmarks: unix socket DIR/clamd.sock and
# TCP 127.0.0.1:PORT, databases from DIR/db (EICAR test signature added when missing), no freshclam.
# Prints clamd's pid once it answers PING. Stop it with: kill "$(cat DIR/clamd.pid)".
#
# Usage: start-clamd.sh DIR PORT [clamd.conf lines...]
#   e.g. start-clamd.sh /tmp/clamd-test 3310 "StreamMaxLength 1M" "MaxFileSize 512K"
# Extra lines come last, so they override the defaults written here.
set -euo pipefail

dir=${1:?usage: start-clamd.sh DIR PORT [clamd.conf lines...]}
port=${2:?usage: start-clamd.sh DIR PORT [clamd.conf lines...]}
shift 2
clamd=${CLAMD:-$(command -v clamd || echo /usr/sbin/clamd)}
if [[ ! -x $clamd ]]; then
  echo "start-clamd.sh: clamd not found (apt-get install -y clamav-daemon)" >&2
  exit 127
fi

mkdir -p "$dir/db" "$dir/tmp"
dir=$(cd "$dir" && pwd)
# The EICAR test file (68 bytes) by its MD5: a signature of our own, since freshclam cannot run here.
if [[ ! -e $dir/db/modelgate-test.hdb ]]; then
  echo "44d88612fea8a8f36de82e1278abb02f:68:ModelGate.Test.EICAR" > "$dir/db/modelgate-test.hdb"
fi

{
  echo "# Written by start-clamd.sh for tests: do not use in production."
  echo "Foreground no"
  echo "PidFile $dir/clamd.pid"
  echo "LocalSocket $dir/clamd.sock"
  echo "TCPSocket $port"
  echo "TCPAddr 127.0.0.1"
  echo "DatabaseDirectory $dir/db"
  echo "TemporaryDirectory $dir/tmp"
  echo "LogFile $dir/clamd.log"
  echo "LogTime yes"
  echo "MaxThreads 4"
  echo "AlertExceedsMax yes"
  for line in "$@"; do echo "$line"; done
} > "$dir/clamd.conf"

rm -f "$dir/clamd.pid" "$dir/clamd.sock"
"$clamd" --config-file="$dir/clamd.conf"

# clamd forks once its databases are loaded; wait until it answers PING on the TCP port.
for _ in $(seq 1 300); do
  if reply=$(exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'zPING\0' >&3 && timeout 2 head -c 4 <&3) 2>/dev/null &&
    [[ $reply == PONG ]]; then
    cat "$dir/clamd.pid"
    exit 0
  fi
  sleep 0.1
done
echo "start-clamd.sh: clamd did not answer PING within 30 s; see $dir/clamd.log" >&2
[[ -e $dir/clamd.pid ]] && kill "$(cat "$dir/clamd.pid")" 2>/dev/null || true
exit 1
