"""Drives every FMS operation against the sandbox through boto3 or the aws CLI and checks each response
against botocore's output shape (members known to the model, JSON types, required members).

Usage: python3 fms_conformance.py --driver boto3|cli --config CONFIG.json
CONFIG holds endpoint, region, keys ({"admin": [id, secret], "management": [...], "delegate": [...]}) and accounts.
Prints one JSON object: {"operations": {name: "ok" | "error: ..."}, "problems": [...]}; exit code 0 when no problems.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import boto3
import botocore.session
from botocore.config import Config


def kebab(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


class ShapeChecker:
    def __init__(self, model, problems):
        self.model = model
        self.problems = problems

    def check(self, operation, data, parsed_timestamps):
        shape = self.model.operation_model(operation).output_shape
        if shape is None:
            if data not in ({}, None, ""):
                self.problems.append("%s: expected an empty body, got %r" % (operation, data))
            return
        self._check(operation, shape, data, operation, parsed_timestamps)

    def _check(self, operation, shape, value, path, parsed_timestamps):
        kind = shape.type_name
        if kind == "structure":
            if not isinstance(value, dict):
                self.problems.append("%s: %s should be an object" % (operation, path))
                return
            for name in value:
                if name not in shape.members and name != "ResponseMetadata":
                    self.problems.append("%s: %s.%s is not in the model" % (operation, path, name))
            for name in shape.required_members:
                if name not in value:
                    self.problems.append("%s: required %s.%s is missing" % (operation, path, name))
            for name, member in shape.members.items():
                if name in value and value[name] is not None:
                    self._check(operation, member, value[name], path + "." + name, parsed_timestamps)
        elif kind == "list":
            if not isinstance(value, list):
                self.problems.append("%s: %s should be a list" % (operation, path))
                return
            for index, item in enumerate(value):
                self._check(operation, shape.member, item, "%s[%d]" % (path, index), parsed_timestamps)
        elif kind == "map":
            if not isinstance(value, dict):
                self.problems.append("%s: %s should be a map" % (operation, path))
                return
            for key, item in value.items():
                self._check(operation, shape.value, item, "%s[%s]" % (path, key), parsed_timestamps)
        elif kind == "string":
            if not isinstance(value, str):
                self.problems.append("%s: %s should be a string" % (operation, path))
            elif shape.enum and value not in shape.enum:
                self.problems.append("%s: %s=%r is not in the enum" % (operation, path, value))
        elif kind in ("integer", "long"):
            if not isinstance(value, int) or isinstance(value, bool):
                self.problems.append("%s: %s should be an integer" % (operation, path))
        elif kind == "boolean":
            if not isinstance(value, bool):
                self.problems.append("%s: %s should be a boolean" % (operation, path))
        elif kind == "timestamp":
            # On the wire JSON 1.1 timestamps are epoch seconds; the CLI prints them as numbers or ISO 8601 text
            # depending on cli_timestamp_format, so parsed output may be either.
            is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
            ok = (is_number or isinstance(value, str)) if parsed_timestamps else is_number
            if not ok:
                self.problems.append("%s: %s should be a timestamp" % (operation, path))


class Boto3Driver:
    def __init__(self, config, checker):
        self.config = config
        self.checker = checker
        self.raw = {}

    def client(self, who):
        key, secret = self.config["keys"][who]
        session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name=self.config["region"])
        client = session.client("fms", endpoint_url=self.config["endpoint"], config=Config(retries={"max_attempts": 1}))
        client.meta.events.register("after-call.fms", self._capture)
        return client

    def _capture(self, http_response, model, **kwargs):
        body = http_response.content
        self.raw[model.name] = json.loads(body) if body else {}

    def call(self, who, operation, params):
        client = self.client(who)
        method = getattr(client, re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower())
        try:
            result = method(**params)
        except client.exceptions.ClientError as error:
            return None, error.response["Error"]["Code"]
        self.checker.check(operation, self.raw.get(operation, {}), parsed_timestamps=False)
        result.pop("ResponseMetadata", None)
        return result, None


class CliDriver:
    def __init__(self, config, checker):
        self.config = config
        self.checker = checker
        handle, self.empty = tempfile.mkstemp()
        os.close(handle)

    def call(self, who, operation, params):
        key, secret = self.config["keys"][who]
        env = dict(os.environ)
        env.update({
            "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_CONFIG_FILE": self.empty,
            "AWS_SHARED_CREDENTIALS_FILE": self.empty, "AWS_MAX_ATTEMPTS": "1", "AWS_PAGER": "",
        })
        env.pop("AWS_SESSION_TOKEN", None)
        env.pop("AWS_PROFILE", None)
        command = ["aws", "fms", kebab(operation), "--cli-input-json", json.dumps(params), "--endpoint-url", self.config["endpoint"],
                   "--region", self.config["region"], "--output", "json", "--no-paginate"]
        completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        if completed.returncode != 0:
            match = re.search(r"\(([A-Za-z]+)\)", completed.stderr)
            return None, match.group(1) if match else completed.stderr.strip()
        result = json.loads(completed.stdout) if completed.stdout.strip() else {}
        self.checker.check(operation, result, parsed_timestamps=True)
        return result, None


def run(driver, config):
    accounts = config["accounts"]
    outcomes = {}

    def call(operation, params, who="admin", expect_error=None):
        result, error = driver.call(who, operation, params)
        if expect_error:
            outcomes.setdefault(operation, "ok" if error == expect_error else "error: expected %s, got %s" % (expect_error, error))
        else:
            outcomes[operation] = "ok" if error is None else "error: " + str(error)
        return result or {}

    call("GetAdminAccount", {}, "management")
    call("ListAdminAccountsForOrganization", {}, "management")
    call("GetAdminScope", {"AdminAccount": accounts["admin"]}, "management")
    call("PutAdminAccount", {"AdminAccount": accounts["delegate"], "AdminScope": {"RegionScope": {"Regions": [config["region"]], "AllRegionsEnabled": False}}}, "management")
    call("ListAdminsManagingAccount", {}, "delegate")
    call("ListMemberAccounts", {})
    call("ListDiscoveredResources", {"MemberAccountIds": [accounts["prodWeb"]], "ResourceType": "AWS::ElasticLoadBalancingV2::LoadBalancer"})

    created = call("PutPolicy", {"Policy": {
        "PolicyName": "conformance", "ResourceType": "AWS::ElasticLoadBalancingV2::LoadBalancer", "ExcludeResourceTags": False, "RemediationEnabled": False,
        "SecurityServicePolicyData": {"Type": "WAFV2", "ManagedServiceData": json.dumps({
            "type": "WAFV2", "preProcessRuleGroups": [], "postProcessRuleGroups": [], "defaultAction": {"type": "ALLOW"}, "overrideCustomerWebACLAssociation": False})}},
        "TagList": [{"Key": "suite", "Value": "conformance"}]})
    policy_id = created["Policy"]["PolicyId"]
    policy_arn = created["PolicyArn"]
    call("GetPolicy", {"PolicyId": policy_id})
    call("ListPolicies", {"MaxResults": 50})

    waf_policy = config["demoPolicies"]["waf"]
    statuses = call("ListComplianceStatus", {"PolicyId": waf_policy})
    call("GetComplianceDetail", {"PolicyId": waf_policy, "MemberAccount": accounts["prodApi"]})
    violation = config["violation"]
    call("GetViolationDetails", {"PolicyId": waf_policy, "MemberAccount": violation["account"], "ResourceId": violation["resourceId"], "ResourceType": violation["resourceType"]})
    # Network Firewall route violations: each detail shape and its PossibleRemediationActions through the real parser.
    route_problems = []
    for route in config.get("routeViolations", []):
        details = call("GetViolationDetails", {"PolicyId": config["demoPolicies"]["networkFirewall"], "MemberAccount": route["account"], "ResourceId": route["resourceId"], "ResourceType": route["resourceType"]})
        items = (details or {}).get("ViolationDetail", {}).get("ResourceViolations", [])
        shapes = [name for item in items for name in item if name != "PossibleRemediationActions" and item[name]]
        if route["shape"] not in shapes:
            route_problems.append("%s (%s) should carry %s, got %s" % (route["resourceId"], route["reason"], route["shape"], shapes))
    if route_problems:
        outcomes["GetViolationDetails"] = "error: " + "; ".join(route_problems)
    call("GetProtectionStatus", {"PolicyId": config["demoPolicies"]["shield"]})

    apps = call("PutAppsList", {"AppsList": {"ListName": "conformance-apps", "AppsList": [{"AppName": "HTTPS", "Protocol": "tcp", "Port": 443}]}})
    call("GetAppsList", {"ListId": apps["AppsList"]["ListId"]})
    call("ListAppsLists", {"MaxResults": 10})
    protocols = call("PutProtocolsList", {"ProtocolsList": {"ListName": "conformance-protocols", "ProtocolsList": ["tcp"]}})
    call("GetProtocolsList", {"ListId": protocols["ProtocolsList"]["ListId"]})
    call("ListProtocolsLists", {"MaxResults": 10})

    resource_set = call("PutResourceSet", {"ResourceSet": {"Name": "conformance-set", "ResourceTypeList": ["AWS::ElasticLoadBalancingV2::LoadBalancer"]}})
    set_id = resource_set["ResourceSet"]["Id"]
    call("GetResourceSet", {"Identifier": set_id})
    call("ListResourceSets", {})
    alb = "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/conformance/0123456789abcdef" % (config["region"], accounts["prodWeb"])
    call("BatchAssociateResource", {"ResourceSetIdentifier": set_id, "Items": [alb]})
    call("ListResourceSetResources", {"Identifier": set_id})
    call("BatchDisassociateResource", {"ResourceSetIdentifier": set_id, "Items": [alb]})

    call("PutNotificationChannel", {"SnsTopicArn": "arn:aws:sns:%s:%s:fms" % (config["region"], accounts["admin"]),
                                    "SnsRoleName": "arn:aws:iam::%s:role/fms-sns" % accounts["admin"]})
    call("GetNotificationChannel", {})
    call("DeleteNotificationChannel", {})

    call("TagResource", {"ResourceArn": policy_arn, "TagList": [{"Key": "owner", "Value": "security"}]})
    call("ListTagsForResource", {"ResourceArn": policy_arn})
    call("UntagResource", {"ResourceArn": policy_arn, "TagKeys": ["owner"]})

    call("AssociateThirdPartyFirewall", {"ThirdPartyFirewall": "FORTIGATE_CLOUD_NATIVE_FIREWALL"})
    call("GetThirdPartyFirewallAssociationStatus", {"ThirdPartyFirewall": "FORTIGATE_CLOUD_NATIVE_FIREWALL"})
    call("ListThirdPartyFirewallFirewallPolicies", {"ThirdPartyFirewall": "PALO_ALTO_NETWORKS_CLOUD_NGFW", "MaxResults": 10})
    call("DisassociateThirdPartyFirewall", {"ThirdPartyFirewall": "FORTIGATE_CLOUD_NATIVE_FIREWALL"})

    call("DeleteAppsList", {"ListId": apps["AppsList"]["ListId"]})
    call("DeleteProtocolsList", {"ListId": protocols["ProtocolsList"]["ListId"]})
    call("DeleteResourceSet", {"Identifier": set_id})
    call("DeletePolicy", {"PolicyId": policy_id, "DeleteAllPolicyResources": True})
    call("GetPolicy", {"PolicyId": policy_id}, expect_error="ResourceNotFoundException")

    call("DisassociateAdminAccount", {}, "delegate")
    call("AssociateAdminAccount", {"AdminAccount": accounts["admin"]}, "management")
    return outcomes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--driver", choices=["boto3", "cli"], required=True)
    parser.add_argument("--config", required=True)
    args = parser.parse_args()
    with open(args.config) as handle:
        config = json.load(handle)
    problems = []
    model = botocore.session.get_session().get_service_model("fms")
    checker = ShapeChecker(model, problems)
    driver = Boto3Driver(config, checker) if args.driver == "boto3" else CliDriver(config, checker)
    outcomes = run(driver, config)
    missing = sorted(set(model.operation_names) - set(outcomes))
    problems.extend("%s was not exercised" % name for name in missing)
    problems.extend("%s: %s" % (name, outcome) for name, outcome in sorted(outcomes.items()) if outcome != "ok")
    print(json.dumps({"operations": outcomes, "problems": problems, "modelOperations": len(model.operation_names)}))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
