# What a test run must not leave behind (issue 16 §7): Dovecot masters and lab daemons it started, the
# throwaway PostgreSQL server (scripts/lib/postgres-cluster, issue 18), and Attesta's folders in the temp
# dir (attesta-*). scripts/test takes a snapshot before the cargo tests and fails afterwards, naming
# each one, if anything new survives them.

# leftovers_snapshot: print one line per Dovecot master, lab daemon, PostgreSQL server and attesta-* temp
# folder. A PostgreSQL server is its main process, the one started as `.../bin/postgres -D DIR`; the
# processes it forks rename themselves (`postgres: checkpointer`) and end with it.
leftovers_snapshot() {
    local pid
    for pid in $(pgrep -x dovecot || true) $(pgrep -f 'attesta lab serve' || true) \
        $(pgrep -f '^[^ ]*/bin/postgres -D ' || true); do
        # A zombie has exited already; only its parent has not collected it yet.
        [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] && continue
        printf 'process %s %s\n' "$pid" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    done
    local tmp=${TMPDIR:-/tmp}
    local path
    for path in "$tmp"/attesta-*; do
        [ -e "$path" ] || [ -L "$path" ] || continue
        printf 'temp %s\n' "$path"
    done
}

# leftovers_check BEFORE_FILE: fail, naming them, if processes or folders appeared since the snapshot.
leftovers_check() {
    local before=$1
    local survivors
    survivors=$(leftovers_snapshot | sort | comm -13 <(sort "$before") -)
    if [ -n "$survivors" ]; then
        echo "error: the tests left these behind (a test that starts a server or makes a folder must" >&2
        echo "remove it on success, failure and panic):" >&2
        sed 's/^/  /' <<<"$survivors" >&2
        return 1
    fi
    echo "no daemon or attesta-* temp folder left by the tests"
}
