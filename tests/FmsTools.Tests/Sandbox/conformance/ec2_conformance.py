#!/usr/bin/env python3
"""Drives the sandbox's EC2 subset with real AWS clients (boto3, or the aws CLI) and checks every answer strictly.

boto3 driver: every response's raw XML is walked against botocore's ec2 output shape (each element must be a member of
the shape under its wire name, lists hold <item>, booleans and integers parse), then the parsed result is checked for
the values the calls set. cli driver: the same calls through `aws ec2 ... --output json`. Errors are checked by code.
Prints a JSON report {"driver", "calls", "problems"}; exit code 1 when there are problems.
"""
import argparse
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

PROBLEMS = []
CALLS = []


def problem(text):
    PROBLEMS.append(text)


def local(tag):
    return tag.split('}', 1)[1] if '}' in tag else tag


def check_shape(element, shape, path):
    """The XML element against a botocore shape: unknown members, wrong list items, bad scalars."""
    kind = shape.type_name
    if kind == 'structure':
        names = {}
        for name, member in shape.members.items():
            names[member.serialization.get('name') or name] = member
        for child in element:
            tag = local(child.tag)
            if tag not in names:
                problem('%s: <%s> is not a member of %s' % (path, tag, shape.name))
                continue
            check_shape(child, names[tag], path + '/' + tag)
    elif kind == 'list':
        for child in element:
            if local(child.tag) != 'item':
                problem('%s: list element <%s>, expected <item>' % (path, local(child.tag)))
            check_shape(child, shape.member, path + '/item')
    elif kind == 'boolean':
        if element.text not in ('true', 'false'):
            problem('%s: boolean %r' % (path, element.text))
    elif kind in ('integer', 'long'):
        try:
            int(element.text)
        except (TypeError, ValueError):
            problem('%s: integer %r' % (path, element.text))
    elif len(element):
        problem('%s: scalar %s has children' % (path, shape.name))


def install_strict_check(client, model):
    def after_call(http_response, parsed, model, **kwargs):
        root = ET.fromstring(http_response.content)
        name = model.name
        if http_response.status_code >= 300:
            if local(root.tag) != 'Response' or root.find('Errors/Error/Code') is None or root.find('RequestID') is None:
                problem('%s: error document is not <Response><Errors><Error><Code>..<RequestID>' % name)
            return
        if local(root.tag) != name + 'Response':
            problem('%s: root <%s>' % (name, local(root.tag)))
        if root.tag.split('}')[0].strip('{') != 'http://ec2.amazonaws.com/doc/2016-11-15/':
            problem('%s: namespace %s' % (name, root.tag))
        shape = model.output_shape
        for child in root:
            tag = local(child.tag)
            if tag in ('requestId', 'return'):
                continue
            members = {(m.serialization.get('name') or n): m for n, m in shape.members.items()} if shape else {}
            if tag not in members:
                problem('%s: top-level <%s> is not in the output shape' % (name, tag))
                continue
            check_shape(child, members[tag], name + '/' + tag)
    client.meta.events.register('after-call.ec2', after_call)


def expect_error(code, func, *args, **kwargs):
    try:
        func(*args, **kwargs)
    except ClientError as error:
        actual = error.response['Error']['Code']
        if actual != code:
            problem('%s: expected %s, got %s (%s)' % (func.__name__, code, actual, error.response['Error'].get('Message')))
        return error
    problem('%s: expected %s, but it succeeded' % (getattr(func, '__name__', func), code))
    return None


def assume(config, account, expect_denied=False):
    sts = boto3.client('sts', endpoint_url=config['endpoint'], region_name=config['region'],
                       aws_access_key_id=config['management'][0], aws_secret_access_key=config['management'][1])
    arn = 'arn:aws:iam::%s:role/OrganizationAccountAccessRole' % account
    if expect_denied:
        expect_error('AccessDenied', sts.assume_role, RoleArn=arn, RoleSessionName='ec2-conformance')
        return None
    return sts.assume_role(RoleArn=arn, RoleSessionName='ec2-conformance')['Credentials']


def boto3_driver(config):
    creds = assume(config, config['member'])
    assume(config, config['memberWithoutRole'], expect_denied=True)
    ec2 = boto3.client('ec2', endpoint_url=config['endpoint'], region_name=config['region'],
                       aws_access_key_id=creds['AccessKeyId'], aws_secret_access_key=creds['SecretAccessKey'],
                       aws_session_token=creds['SessionToken'], config=Config(retries={'max_attempts': 1}))
    install_strict_check(ec2, None)

    def call(name, **kwargs):
        CALLS.append(name)
        return getattr(ec2, name)(**kwargs)

    vpcs = call('describe_vpcs')['Vpcs']
    vpc = next(v for v in vpcs if v['VpcId'] == config['vpcId'])
    subnets = call('describe_subnets', Filters=[{'Name': 'vpc-id', 'Values': [vpc['VpcId']]}])['Subnets']
    if not subnets or any(s['VpcId'] != vpc['VpcId'] for s in subnets):
        problem('describe_subnets vpc-id filter')
    tables = call('describe_route_tables', Filters=[{'Name': 'vpc-id', 'Values': [vpc['VpcId']]}])['RouteTables']
    if config['routeTableId'] not in [t['RouteTableId'] for t in tables]:
        problem('describe_route_tables misses %s' % config['routeTableId'])
    # Pagination: every table exactly once across pages of 5.
    seen, token = [], None
    while True:
        page = call('describe_route_tables', MaxResults=5, **({'NextToken': token} if token else {}))
        seen += [t['RouteTableId'] for t in page['RouteTables']]
        token = page.get('NextToken')
        if not token:
            break
    everything = [t['RouteTableId'] for t in call('describe_route_tables')['RouteTables']]
    if sorted(seen) != sorted(everything) or len(set(seen)) != len(seen):
        problem('describe_route_tables pages do not add up: %d vs %d' % (len(seen), len(everything)))
    expect_error('InvalidParameterValue', ec2.describe_route_tables, MaxResults=500)
    expect_error('InvalidRouteTableID.NotFound', ec2.describe_route_tables, RouteTableIds=['rtb-0123456789abcdef0'])
    expect_error('InvalidParameterValue', ec2.describe_route_tables, Filters=[{'Name': 'no-such-filter', 'Values': ['x']}])

    # Route table lifecycle with ClientToken idempotency and DryRun.
    expect_error('DryRunOperation', ec2.create_route_table, VpcId=vpc['VpcId'], DryRun=True)
    created = call('create_route_table', VpcId=vpc['VpcId'], ClientToken='conformance-rt-1',
                   TagSpecifications=[{'ResourceType': 'route-table', 'Tags': [{'Key': 'Name', 'Value': 'conformance'}]}])
    again = call('create_route_table', VpcId=vpc['VpcId'], ClientToken='conformance-rt-1')
    table_id = created['RouteTable']['RouteTableId']
    if again['RouteTable']['RouteTableId'] != table_id or created.get('ClientToken') != 'conformance-rt-1':
        problem('create_route_table ClientToken is not idempotent')
    if [r['GatewayId'] for r in created['RouteTable']['Routes']] != ['local']:
        problem('a new route table has only the local route: %r' % created['RouteTable']['Routes'])
    igw = config['internetGatewayId']
    call('create_route', RouteTableId=table_id, DestinationCidrBlock='0.0.0.0/0', GatewayId=igw)
    expect_error('RouteAlreadyExists', ec2.create_route, RouteTableId=table_id, DestinationCidrBlock='0.0.0.0/0', GatewayId=igw)
    expect_error('DryRunOperation', ec2.replace_route, RouteTableId=table_id, DestinationCidrBlock='0.0.0.0/0', VpcEndpointId=config['endpointId'], DryRun=True)
    call('replace_route', RouteTableId=table_id, DestinationCidrBlock='0.0.0.0/0', VpcEndpointId=config['endpointId'])
    route = [r for r in call('describe_route_tables', RouteTableIds=[table_id])['RouteTables'][0]['Routes'] if r['DestinationCidrBlock'] == '0.0.0.0/0']
    if not route or route[0].get('GatewayId') != config['endpointId'] or route[0].get('State') != 'active':
        problem('replace_route did not take: %r' % route)
    expect_error('InvalidParameterValue', ec2.replace_route, RouteTableId=table_id, DestinationCidrBlock='10.99.0.0/16', GatewayId=igw)
    expect_error('InvalidGatewayID.NotFound', ec2.create_route, RouteTableId=table_id, DestinationCidrBlock='10.99.0.0/16', GatewayId='igw-0123456789abcdef0')
    expect_error('MissingParameter', ec2.create_route, RouteTableId=table_id, DestinationCidrBlock='10.99.0.0/16')
    call('delete_route', RouteTableId=table_id, DestinationCidrBlock='0.0.0.0/0')
    expect_error('InvalidRoute.NotFound', ec2.delete_route, RouteTableId=table_id, DestinationCidrBlock='0.0.0.0/0')

    subnet = config['subnetId']
    before = [t for t in call('describe_route_tables', Filters=[{'Name': 'association.subnet-id', 'Values': [subnet]}])['RouteTables']]
    association = next(a for a in before[0]['Associations'] if a.get('SubnetId') == subnet)
    replaced = call('replace_route_table_association', AssociationId=association['RouteTableAssociationId'], RouteTableId=table_id)
    after = call('describe_route_tables', Filters=[{'Name': 'association.subnet-id', 'Values': [subnet]}])['RouteTables']
    if [t['RouteTableId'] for t in after] != [table_id]:
        problem('replace_route_table_association did not move the subnet')
    expect_error('DependencyViolation', ec2.delete_route_table, RouteTableId=table_id)
    call('replace_route_table_association', AssociationId=replaced['NewAssociationId'], RouteTableId=before[0]['RouteTableId'])
    expect_error('InvalidAssociationID.NotFound', ec2.disassociate_route_table, AssociationId=replaced['NewAssociationId'])
    call('delete_route_table', RouteTableId=table_id)
    expect_error('InvalidRouteTableID.NotFound', ec2.delete_route_table, RouteTableId=table_id)

    # Network ACLs.
    acls = call('describe_network_acls', Filters=[{'Name': 'association.subnet-id', 'Values': [subnet]}])['NetworkAcls']
    acl_assoc = next(a for a in acls[0]['Associations'] if a['SubnetId'] == subnet)
    if not any(e['RuleNumber'] == 32767 for e in acls[0]['Entries']):
        problem('describe_network_acls lacks the implicit 32767 entries')
    made = call('create_network_acl', VpcId=vpc['VpcId'], ClientToken='conformance-acl-1')
    acl_id = made['NetworkAcl']['NetworkAclId']
    if call('create_network_acl', VpcId=vpc['VpcId'], ClientToken='conformance-acl-1')['NetworkAcl']['NetworkAclId'] != acl_id:
        problem('create_network_acl ClientToken is not idempotent')
    call('create_network_acl_entry', NetworkAclId=acl_id, RuleNumber=10, Protocol='6', RuleAction='deny', Egress=False,
         CidrBlock='0.0.0.0/0', PortRange={'From': 3389, 'To': 3389})
    expect_error('NetworkAclEntryAlreadyExists', ec2.create_network_acl_entry, NetworkAclId=acl_id, RuleNumber=10, Protocol='-1',
                 RuleAction='allow', Egress=False, CidrBlock='10.0.0.0/8')
    call('replace_network_acl_entry', NetworkAclId=acl_id, RuleNumber=10, Protocol='1', RuleAction='deny', Egress=False,
         CidrBlock='0.0.0.0/0', IcmpTypeCode={'Type': 8, 'Code': -1})
    entry = [e for e in call('describe_network_acls', NetworkAclIds=[acl_id])['NetworkAcls'][0]['Entries'] if e['RuleNumber'] == 10]
    if not entry or entry[0].get('IcmpTypeCode') != {'Type': 8, 'Code': -1} or entry[0]['Protocol'] != '1':
        problem('replace_network_acl_entry did not take: %r' % entry)
    moved = call('replace_network_acl_association', AssociationId=acl_assoc['NetworkAclAssociationId'], NetworkAclId=acl_id)
    expect_error('DependencyViolation', ec2.delete_network_acl, NetworkAclId=acl_id)
    call('replace_network_acl_association', AssociationId=moved['NewAssociationId'], NetworkAclId=acls[0]['NetworkAclId'])
    call('delete_network_acl_entry', NetworkAclId=acl_id, RuleNumber=10, Egress=False)
    expect_error('InvalidNetworkAclEntry.NotFound', ec2.delete_network_acl_entry, NetworkAclId=acl_id, RuleNumber=10, Egress=False)
    expect_error('DryRunOperation', ec2.delete_network_acl, NetworkAclId=acl_id, DryRun=True)
    call('delete_network_acl', NetworkAclId=acl_id)
    expect_error('InvalidNetworkAclID.NotFound', ec2.describe_network_acls, NetworkAclIds=[acl_id])

    # Another account's resources are NotFound; the FMS administrator's own keys see only its own VPCs.
    admin = boto3.client('ec2', endpoint_url=config['endpoint'], region_name=config['region'],
                         aws_access_key_id=config['admin'][0], aws_secret_access_key=config['admin'][1])
    install_strict_check(admin, None)
    expect_error('InvalidRouteTableID.NotFound', admin.describe_route_tables, RouteTableIds=[config['routeTableId']])
    expect_error('InvalidRouteTableID.NotFound', admin.create_route, RouteTableId=config['routeTableId'], DestinationCidrBlock='10.99.0.0/16', GatewayId=igw)
    if any(v['OwnerId'] != config['adminAccount'] for v in admin.describe_vpcs()['Vpcs']):
        problem('describe_vpcs shows another account\'s VPCs')


def cli_driver(config):
    creds = assume(config, config['member'])
    env = dict(os.environ, AWS_ACCESS_KEY_ID=creds['AccessKeyId'], AWS_SECRET_ACCESS_KEY=creds['SecretAccessKey'],
               AWS_SESSION_TOKEN=creds['SessionToken'], AWS_DEFAULT_REGION=config['region'], AWS_MAX_ATTEMPTS='1')
    env.pop('AWS_PROFILE', None)

    def aws(*args, expect=None):
        CALLS.append(args[0])
        result = subprocess.run(['aws', 'ec2'] + list(args) + ['--endpoint-url', config['endpoint'], '--output', 'json'],
                                env=env, capture_output=True, text=True, timeout=120)
        if expect:
            if result.returncode == 0 or '(%s)' % expect not in result.stderr:
                problem('aws ec2 %s: expected %s, got %d %s' % (args[0], expect, result.returncode, result.stderr.strip()))
            return None
        if result.returncode != 0:
            problem('aws ec2 %s failed: %s' % (args[0], result.stderr.strip()))
            return {}
        return json.loads(result.stdout) if result.stdout.strip() else {}

    tables = aws('describe-route-tables', '--filters', 'Name=vpc-id,Values=' + config['vpcId'])['RouteTables']
    if config['routeTableId'] not in [t['RouteTableId'] for t in tables]:
        problem('cli describe-route-tables misses %s' % config['routeTableId'])
    paged = aws('describe-route-tables', '--page-size', '5')['RouteTables']
    if len(paged) != len(aws('describe-route-tables')['RouteTables']):
        problem('cli describe-route-tables --page-size lost items')
    aws('describe-network-acls', '--filters', 'Name=vpc-id,Values=' + config['vpcId'])
    aws('describe-subnets', '--subnet-ids', config['subnetId'])
    aws('describe-vpcs', '--vpc-ids', config['vpcId'])
    aws('create-route', '--route-table-id', config['routeTableId'], '--destination-cidr-block', '10.98.0.0/16',
        '--gateway-id', config['internetGatewayId'], '--dry-run', expect='DryRunOperation')
    created = aws('create-route-table', '--vpc-id', config['vpcId'], '--client-token', 'cli-rt-1')['RouteTable']['RouteTableId']
    aws('create-route', '--route-table-id', created, '--destination-cidr-block', '0.0.0.0/0', '--gateway-id', config['internetGatewayId'])
    aws('delete-route', '--route-table-id', created, '--destination-cidr-block', '0.0.0.0/0')
    aws('delete-route', '--route-table-id', created, '--destination-cidr-block', '0.0.0.0/0', expect='InvalidRoute.NotFound')
    aws('delete-route-table', '--route-table-id', created)
    acl = aws('create-network-acl', '--vpc-id', config['vpcId'])['NetworkAcl']['NetworkAclId']
    aws('create-network-acl-entry', '--network-acl-id', acl, '--rule-number', '5', '--protocol', 'tcp', '--rule-action', 'deny',
        '--ingress', '--cidr-block', '0.0.0.0/0', '--port-range', 'From=22,To=22')
    aws('delete-network-acl-entry', '--network-acl-id', acl, '--rule-number', '5', '--ingress')
    aws('delete-network-acl', '--network-acl-id', acl)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--driver', choices=['boto3', 'cli'], required=True)
    parser.add_argument('--config', required=True)
    args = parser.parse_args()
    with open(args.config) as handle:
        config = json.load(handle)
    try:
        (boto3_driver if args.driver == 'boto3' else cli_driver)(config)
    except Exception as error:  # a crash is a problem to report, not a traceback to hide
        problem('%s: %s' % (type(error).__name__, error))
    print(json.dumps({'driver': args.driver, 'calls': CALLS, 'problems': PROBLEMS}, indent=1))
    return 1 if PROBLEMS else 0


if __name__ == '__main__':
    sys.exit(main())
