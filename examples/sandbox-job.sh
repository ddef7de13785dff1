#!/usr/bin/env bash
# The README's sandbox job without PowerShell: start the standalone FMS sandbox with the demo organization
# and produce the organization's compliance summary with the aws CLI (an independent client).
# Usage: bash examples/sandbox-job.sh [Debug|Release]
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${1:-Release}
WORK=$(mktemp -d)
SANDBOX_PID=""
cleanup() {
  if [ -n "$SANDBOX_PID" ] && kill -0 "$SANDBOX_PID" 2>/dev/null; then
    kill -TERM "$SANDBOX_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SANDBOX_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SANDBOX_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

SERVER="src/FmsTools.Sandbox.Server/bin/$CONFIG/net10.0/fms-sandbox.dll"
[ -f "$SERVER" ] || dotnet build src/FmsTools.Sandbox.Server -c "$CONFIG" --nologo -v quiet >/dev/null
mkfifo "$WORK/ready"
dotnet "$SERVER" --port 0 --demo >"$WORK/ready" 2>"$WORK/sandbox.err" &
SANDBOX_PID=$!
# The sandbox prints one JSON line when it listens; wait for it (bounded), never for a fixed time.
if ! READY=$(timeout 60 head -n 1 "$WORK/ready"); then
  echo "sandbox did not start:" >&2; cat "$WORK/sandbox.err" >&2; exit 1
fi
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$READY" "$1"; }
ENDPOINT=$(field endpoint)
echo "sandbox: $ENDPOINT (administrator account $(field adminAccountId))"

# An isolated aws CLI configuration: the sandbox's own demo keys, no user profile involved.
export AWS_CONFIG_FILE="$WORK/config" AWS_SHARED_CREDENTIALS_FILE="$WORK/credentials"
: >"$AWS_CONFIG_FILE"; : >"$AWS_SHARED_CREDENTIALS_FILE"
export AWS_ACCESS_KEY_ID=$(field accessKeyId) AWS_SECRET_ACCESS_KEY=$(field secretAccessKey) AWS_DEFAULT_REGION=$(field region)
export AWS_PAGER=""
fms() { aws fms "$@" --endpoint-url "$ENDPOINT" --output json; }

fms get-admin-account >"$WORK/admin.json"
fms list-policies >"$WORK/policies.json"
python3 - "$WORK" "$ENDPOINT" <<'PY'
import json, subprocess, sys
work, endpoint = sys.argv[1], sys.argv[2]
def fms(*args):
    out = subprocess.run(["aws", "fms", *args, "--endpoint-url", endpoint, "--output", "json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out) if out.strip() else {}
policies = json.load(open(f"{work}/policies.json"))["PolicyList"]
assert policies, "the demo organization has policies"
total_non_compliant = total_violators = 0
print(f"{'policy':32} {'type':32} {'accounts':>8} {'non-compliant':>13} {'violators':>9}")
for p in policies:
    statuses = fms("list-compliance-status", "--policy-id", p["PolicyId"])["PolicyComplianceStatusList"]
    bad = [s for s in statuses if any(r["ComplianceStatus"] == "NON_COMPLIANT" for r in s["EvaluationResults"])]
    violators = 0
    for s in bad:
        detail = fms("get-compliance-detail", "--policy-id", p["PolicyId"], "--member-account", s["MemberAccount"])
        violators += len(detail["PolicyComplianceDetail"]["Violators"])
    total_non_compliant += len(bad); total_violators += violators
    print(f"{p['PolicyName'][:32]:32} {p['SecurityServiceType'][:32]:32} {len(statuses):8} {len(bad):13} {violators:9}")
print(f"organization: {len(policies)} policies, {total_non_compliant} non-compliant policy x account pairs, {total_violators} violating resources")
assert total_non_compliant > 0, "the demo organization starts with deliberate gaps"
PY
echo "sandbox job: OK"
