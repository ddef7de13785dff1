using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using FmsTools.Aws.Runtime;
using FmsTools.Aws.Runtime.Pipeline;

namespace FmsTools.Aws.Ec2
{
    /// <summary>
    /// <see cref="IEc2Client"/> over AWSSDK.EC2, configured like the other clients (the endpoint FmsTools resolved for EC2,
    /// FIPS, dual-stack, retry mode, timeout) and reporting every call, with its endpoint, to the session's observer (so
    /// -Verbose shows it). Two SDK clients: one with the session's retries for Describe calls and client-token calls, one
    /// that sends mutating calls exactly once. AWSSDK.EC2 loads only when the first instance is made.
    /// </summary>
    public sealed class Ec2Client : IEc2Client, IDisposable
    {
        private readonly TrackedEc2Client _retrying;
        private readonly TrackedEc2Client _once;
        private readonly SdkCallTracker _calls;

        public Ec2Client(AWSCredentials credentials, AwsInvokerSettings settings)
        {
            if (credentials == null) throw new ArgumentNullException(nameof(credentials));
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            _calls = new SdkCallTracker("EC2", "ec2", settings);
            _retrying = new TrackedEc2Client(credentials, Config(settings, retry: true));
            _once = new TrackedEc2Client(credentials, Config(settings, retry: false));
        }

        private static Ec2Config Config(AwsInvokerSettings settings, bool retry)
        {
            var config = new Ec2Config(settings.RetryTiming, resendGuard: !retry);
            SdkClientSetup.Configure(config, settings);
            if (!retry) config.MaxErrorRetry = 0;
            return config;
        }

        public async Task<IReadOnlyList<Ec2RouteTable>> DescribeRouteTablesAsync(IReadOnlyCollection<string>? routeTableIds, string? filterName = null,
            string? filterValue = null, CancellationToken cancellationToken = default)
        {
            var result = new List<Ec2RouteTable>();
            string? next = null;
            do
            {
                var request = new DescribeRouteTablesRequest { NextToken = next };
                if (routeTableIds != null && routeTableIds.Count > 0) request.RouteTableIds = routeTableIds.ToList();
                else if (filterName != null) request.Filters = new List<Filter> { new Filter(filterName, new List<string> { filterValue ?? "" }) };
                var response = await _calls.Track("DescribeRouteTables", request, false, () => _retrying.DescribeRouteTablesAsync(request, cancellationToken), cancellationToken)
                    .ConfigureAwait(false);
                foreach (var table in response.RouteTables ?? new List<RouteTable>()) result.Add(Map(table));
                next = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
            }
            while (next != null);
            return result;
        }

        public async Task<IReadOnlyList<Ec2NetworkAcl>> DescribeNetworkAclsAsync(IReadOnlyCollection<string>? networkAclIds, string? filterName = null,
            string? filterValue = null, CancellationToken cancellationToken = default)
        {
            var result = new List<Ec2NetworkAcl>();
            string? next = null;
            do
            {
                var request = new DescribeNetworkAclsRequest { NextToken = next };
                if (networkAclIds != null && networkAclIds.Count > 0) request.NetworkAclIds = networkAclIds.ToList();
                else if (filterName != null) request.Filters = new List<Filter> { new Filter(filterName, new List<string> { filterValue ?? "" }) };
                var response = await _calls.Track("DescribeNetworkAcls", request, false, () => _retrying.DescribeNetworkAclsAsync(request, cancellationToken), cancellationToken)
                    .ConfigureAwait(false);
                foreach (var acl in response.NetworkAcls ?? new List<NetworkAcl>()) result.Add(Map(acl));
                next = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
            }
            while (next != null);
            return result;
        }

        public Task CreateRouteAsync(Ec2RouteSpec route, CancellationToken cancellationToken = default)
        {
            var request = new CreateRouteRequest
            {
                RouteTableId = route.RouteTableId, DestinationCidrBlock = route.DestinationCidrBlock, DestinationIpv6CidrBlock = route.DestinationIpv6CidrBlock,
                DestinationPrefixListId = route.DestinationPrefixListId,
            };
            SetTarget(request, route);
            return _calls.Track("CreateRoute", request, true, () => _once.CreateRouteAsync(request, cancellationToken), cancellationToken);
        }

        public Task ReplaceRouteAsync(Ec2RouteSpec route, CancellationToken cancellationToken = default)
        {
            var request = new ReplaceRouteRequest
            {
                RouteTableId = route.RouteTableId, DestinationCidrBlock = route.DestinationCidrBlock, DestinationIpv6CidrBlock = route.DestinationIpv6CidrBlock,
                DestinationPrefixListId = route.DestinationPrefixListId,
            };
            SetTarget(request, route);
            return _calls.Track("ReplaceRoute", request, true, () => _once.ReplaceRouteAsync(request, cancellationToken), cancellationToken);
        }

        public Task DeleteRouteAsync(Ec2RouteSpec route, CancellationToken cancellationToken = default)
        {
            var request = new DeleteRouteRequest
            {
                RouteTableId = route.RouteTableId, DestinationCidrBlock = route.DestinationCidrBlock, DestinationIpv6CidrBlock = route.DestinationIpv6CidrBlock,
                DestinationPrefixListId = route.DestinationPrefixListId,
            };
            return _calls.Track("DeleteRoute", request, true, () => _once.DeleteRouteAsync(request, cancellationToken), cancellationToken);
        }

        public async Task<string> CreateRouteTableAsync(string vpcId, string clientToken, CancellationToken cancellationToken = default)
        {
            var request = new CreateRouteTableRequest { VpcId = vpcId, ClientToken = clientToken };
            // A client token makes the call idempotent: retrying it cannot create a second table.
            var response = await _calls.Track("CreateRouteTable", request, true, () => _retrying.CreateRouteTableAsync(request, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            return response.RouteTable?.RouteTableId ?? throw Unanswered("CreateRouteTable", "RouteTable.RouteTableId");
        }

        public Task DeleteRouteTableAsync(string routeTableId, CancellationToken cancellationToken = default)
        {
            var request = new DeleteRouteTableRequest { RouteTableId = routeTableId };
            return _calls.Track("DeleteRouteTable", request, true, () => _once.DeleteRouteTableAsync(request, cancellationToken), cancellationToken);
        }

        public async Task<string> ReplaceRouteTableAssociationAsync(string associationId, string routeTableId, CancellationToken cancellationToken = default)
        {
            var request = new ReplaceRouteTableAssociationRequest { AssociationId = associationId, RouteTableId = routeTableId };
            var response = await _calls.Track("ReplaceRouteTableAssociation", request, true, () => _once.ReplaceRouteTableAssociationAsync(request, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return response.NewAssociationId ?? throw Unanswered("ReplaceRouteTableAssociation", "NewAssociationId");
        }

        public async Task<string> AssociateRouteTableAsync(string routeTableId, string? subnetId, string? gatewayId, CancellationToken cancellationToken = default)
        {
            var request = new AssociateRouteTableRequest { RouteTableId = routeTableId, SubnetId = subnetId, GatewayId = gatewayId };
            var response = await _calls.Track("AssociateRouteTable", request, true, () => _once.AssociateRouteTableAsync(request, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            return response.AssociationId ?? throw Unanswered("AssociateRouteTable", "AssociationId");
        }

        public Task DisassociateRouteTableAsync(string associationId, CancellationToken cancellationToken = default)
        {
            var request = new DisassociateRouteTableRequest { AssociationId = associationId };
            return _calls.Track("DisassociateRouteTable", request, true, () => _once.DisassociateRouteTableAsync(request, cancellationToken), cancellationToken);
        }

        public async Task<string> CreateNetworkAclAsync(string vpcId, string clientToken, CancellationToken cancellationToken = default)
        {
            var request = new CreateNetworkAclRequest { VpcId = vpcId, ClientToken = clientToken };
            var response = await _calls.Track("CreateNetworkAcl", request, true, () => _retrying.CreateNetworkAclAsync(request, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            return response.NetworkAcl?.NetworkAclId ?? throw Unanswered("CreateNetworkAcl", "NetworkAcl.NetworkAclId");
        }

        public Task DeleteNetworkAclAsync(string networkAclId, CancellationToken cancellationToken = default)
        {
            var request = new DeleteNetworkAclRequest { NetworkAclId = networkAclId };
            return _calls.Track("DeleteNetworkAcl", request, true, () => _once.DeleteNetworkAclAsync(request, cancellationToken), cancellationToken);
        }

        public Task CreateNetworkAclEntryAsync(string networkAclId, Ec2NetworkAclEntry entry, CancellationToken cancellationToken = default)
        {
            if (entry == null) throw new ArgumentNullException(nameof(entry));
            var request = new CreateNetworkAclEntryRequest
            {
                NetworkAclId = networkAclId, RuleNumber = entry.RuleNumber, Egress = entry.Egress, Protocol = entry.Protocol,
                RuleAction = new RuleAction(entry.RuleAction), CidrBlock = entry.CidrBlock, Ipv6CidrBlock = entry.Ipv6CidrBlock,
            };
            if (entry.PortFrom.HasValue || entry.PortTo.HasValue) request.PortRange = new PortRange { From = entry.PortFrom, To = entry.PortTo };
            if (entry.IcmpType.HasValue || entry.IcmpCode.HasValue) request.IcmpTypeCode = new IcmpTypeCode { Type = entry.IcmpType, Code = entry.IcmpCode };
            return _calls.Track("CreateNetworkAclEntry", request, true, () => _once.CreateNetworkAclEntryAsync(request, cancellationToken), cancellationToken);
        }

        public Task DeleteNetworkAclEntryAsync(string networkAclId, int ruleNumber, bool egress, CancellationToken cancellationToken = default)
        {
            var request = new DeleteNetworkAclEntryRequest { NetworkAclId = networkAclId, RuleNumber = ruleNumber, Egress = egress };
            return _calls.Track("DeleteNetworkAclEntry", request, true, () => _once.DeleteNetworkAclEntryAsync(request, cancellationToken), cancellationToken);
        }

        public async Task<string> ReplaceNetworkAclAssociationAsync(string associationId, string networkAclId, CancellationToken cancellationToken = default)
        {
            var request = new ReplaceNetworkAclAssociationRequest { AssociationId = associationId, NetworkAclId = networkAclId };
            var response = await _calls.Track("ReplaceNetworkAclAssociation", request, true, () => _once.ReplaceNetworkAclAssociationAsync(request, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return response.NewAssociationId ?? throw Unanswered("ReplaceNetworkAclAssociation", "NewAssociationId");
        }

        /// <summary>
        /// Puts the route's target into the request member named by <see cref="Ec2RouteSpec.TargetMemberOrByPrefix"/>
        /// (CreateRouteRequest and ReplaceRouteRequest share these members but no type); a member the request does not
        /// have is refused, never sent as a gateway.
        /// </summary>
        private static void SetTarget(object request, Ec2RouteSpec route)
        {
            var member = route.TargetMemberOrByPrefix;
            var property = request.GetType().GetProperty(member, typeof(string))
                ?? throw new ArgumentException($"EC2 {request.GetType().Name.Replace("Request", "")} has no route target '{member}'.", nameof(route));
            property.SetValue(request, route.Target);
        }

        private static Ec2RouteTable Map(RouteTable table) => new Ec2RouteTable
        {
            RouteTableId = table.RouteTableId ?? "",
            VpcId = table.VpcId ?? "",
            Routes = (table.Routes ?? new List<Route>()).Select(Map).ToList(),
            Associations = (table.Associations ?? new List<RouteTableAssociation>()).Select(a => new Ec2RouteTableAssociation
            {
                AssociationId = a.RouteTableAssociationId ?? "", SubnetId = a.SubnetId, GatewayId = a.GatewayId, Main = a.Main == true,
            }).ToList(),
        };

        private static Ec2Route Map(Route route)
        {
            var mapped = new Ec2Route
            {
                DestinationCidrBlock = NonEmpty(route.DestinationCidrBlock), DestinationIpv6CidrBlock = NonEmpty(route.DestinationIpv6CidrBlock),
                DestinationPrefixListId = NonEmpty(route.DestinationPrefixListId), Origin = route.Origin?.Value, State = route.State?.Value,
            };
            (string Member, string? Id)[] targets =
            {
                ("NatGatewayId", route.NatGatewayId), ("NetworkInterfaceId", route.InstanceId == null ? route.NetworkInterfaceId : null),
                ("TransitGatewayId", route.TransitGatewayId), ("VpcPeeringConnectionId", route.VpcPeeringConnectionId),
                ("EgressOnlyInternetGatewayId", route.EgressOnlyInternetGatewayId), ("GatewayId", route.GatewayId),
                ("InstanceId", route.InstanceId), ("LocalGatewayId", route.LocalGatewayId), ("CarrierGatewayId", route.CarrierGatewayId),
                ("CoreNetworkArn", route.CoreNetworkArn),
            };
            foreach (var (member, id) in targets)
            {
                if (string.IsNullOrEmpty(id)) continue;
                mapped.Target = id;
                // A gateway endpoint (Network Firewall's, Gateway Load Balancer's) is reported in GatewayId and created with VpcEndpointId.
                mapped.TargetMember = member == "GatewayId" && id!.StartsWith("vpce-", StringComparison.Ordinal) ? "VpcEndpointId" : member;
                break;
            }
            return mapped;
        }

        private static Ec2NetworkAcl Map(NetworkAcl acl) => new Ec2NetworkAcl
        {
            NetworkAclId = acl.NetworkAclId ?? "",
            VpcId = acl.VpcId ?? "",
            IsDefault = acl.IsDefault == true,
            Entries = (acl.Entries ?? new List<NetworkAclEntry>()).Select(e => new Ec2NetworkAclEntry
            {
                RuleNumber = e.RuleNumber ?? 0, Egress = e.Egress == true, Protocol = e.Protocol ?? "-1", RuleAction = e.RuleAction?.Value ?? "",
                CidrBlock = NonEmpty(e.CidrBlock), Ipv6CidrBlock = NonEmpty(e.Ipv6CidrBlock), PortFrom = e.PortRange?.From, PortTo = e.PortRange?.To,
                IcmpType = e.IcmpTypeCode?.Type, IcmpCode = e.IcmpTypeCode?.Code,
            }).ToList(),
            Associations = (acl.Associations ?? new List<NetworkAclAssociation>()).Select(a => new Ec2NetworkAclAssociation
            {
                AssociationId = a.NetworkAclAssociationId ?? "", SubnetId = a.SubnetId ?? "",
            }).ToList(),
        };

        private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

        private static AwsServiceException Unanswered(string operation, string member)
            => new AwsServiceException("InvalidResponse", $"{operation} answered without {member}.", System.Net.HttpStatusCode.OK, null, operation);

        public void Dispose()
        {
            _retrying.Dispose();
            _once.Dispose();
        }

        private sealed class Ec2Config : AmazonEC2Config
        {
            public Ec2Config(AwsRetryTiming retryTiming, bool resendGuard)
            {
                RetryTiming = retryTiming;
                ResendGuard = resendGuard;
            }

            public AwsRetryTiming RetryTiming { get; }

            /// <summary>The client's calls change state: a call whose answer was lost is never sent again (not even by the SDK's quiet resend on a broken pooled connection).</summary>
            public bool ResendGuard { get; }
        }

        private sealed class TrackedEc2Client : AmazonEC2Client
        {
            public TrackedEc2Client(AWSCredentials credentials, Ec2Config config) : base(credentials, config) { }

            protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
            {
                base.CustomizeRuntimePipeline(pipeline);
                var config = (Ec2Config)Config;
                SdkClientSetup.Customize(pipeline, Config, config.RetryTiming);
                if (config.ResendGuard) pipeline.AddHandlerAfter<AttemptCountingHandler>(new ResendGuardHandler(everyCallChangesState: true));
            }
        }
    }
}
