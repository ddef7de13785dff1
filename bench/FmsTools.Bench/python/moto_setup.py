"""Gives a fresh moto server an organization with N member accounts (setup for the request-rate comparison)."""
import argparse
import boto3

parser = argparse.ArgumentParser()
parser.add_argument("--endpoint", required=True)
parser.add_argument("--accounts", type=int, required=True)
args = parser.parse_args()
org = boto3.client("organizations", endpoint_url=args.endpoint, region_name="us-east-1")
org.create_organization(FeatureSet="ALL")
for i in range(args.accounts):
    org.create_account(AccountName=f"member-{i:05d}", Email=f"aws+member-{i:05d}@example.com")
assert len(org.list_accounts(MaxResults=20)["Accounts"]) == 20
