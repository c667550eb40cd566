#!/bin/sh
# Draws the four figures of docs/ from numbers adjverify computes: the
# convergence of bp, backsolve and interp (converge), partner against bp over
# precision and backsolve's digits on P6 (tables/*.csv), the theta^4 flow
# (gradflow).  Usage: make-figures.sh [BIN] [OUTDIR] [svg|png]
set -eu

BIN=${1:-bin/adjverify}
OUT=${2:-docs/figures}
FMT=${3:-svg}
TABLES=${TABLES:-tables}

if ! command -v gnuplot >/dev/null 2>&1; then
    echo "gnuplot not found: figures skipped (apt-get install gnuplot-nox)"
    exit 0
fi
if [ ! -x "$BIN" ]; then
    echo "make-figures.sh: $BIN is not built (run make)" >&2
    exit 2
fi

case "$FMT" in
svg) TERM_LINE='set terminal svg size 760,520 font "Helvetica,13" enhanced background "white"' ;;
png) TERM_LINE='set terminal pngcairo size 760,520 font "Helvetica,11" enhanced' ;;
*) echo "make-figures.sh: format must be svg or png" >&2; exit 2 ;;
esac

mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM

# Rows "scheme,..." of section SEC (1-based, sections start at "# adjverify")
# of a tables/ csv, transposed to "bits value" lines for the columns whose
# header ends in " bits".
csv_row_by_bits() { # file section scheme
    awk -F, -v sec="$2" -v want="$3" '
        /^# adjverify/ { s++; hdr = 0; next }
        s == sec && hdr == 0 && NF > 1 { for (i = 1; i <= NF; i++) h[i] = $i; n = NF; hdr = 1; next }
        s == sec && $1 == want {
            for (i = 1; i <= n; i++)
                if (h[i] ~ /^[0-9]+ bits$/) { split(h[i], b, " "); print b[1], $i }
        }' "$1"
}

# 1. Error against h on P1 (mlp), rk4, for the three gradient methods.
for m in bp backsolve interp; do
    "$BIN" --format csv converge --problem mlp --scheme rk4 --method "$m" \
        --against reference > "$WORK/conv_$m.csv"
    awk -F, 'NR > 1 { print $2, $3 }' "$WORK/conv_$m.csv" > "$WORK/conv_$m.dat"
done
# The observed order at the smallest h, for the legend.
last_order() { awk -F, 'NR > 1 { o = $4 } END { print o }' "$WORK/conv_$1.csv"; }
O_BP=$(last_order bp); O_BS=$(last_order backsolve); O_IN=$(last_order interp)

# 2. |partner - bp| (section 1) and |same - bp| (section 2) over precision.
P="$TABLES/partner_vs_bp_precision.csv"
csv_row_by_bits "$P" 1 rk4 > "$WORK/partner_rk4.dat"
csv_row_by_bits "$P" 1 gauss2 > "$WORK/partner_gauss2.dat"
csv_row_by_bits "$P" 2 rk4 > "$WORK/same_rk4.dat"

# 3. The theta^4 flow on a dense grid t = 0, 0.1, ..., 10.
T=$(awk 'BEGIN { for (i = 0; i <= 100; i++) printf "%s%g", (i ? "," : ""), i / 10 }')
"$BIN" --format csv gradflow --t "$T" | awk -F, 'NR > 1 { print $1, $2, $4, $7 }' > "$WORK/flow.dat"

# 4. Digits of z(0) recovered by backsolve on P6 (decay), per scheme.
awk -F, '$1 == "decay" { print $3, $5 > (W "/digits_" $2 ".dat") }' \
    W="$WORK" "$TABLES/backsolve_digits.csv"
RK4Z=$(awk -F, '$1 == "decay" && $2 == "rk4" { print $4; exit }' "$TABLES/backsolve_digits.csv")

for f in conv_bp conv_backsolve conv_interp partner_rk4 partner_gauss2 same_rk4 \
         flow digits_rk4 digits_implicit-midpoint digits_gauss2; do
    if [ ! -s "$WORK/$f.dat" ]; then
        echo "make-figures.sh: no numbers for $f (stale tables/? run make tables)" >&2
        exit 1
    fi
done

gnuplot <<GP
$TERM_LINE
set encoding utf8
set key box opaque
set grid lc rgb "#dddddd"
W = "$WORK"

set output "$OUT/convergence.$FMT"
set title "Gradient error on P1 (mlp) with rk4: all three methods converge at order 4"
set logscale xy
set format y "10^{%L}"
set xlabel "step size h = T/N (T = 1)"
set ylabel "max-norm error of dL/dθ, dL/dz_0 against the reference"
set key top left
set yrange [*:1e-2]
stats W."/conv_bp.dat" using 1:2 nooutput
h0 = STATS_min_x; e0 = STATS_min_y
c = e0 / h0**4 / 4.0
set label 1 "slope 4" at 0.03, c*0.03**4 offset 1,-0.8 font ",12"
plot W."/conv_bp.dat" u 1:2 w lp pt 7 ps 1.2 lw 2 t "bp (backprop through the steps), observed order $O_BP", \
     W."/conv_backsolve.dat" u 1:2 w lp pt 5 ps 1.0 lw 2 t "backsolve (adjoint, z solved backwards), order $O_BS", \
     W."/conv_interp.dat" u 1:2 w lp pt 9 ps 1.2 lw 2 t "interp (adjoint, z interpolated), order $O_IN", \
     c*x**4 w l dt 2 lw 1.5 lc rgb "black" t "reference line C h^4 (slope 4)"
unset label 1
unset yrange

set output "$OUT/partner-precision.$FMT"
set title "Partner adjoint equals bp up to rounding; the same-scheme adjoint does not (P1, N = 8)"
set xlabel "working precision (bits)"
set ylabel "max |adjoint gradient - bp gradient|"
unset logscale x
set logscale y
set format x "%g"
set xtics (64, 128, 256, 512, 1024)
set xrange [0:1100]
set yrange [1e-320:1e20]
set key bottom left Left reverse
plot W."/partner_rk4.dat" u 1:2 w lp pt 7 ps 1.2 lw 2 t "rk4 partner adjoint (overlaps gauss2)", \
     W."/partner_gauss2.dat" u 1:2 w lp pt 5 ps 1.0 lw 2 t "gauss2 partner adjoint", \
     W."/same_rk4.dat" u 1:2 w lp pt 9 ps 1.2 lw 2 t "rk4 same-scheme adjoint (truncation error: flat)", \
     2**(-x) w l dt 2 lw 1.5 lc rgb "black" t "2^{-bits} (one rounding unit)"
unset xrange
unset yrange

set output "$OUT/gradient-flow.$FMT"
set title "Gradient flow dθ/dt = -η dL/dθ, L = θ^4/2, η = 1/10, θ_0 = 2"
unset logscale
set xtics autofreq
set format x "%g"
set format y "%g"
set xlabel "time t"
set ylabel "parameter θ(t)"
set xrange [0:10]
set yrange [0:2.1]
set key default box opaque top right
plot W."/flow.dat" u 1:4 w l lw 2 dt 2 lc rgb "#d62728" t "essay: θ_0 (1 + 6ηθ_0^2 t)^{-1/2}", \
     W."/flow.dat" u 1:3 w l lw 5 lc rgb "#9ecae1" t "correct: θ_0 (1 + 4ηθ_0^2 t)^{-1/2}", \
     W."/flow.dat" every 5 u 1:2 w p pt 7 ps 0.8 lc rgb "#1f4e9c" t "numerical solution (Taylor series ODE solver)"
unset xrange
unset yrange

set output "$OUT/backsolve-digits.$FMT"
set title "Backsolve on P6 (decay, N = 64): digits of z(0) recovered by solving backwards"
set xlabel "working precision (bits)"
set ylabel "correct decimal digits of the recovered z(0)"
unset logscale
set xtics (53, 128, 256, 384, 512)
set xrange [0:540]
set yrange [-5:165]
set key top left
plot W."/digits_implicit-midpoint.dat" u 1:2 w lp pt 7 ps 1.2 lw 2 t "implicit midpoint", \
     W."/digits_gauss2.dat" u 1:2 w lp pt 5 ps 1.0 lw 2 dt 2 t "gauss2", \
     W."/digits_rk4.dat" u 1:2 w lp pt 9 ps 1.2 lw 2 t "rk4 (recovers z(0) = $RK4Z instead of 1)", \
     x*log10(2) w l dt 3 lw 1.5 lc rgb "black" t "all the digits the precision carries (bits log_{10} 2)"
GP

echo "figures written to $OUT"
