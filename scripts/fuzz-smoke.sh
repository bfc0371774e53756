#!/usr/bin/env bash
# Short fuzzing of every target in fuzz/ (`cargo fuzz list`), so each CI run explores a little
# and a crash, panic, failed assertion, leak or hang fails it. Needs the nightly toolchain and
# cargo-fuzz; both are installed here when missing.
#
#   scripts/fuzz-smoke.sh            FUZZ_SECONDS per target (default 25)
#
# The seeds live in the repository (fuzz/corpus/<target>/: small real inputs: FTL control
# lines, RTP/RTCP packets, x264 SPSs and keyframes, WHEP offers). Runs read them and write what
# they find to a temporary directory, so the repository corpus stays small; add a found input
# by hand when it covers something new (`cargo +nightly fuzz cmin TARGET` keeps it minimal).
# A failing input is kept in fuzz/artifacts/<target>/; replay it with
# `cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/<file>`.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
SECONDS_EACH="${FUZZ_SECONDS:-25}"

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "Installing the nightly toolchain (cargo fuzz needs it)"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "Installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

targets=$(cargo +nightly fuzz list)
cargo +nightly fuzz build
failed=()
for target in $targets; do
  mkdir -p "corpus/$target" "artifacts/$target"
  found=$(mktemp -d "/tmp/shimmer-fuzz-$target.XXXXXX")
  echo "== fuzz $target (${SECONDS_EACH}s, $(ls "corpus/$target" | wc -l) seeds)"
  if cargo +nightly fuzz run "$target" "$found" "corpus/$target" -- \
      -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="artifacts/$target/" -print_final_stats=1 2>"$found.log"; then
    grep -E '^stat::(number_of_executed_units|new_units_added)' "$found.log" | tr '\n' ' '
    echo
  else
    failed+=("$target")
    tail -n 60 "$found.log"
    echo "FAIL fuzz $target: the input is in fuzz/artifacts/$target/"
  fi
  rm -rf "$found" "$found.log"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found failures in: ${failed[*]}" >&2
  exit 1
fi
echo "ok   fuzz: $(echo $targets | wc -w) targets, ${SECONDS_EACH}s each, no failure"
