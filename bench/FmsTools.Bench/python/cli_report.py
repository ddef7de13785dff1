"""The same report through the aws CLI, one `aws fms ...` process per call, sequentially (as a shell loop would).

A full CLI run at scale takes hours, so this runs a bounded sample: list-policies once, then for the first K policies
(by name) list-compliance-status (the CLI follows NextToken itself) and get-compliance-detail for up to M non-compliant
accounts each, at most --invocations CLI processes in all. It prints the time of each invocation by operation, so the
caller can extrapolate per call, and what the sample read, so the caller can compare it with FmsTools' report.
The aws CLI reads credentials from the environment; the config and credentials files are empty ones in --work.
"""
import argparse, json, os, subprocess, sys, time

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--invocations", type=int, required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    env = dict(os.environ)
    for name in ("config", "credentials"):
        open(os.path.join(args.work, "cli-" + name), "w").close()
    env.update({"AWS_CONFIG_FILE": os.path.join(args.work, "cli-config"), "AWS_SHARED_CREDENTIALS_FILE": os.path.join(args.work, "cli-credentials"),
                "AWS_DEFAULT_REGION": args.region, "AWS_PAGER": ""})
    deadline = time.perf_counter() + args.timeout
    timings = {"list-policies": [], "list-compliance-status": [], "get-compliance-detail": []}

    def aws(command, *rest):
        if time.perf_counter() > deadline:
            raise TimeoutError("the CLI sample ran out of time")
        t0 = time.perf_counter()
        out = subprocess.run(["aws", "fms", command, *rest, "--endpoint-url", args.endpoint, "--output", "json"],
                             check=True, capture_output=True, text=True, env=env, timeout=120).stdout
        timings[command].append(time.perf_counter() - t0)
        return json.loads(out) if out.strip() else {}

    started = time.perf_counter()
    policies = sorted(aws("list-policies")["PolicyList"], key=lambda p: p["PolicyName"])
    remaining = args.invocations - 1
    k = max(1, min(len(policies), remaining // 12))
    per_policy = max(0, (remaining - k) // k)
    sample = []
    for policy in policies[:k]:
        if remaining <= 0:
            break
        statuses = aws("list-compliance-status", "--policy-id", policy["PolicyId"])["PolicyComplianceStatusList"]
        remaining -= 1
        bad = [s["MemberAccount"] for s in statuses if any(r["ComplianceStatus"] == "NON_COMPLIANT" for r in s.get("EvaluationResults", []))]
        drilled = {}
        for account in bad[:min(per_policy, remaining)]:
            detail = aws("get-compliance-detail", "--policy-id", policy["PolicyId"], "--member-account", account)
            drilled[account] = len(detail["PolicyComplianceDetail"].get("Violators", []))
            remaining -= 1
        sample.append({"policyId": policy["PolicyId"], "accounts": len(statuses), "nonCompliantAccounts": bad, "drilled": drilled})
    json.dump({"elapsed": time.perf_counter() - started, "timings": timings, "policies": len(policies), "sample": sample}, sys.stdout)

if __name__ == "__main__":
    main()
