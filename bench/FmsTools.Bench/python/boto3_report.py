"""Sequential boto3 loop producing the organization compliance report (the peer FmsTools' report is compared with).

ListPolicies, then per policy ListComplianceStatus (every page) and GetComplianceDetail for each non-compliant
account, one call after the other, as a straightforward script would. Stops after --budget seconds; the JSON it
prints says whether it completed and what it read, with per-operation call counts and times for extrapolation.
Credentials come from the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), never from arguments.
"""
import argparse, json, sys, time
import boto3

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--budget", type=float, required=True)
    args = parser.parse_args()
    fms = boto3.client("fms", endpoint_url=args.endpoint, region_name=args.region)
    started = time.perf_counter()
    deadline = started + args.budget
    calls = {"ListPolicies": 0, "ListComplianceStatus": 0, "GetComplianceDetail": 0}
    seconds = dict.fromkeys(calls, 0.0)

    def call(operation, fn, **kwargs):
        t0 = time.perf_counter()
        result = fn(**kwargs)
        seconds[operation] += time.perf_counter() - t0
        calls[operation] += 1
        return result

    policies, token = [], None
    while True:
        page = call("ListPolicies", fms.list_policies, **({"NextToken": token} if token else {}))
        policies += page.get("PolicyList", [])
        token = page.get("NextToken")
        if not token:
            break
    report, complete = [], True
    for policy in sorted(policies, key=lambda p: p["PolicyName"]):
        if time.perf_counter() > deadline:
            complete = False
            break
        statuses, token = [], None
        while True:
            kwargs = {"PolicyId": policy["PolicyId"]}
            if token:
                kwargs["NextToken"] = token
            page = call("ListComplianceStatus", fms.list_compliance_status, **kwargs)
            statuses += page.get("PolicyComplianceStatusList", [])
            token = page.get("NextToken")
            if not token:
                break
        entry = {"policyId": policy["PolicyId"], "accounts": len(statuses), "nonCompliant": {}, "complete": True}
        for status in statuses:
            if not any(r["ComplianceStatus"] == "NON_COMPLIANT" for r in status.get("EvaluationResults", [])):
                continue
            if time.perf_counter() > deadline:
                entry["complete"] = False
                complete = False
                break
            detail = call("GetComplianceDetail", fms.get_compliance_detail, PolicyId=policy["PolicyId"], MemberAccount=status["MemberAccount"])
            entry["nonCompliant"][status["MemberAccount"]] = len(detail["PolicyComplianceDetail"].get("Violators", []))
        report.append(entry)
        if not entry["complete"]:
            break
    json.dump({"complete": complete, "elapsed": time.perf_counter() - started, "calls": calls, "seconds": seconds,
               "policies": len(policies), "report": report}, sys.stdout)

if __name__ == "__main__":
    main()
