#!/bin/sh
# run.sh TEST...: run test programs and scripts, and sum up.
#
# A Check program prints "NN%: Checks: C, Failures: F, Errors: E"; its
# checks count one each.  Any other program or script counts as one test,
# passed when it exits 0.  A program that crashes, hangs past the timeout
# or prints no summary fails.  The last line is "N passed, N failed".
set -u
TIMEOUT=${TEST_TIMEOUT:-300}
passed=0
failed=0
failures=""
out=$(mktemp)
trap 'rm -f "$out"' EXIT

for t in "$@"; do
	name=$(basename "$t")
	timeout "$TIMEOUT" "$t" >"$out" 2>&1
	rc=$?
	summary=$(grep -E '^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$out" | tail -n 1)
	if [ -n "$summary" ]; then
		c=$(echo "$summary" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
		f=$(echo "$summary" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
		e=$(echo "$summary" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
		bad=$((f + e))
		if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
			bad=1	# it said all passed, then failed anyway
		fi
		passed=$((passed + c - f - e))
		failed=$((failed + bad))
		if [ "$bad" -ne 0 ]; then
			echo "FAIL $name: $summary (exit $rc)"
			grep -E ':[FE]:' "$out" | head -n 20 | sed 's/^/    /'
			[ "$rc" -ge 124 ] && tail -n 20 "$out" | sed 's/^/    /'
			failures="$failures $name"
		else
			echo "ok   $name: $c checks"
		fi
	elif [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok   $name"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		echo "FAIL $name (exit $rc)"
		tail -n 30 "$out" | sed 's/^/    /'
	fi
done

[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
