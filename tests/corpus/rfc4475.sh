#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# RFC 4475 torture messages through "vgctl -j inspect": every message must
# get the verdict its RFC section gives (3.1.1, 3.2, 3.3 and 3.4 pass;
# 3.1.2 is dropped with a reason). One TAP line per message.
set -u
cd "$(dirname "$0")/../.."
dir=../shared/corpus/sip/rfc4475
vgctl=build/vgctl

if ! command -v python3 >/dev/null; then
	echo "# python3 not found"
	exit 4
fi
if [ ! -x "$vgctl" ]; then
	echo "# $vgctl not built (make vgctl)"
	exit 4
fi
if [ ! -d "$dir" ]; then
	echo "# corpus $dir not found"
	exit 4
fi

# RFC 4475 section 3 classification of its messages.
classes='
3.1.1 accept wsinv intmeth esc01 escnull esc02 lwsdisp longreq dblreq semiuri transports mpart01 unreason noreason
3.1.2 drop badinv01 clerr ncl scalar02 scalarlg quotbal ltgtruri lwsruri lwsstart trws escruri baddate regbadct badaspec baddn badvers mismatch01 mismatch02 bigcode
3.2 accept badbranch
3.3 accept insuf unkscm novelsc unksm2 bext01 invut regaut01 multi01 mcl01 bcast zeromf cparam01 cparam02 regescrt sdp01
3.4 accept inv2543
'

echo "# $vgctl -j inspect $dir/*.dat"
json=$("$vgctl" -j inspect "$dir"/*.dat)
status=$?
if [ $status -ne 0 ]; then
	echo "not ok 1 - vgctl inspect exited $status"
	echo "1..1"
	exit 1
fi

CLASSES="$classes" python3 - "$json" <<'PY'
import json, os, sys

expected = {}
for line in os.environ["CLASSES"].strip().splitlines():
    section, verdict, *names = line.split()
    for name in names:
        expected[name] = (section, verdict)

results = {}
for item in json.loads(sys.argv[1]):
    name = os.path.basename(item["file"])
    if name.endswith(".dat"):
        name = name[:-4]
    results[name] = item

n = failed = 0
for name in sorted(set(expected) | set(results)):
    n += 1
    if name not in expected:
        print(f"not ok {n} - {name}: not in the RFC 4475 table")
        failed += 1
        continue
    section, want = expected[name]
    item = results.get(name)
    if item is None:
        print(f"not ok {n} - {name} ({section}): no verdict")
        failed += 1
        continue
    got, reason = item["verdict"], item["reason"]
    good = got == want and (reason is None) == (want == "accept")
    what = got if reason is None else f"{got} ({reason})"
    print(f"{'' if good else 'not '}ok {n} - {name} ({section}): {what}")
    if not good:
        print(f"#   want {want}")
        failed += 1
print(f"1..{n}")
sys.exit(1 if failed else 0)
PY
