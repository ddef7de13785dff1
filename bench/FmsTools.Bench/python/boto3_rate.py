"""Sequential boto3 GetAdminAccount calls for a fixed time: the peer rate for the client-overhead comparison."""
import argparse, json, sys, time
import boto3

parser = argparse.ArgumentParser()
parser.add_argument("--endpoint", required=True)
parser.add_argument("--region", required=True)
parser.add_argument("--seconds", type=float, required=True)
args = parser.parse_args()
fms = boto3.client("fms", endpoint_url=args.endpoint, region_name=args.region)
for _ in range(20):
    fms.get_admin_account()
calls, started = 0, time.perf_counter()
while time.perf_counter() - started < args.seconds:
    fms.get_admin_account()
    calls += 1
json.dump({"calls": calls, "seconds": time.perf_counter() - started}, sys.stdout)
