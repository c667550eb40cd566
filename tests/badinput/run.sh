#!/bin/sh
# run.sh: the bad-input matrix.  Runs BIN (bin/adjverify) once per line of
# tests/badinput/cases.txt in a scratch directory and checks what a user
# sees: the exit code, exactly one line on stderr starting with
# `adjverify: error:` and holding the expected text, nothing on stdout, and
# no file created, changed or removed in tables/ or in a `--dir` given.
# Then a few valid inputs that must be accepted, and interruption of
# `tables` by SIGTERM and SIGINT.  Usage: sh tests/badinput/run.sh BIN
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-bin/adjverify}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
[ -x "$bin" ] || { echo "run.sh: no executable '$bin'" >&2; exit 2; }
cases=${BADINPUT_CASES:-$here/cases.txt}
limit=${BADINPUT_TIMEOUT:-120}

work=$(mktemp -d "${TMPDIR:-/tmp}/adjverify-badinput.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 2' INT TERM HUP
cd "$work" || exit 2

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    printf 'FAIL %s\n' "$1"
    shift
    for m in "$@"; do printf '     %s\n' "$m"; done
}

# Runs a command under a time limit when timeout(1) exists: a hang is a
# failure too.
run_limited() {
    if command -v timeout >/dev/null 2>&1; then
        timeout "$limit" "$@"
    else
        "$@"
    fi
}

# --- generated inputs (too large or too binary to keep in the tree) ---

# N copies of the string S, no newline.
rep() { awk -v n="$2" -v s="$1" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }

big=9$(rep 9 9999)                 # a number with 10,000 digits
huge=1$(rep 0 20000)               # 20,001 digits: longer than a number may be

mk_rk4() { printf 'name = x\nc = 0 1/2 1/2 1\nA = 0 0 0 0; 1/2 0 0 0; 0 1/2 0 0; 0 0 1 0\n'; }

# An explicit tableau with S stages, all of A zero, b = (1, 0, ..., 0).
mk_stages() {
    awk -v s="$1" 'BEGIN {
        printf "name = wide\nA = ";
        for (i = 0; i < s; i++) {
            for (j = 0; j < s; j++) printf "%s0", (j ? " " : "");
            printf "%s", (i < s - 1 ? "; " : "\n");
        }
        printf "b = 1";
        for (i = 1; i < s; i++) printf " 0";
        printf "\n";
    }'
}

gen() {
    case $1 in
    empty) : ;;
    big10mb)                      # 10 MB of well-formed comment lines
        awk 'BEGIN { l = sprintf("%099d", 0); for (i = 0; i < 100000; i++) print "#" l }' ;;
    longline)                     # a key of 100,000 characters
        printf 'model = scalar\n'; rep a 100000; printf ' = 1\n' ;;
    longname)                     # a name of 100,000 characters
        printf 'model = scalar\ntheta = 1\nz0 = 1\nT = 1\nname = '; rep a 100000; printf '\n' ;;
    longscheme)
        printf 'A = 1/2\nb = 1\nname = '; rep b 100000; printf '\n' ;;
    longnumbers)                  # a 100,000-character line of numbers
        printf 'model = scalar\ntheta = '; rep '1 ' 50000; printf '\nz0 = 1\nT = 1\n' ;;
    nul) printf 'model = scalar\ntheta = 1\000/2\nz0 = 1\nT = 1\n' ;;
    utf8val) printf 'model = scalar\nname = caf\303\251\nz0 = 1\nT = 1\n' ;;
    utf8bad) printf 'model = scalar\ntheta = 1\nz0 = \377\376\nT = 1\n' ;;
    utf8key) printf 'model = scalar\n\377 = 1\nz0 = 1\nT = 1\n' ;;
    bigdigits) printf 'model = lotka\nalpha = 2/3\nbeta = 4/3\ndelta = 1\ngamma = 1\nz0 = %s 1\nT = 1\n' "$big" ;;
    hugenumber) printf 'model = scalar\ntheta = %s\nz0 = 1\nT = 1\n' "$huge" ;;
    stages0) printf 'name = none\nA = \nb = \n' ;;
    stages65) mk_stages 65 ;;
    stages1000) mk_stages 1000 ;;
    manykeys) awk 'BEGIN { for (i = 0; i < 300; i++) printf "k%d = 1\n", i }' ;;
    rk4norow) mk_rk4 ;;
    *) echo "run.sh: unknown generated input '$1'" >&2; return 1 ;;
    esac
}

# --- tables/ and --dir snapshots ---

seed_dir() {
    rm -rf "$1" && mkdir "$1" &&
        printf 'previous table\n' >"$1/claims.md" &&
        printf 'id,verdict\nE1,VERIFIED\n' >"$1/claims.csv"
}
# Names (dot files too: a temporary left behind), modes, sizes and bytes.
snapshot() { { ls -lA "$@"; cat "$@"/* "$@"/.??* 2>/dev/null; } | cksum; }

# --- the matrix ---

seed_dir tables && seed_dir dir || exit 2
before=$(snapshot tables dir)
n=0
while IFS= read -r line || [ -n "$line" ]; do
    case $line in '' | '#'*) continue ;; esac
    n=$((n + 1))
    args=${line%% | *}
    rest=${line#* | }
    input=${rest%% | *}
    rest=${rest#* | }
    want=${rest%% | *}
    expect=${rest#* | }
    rm -f in.txt out err
    case $input in
    -) ;;
    gen:*) gen "${input#gen:}" >in.txt || { bad "$n: $args" "bad input spec"; continue; } ;;
    *) printf '%b' "$input" >in.txt ;;
    esac
    set -f
    # shellcheck disable=SC2086
    set -- $args
    set +f
    argv=""
    for a in "$@"; do
        case $a in
        *'{BIG}'*) a=$(printf '%s' "$a" | sed "s/{BIG}/$big/") ;;
        esac
        case $a in
        '{F}') a=in.txt ;;
        '{D}') a=dir ;;
        esac
        argv="$argv $a"
    done
    set -f
    # shellcheck disable=SC2086
    run_limited "$bin" $argv >out 2>err
    rc=$?
    set +f
    why=""
    [ "$rc" = "$want" ] || why="exit $rc, expected $want"
    [ -s out ] && why="$why${why:+; }stdout not empty: $(head -c 120 out)"
    lines=$(wc -l <err)
    lines=$((lines + 0))
    first=""
    IFS= read -r first <err
    case $first in
    'adjverify: error: '*) ;;
    *) why="$why${why:+; }stderr does not start with 'adjverify: error:'" ;;
    esac
    [ "$lines" = 1 ] || why="$why${why:+; }stderr has $lines lines"
    grep -F -q -e "$expect" err || why="$why${why:+; }stderr lacks '$expect'"
    if [ "$(snapshot tables dir)" != "$before" ]; then
        why="$why${why:+; }tables/ or --dir changed: $(ls -A tables dir | tr '\n' ' ')"
        seed_dir tables && seed_dir dir || exit 2
    fi
    if [ -z "$why" ]; then ok; else bad "$n: $args ($input)" "$why" "stderr: $(head -c 300 err)"; fi
done <"$cases"

# --- valid inputs that must be accepted, with the value they mean ---

# A decimal is read exactly: 0.3333333333 is not 1/3.  With one Euler step
# on z' = theta z, z(1) = 1 + theta exactly, so the printed zT tells them
# apart at 20 digits.
zt_of() {
    printf 'model = scalar\ntheta = %s\nz0 = 1\nT = 1\nloss = linear\n' "$1" >in.txt
    run_limited "$bin" --format csv gradient --problem in.txt --scheme euler --steps 1 \
        --method bp 2>err | awk -F, '$1 == "zT[0]" { print $2 }'
}
dec=$(zt_of 0.3333333333)
third=$(zt_of 1/3)
if [ "$dec" = "1.3333333333000000000e+00" ] && [ "$third" = "1.3333333333333333333e+00" ]; then
    ok
else
    bad "decimal 0.3333333333 read exactly" "zT = '$dec' and for 1/3 '$third'"
fi
# A 10,000-digit number is a number: accepted and exact.
printf 'model = scalar\ntheta = 0\nz0 = %s\nT = 1\nloss = linear\n' "$big" >in.txt
v=$(run_limited "$bin" --format csv gradient --problem in.txt --scheme euler --steps 1 \
    --method bp 2>err | awk -F, '$1 == "zT[0]" { print $2 }')
if [ "$v" = "1.0000000000000000000e+10000" ]; then ok; else bad "10,000-digit z0" "zT = '$v' $(cat err)"; fi

# --- interruption: SIGTERM and SIGINT during `tables` ---

# A complete run gives the new tables (the output is deterministic; 64 bits
# keep it short).  Then `tables --dir tdir` is started over old tables and
# killed at fractions of the full run's length: every file must afterwards
# be whole, either the old one or the new one, none missing and no
# temporary left behind.
ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime 2>/dev/null || echo 0; }
t0=$(ms)
mkdir ref && "$bin" --prec 64 tables --dir ref >/dev/null 2>err || bad "tables --dir ref" "$(cat err)"
full=$(($(ms) - t0))
[ "$full" -gt 0 ] || full=100
seed_old() {
    rm -rf tdir && mkdir tdir || exit 2
    for f in ref/*; do
        { cat "$f" && echo "old"; } >"tdir/${f#ref/}" || exit 2
    done
}
interrupt() {
    sig=$1
    delay=$(awk -v f="$2" -v ms="$full" 'BEGIN { printf "%.3f", f * ms / 1000 }')
    seed_old
    "$bin" --prec 64 tables --dir tdir >/dev/null 2>err &
    pid=$!
    sleep "$delay"
    kill -s "$sig" "$pid" 2>/dev/null
    { wait "$pid"; } 2>/dev/null
    why=""
    extra=$(cd tdir && for f in * .??*; do [ -e "$f" ] && [ ! -e "../ref/$f" ] && printf '%s ' "$f"; done)
    [ -z "$extra" ] || why="left behind: $extra"
    for f in ref/*; do
        b=${f#ref/}
        if [ ! -f "tdir/$b" ]; then
            why="$why${why:+; }$b lost"
        elif ! cmp -s "tdir/$b" "$f" && [ "$(tail -n 1 "tdir/$b")" != old ]; then
            why="$why${why:+; }$b is neither the old nor the new table"
        fi
    done
    if [ -z "$why" ]; then ok; else bad "tables killed by SIG$sig after ${delay}s" "$why"; fi
}
for f in ${BADINPUT_KILL_AT:-0.2 0.5 0.8}; do
    interrupt TERM "$f"
    interrupt INT "$f"
done

printf '%d passed, %d failed\n' "$pass" "$fail"
[ "$fail" = 0 ]
