using System;
using System.Collections.Generic;
using System.Linq;

namespace FmsTools.Sandbox.World
{
    /// <summary>
    /// Creates consistent resources (a VPC with its default NACL and security group, subnets associated with that NACL,
    /// instances with their primary ENI…) with ids from one deterministic stream. Used by the demo and the scale generator,
    /// and handy for tests that need a hand-made world.
    /// </summary>
    public sealed class WorldBuilder
    {
        private static readonly SecurityGroupRule[] AllowAllEgress = { SecurityGroupRule.AllTraffic("0.0.0.0/0") };
        private static readonly NetworkAclRule[] DefaultNaclEntries =
        {
            new NetworkAclRule { RuleNumber = 100, Egress = false, Protocol = "-1", RuleAction = "allow", CidrBlock = "0.0.0.0/0" },
            new NetworkAclRule { RuleNumber = 100, Egress = true, Protocol = "-1", RuleAction = "allow", CidrBlock = "0.0.0.0/0" },
        };

        private readonly HashSet<string> issuedIds = new HashSet<string>(StringComparer.Ordinal);

        public WorldBuilder(World world, WorldIds ids, DateTime now)
        {
            World = world;
            Ids = ids;
            Now = now;
        }

        public World World { get; }
        public WorldIds Ids { get; }

        /// <summary>Creation timestamps are set relative to this instant.</summary>
        public DateTime Now { get; }

        /// <summary>An id not yet issued by this builder (a collision among 16 random hex digits is improbable, not impossible).</summary>
        public string UniqueId(Func<WorldIds, string> make)
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var id = make(Ids);
                if (issuedIds.Add(id)) return id;
            }
            throw new System.InvalidOperationException("Could not produce a unique id.");
        }

        public static WorldTag[] Tags(params string[] keyValuePairs)
        {
            var tags = new WorldTag[keyValuePairs.Length / 2];
            for (var i = 0; i < tags.Length; i++) tags[i] = new WorldTag(keyValuePairs[2 * i], keyValuePairs[2 * i + 1]);
            return tags;
        }

        private T Add<T>(T resource) where T : WorldResource
        {
            World.AddResource(resource);
            return resource;
        }

        public Vpc Vpc(string accountId, string region, string cidr, string name, WorldTag[]? tags = null, bool isDefault = false)
        {
            var vpc = Add(new Vpc { Id = UniqueId(i => i.Ec2Id("vpc")), AccountId = accountId, Region = region, CidrBlock = cidr, Name = name, IsDefault = isDefault, Tags = tags ?? Tags("Name", name) });
            Add(new NetworkAcl { Id = UniqueId(i => i.Ec2Id("acl")), AccountId = accountId, Region = region, VpcId = vpc.Id, IsDefault = true, Entries = DefaultNaclEntries });
            var defaultGroupId = UniqueId(i => i.Ec2Id("sg"));
            Add(new SecurityGroup
            {
                Id = defaultGroupId, AccountId = accountId, Region = region, VpcId = vpc.Id, Name = "default",
                Description = "default VPC security group", CreatedAt = Now.AddDays(-400), Egress = AllowAllEgress,
                Ingress = new[] { new SecurityGroupRule { Protocol = "-1", ReferencedGroupId = defaultGroupId } },
            });
            return vpc;
        }

        public NetworkAcl DefaultNetworkAcl(Vpc vpc)
        {
            foreach (var acl in World.GetResources<NetworkAcl>(vpc.AccountId, vpc.Region))
                if (acl.IsDefault && acl.VpcId == vpc.Id) return acl;
            throw new System.InvalidOperationException("VPC " + vpc.Id + " has no default network ACL.");
        }

        public SecurityGroup DefaultSecurityGroup(Vpc vpc)
        {
            foreach (var group in World.GetResources<SecurityGroup>(vpc.AccountId, vpc.Region))
                if (group.IsDefault && group.VpcId == vpc.Id) return group;
            throw new System.InvalidOperationException("VPC " + vpc.Id + " has no default security group.");
        }

        /// <summary>A subnet in <paramref name="vpc"/>, owned by the VPC's account (also for shared VPCs), associated with the default NACL.</summary>
        public Subnet Subnet(Vpc vpc, string zoneSuffix, string cidr, string name, WorldTag[]? tags = null)
        {
            return Add(new Subnet
            {
                Id = UniqueId(i => i.Ec2Id("subnet")), AccountId = vpc.AccountId, Region = vpc.Region, VpcId = vpc.Id, CidrBlock = cidr,
                AvailabilityZone = vpc.Region + zoneSuffix, Name = name, Tags = tags ?? Tags("Name", name),
                NetworkAclId = DefaultNetworkAcl(vpc).Id, NetworkAclAssociationId = UniqueId(i => i.Ec2Id("aclassoc")),
            });
        }

        public NetworkAcl NetworkAcl(Vpc vpc, string name, NetworkAclRule[] entries, params Subnet[] associate)
        {
            var acl = Add(new NetworkAcl { Id = UniqueId(i => i.Ec2Id("acl")), AccountId = vpc.AccountId, Region = vpc.Region, VpcId = vpc.Id, Name = name, Entries = entries, Tags = Tags("Name", name) });
            foreach (var subnet in associate)
            {
                subnet.NetworkAclId = acl.Id;
                subnet.NetworkAclAssociationId = UniqueId(i => i.Ec2Id("aclassoc"));
            }
            return acl;
        }

        public SecurityGroup SecurityGroup(string accountId, string region, string vpcId, string name, SecurityGroupRule[] ingress,
            SecurityGroupRule[]? egress = null, WorldTag[]? tags = null, int ageDays = 90)
        {
            return Add(new SecurityGroup
            {
                Id = UniqueId(i => i.Ec2Id("sg")), AccountId = accountId, Region = region, VpcId = vpcId, Name = name,
                Description = name, Ingress = ingress, Egress = egress ?? AllowAllEgress, Tags = tags, CreatedAt = Now.AddDays(-ageDays),
            });
        }

        /// <summary>An instance in <paramref name="subnet"/> owned by <paramref name="accountId"/> (which may be a participant
        /// in a shared VPC), with its primary ENI.</summary>
        public Ec2Instance Instance(string accountId, Subnet subnet, string name, string[] securityGroupIds, WorldTag[]? tags = null)
        {
            var instance = new Ec2Instance
            {
                Id = UniqueId(i => i.Ec2Id("i")), AccountId = accountId, Region = subnet.Region, VpcId = subnet.VpcId, SubnetId = subnet.Id,
                Name = name, Tags = tags ?? Tags("Name", name),
            };
            var eni = NetworkInterface(accountId, subnet, securityGroupIds, instance.Id, 0);
            instance.NetworkInterfaceIds = new[] { eni.Id };
            return Add(instance);
        }

        /// <summary>Attaches another ENI (device index 1, 2…) to an instance.</summary>
        public NetworkInterface AttachSecondaryInterface(Ec2Instance instance, Subnet subnet, string[] securityGroupIds)
        {
            var eni = NetworkInterface(instance.AccountId, subnet, securityGroupIds, instance.Id, instance.NetworkInterfaceIds.Length);
            var ids = new string[instance.NetworkInterfaceIds.Length + 1];
            Array.Copy(instance.NetworkInterfaceIds, ids, instance.NetworkInterfaceIds.Length);
            ids[ids.Length - 1] = eni.Id;
            instance.NetworkInterfaceIds = ids;
            World.MarkChanged();
            return eni;
        }

        public NetworkInterface NetworkInterface(string accountId, Subnet subnet, string[] securityGroupIds, string? instanceId = null, int deviceIndex = 0, WorldTag[]? tags = null)
        {
            var octet = 10 + Ids.Next(240);
            var prefix = subnet.CidrBlock.Substring(0, subnet.CidrBlock.LastIndexOf('.'));
            return Add(new NetworkInterface
            {
                Id = UniqueId(i => i.Ec2Id("eni")), AccountId = accountId, Region = subnet.Region, VpcId = subnet.VpcId, SubnetId = subnet.Id,
                InstanceId = instanceId, DeviceIndex = deviceIndex, SecurityGroupIds = securityGroupIds, PrivateIpAddress = prefix + "." + octet, Tags = tags,
            });
        }

        public ApplicationLoadBalancer ApplicationLoadBalancer(string accountId, string region, Vpc vpc, string name, string[] securityGroupIds,
            Subnet[] subnets, string? webAclArn = null, WorldTag[]? tags = null)
        {
            var subnetIds = new string[subnets.Length];
            for (var i = 0; i < subnets.Length; i++) subnetIds[i] = subnets[i].Id;
            return Add(new ApplicationLoadBalancer
            {
                Id = UniqueId(i => i.HexString(16)), AccountId = accountId, Region = region, VpcId = vpc.Id, Name = name,
                SecurityGroupIds = securityGroupIds, SubnetIds = subnetIds, WebAclArn = webAclArn, Tags = tags,
            });
        }

        public ClassicLoadBalancer ClassicLoadBalancer(string accountId, string region, Vpc vpc, string name, string[] securityGroupIds, WorldTag[]? tags = null) =>
            Add(new ClassicLoadBalancer { Id = name, Name = name, AccountId = accountId, Region = region, VpcId = vpc.Id, SecurityGroupIds = securityGroupIds, Tags = tags });

        public ElasticIp ElasticIp(string accountId, string region, Ec2Instance? instance = null, WorldTag[]? tags = null) =>
            Add(new ElasticIp
            {
                Id = UniqueId(i => i.Ec2Id("eipalloc")), AccountId = accountId, Region = region, InstanceId = instance?.Id,
                NetworkInterfaceId = instance?.NetworkInterfaceIds[0], Tags = tags,
                PublicIp = (3 + Ids.Next(50)) + "." + Ids.Next(256) + "." + Ids.Next(256) + "." + (1 + Ids.Next(254)),
            });

        public ApiGatewayStage ApiGatewayStage(string accountId, string region, string stageName, string? webAclArn = null, WorldTag[]? tags = null)
        {
            var apiId = UniqueId(i => i.LowerAlphanumeric(10));
            return Add(new ApiGatewayStage { Id = apiId + "/" + stageName, RestApiId = apiId, StageName = stageName, Name = stageName, AccountId = accountId, Region = region, WebAclArn = webAclArn, Tags = tags });
        }

        public CloudFrontDistribution CloudFrontDistribution(string accountId, string origin, string? webAclArn = null, WorldTag[]? tags = null)
        {
            var id = UniqueId(i => "E" + i.UpperAlphanumeric(13));
            return Add(new CloudFrontDistribution
            {
                Id = id, AccountId = accountId, Region = WorldRegions.Global, DomainName = "d" + id.Substring(1, 12).ToLowerInvariant() + ".cloudfront.net",
                Origins = new[] { origin }, WebAclArn = webAclArn, Tags = tags, Name = origin,
            });
        }

        public WebAcl WebAcl(string accountId, string region, string scope, string name, WebAclRule[] rules, string defaultAction = "ALLOW", WorldTag[]? tags = null)
        {
            long capacity = 0;
            foreach (var rule in rules) capacity += RuleCapacity(rule);
            return Add(new WebAcl
            {
                Id = UniqueId(i => i.Uuid()), AccountId = accountId, Region = scope == WafScopes.CloudFront ? WorldRegions.Global : region,
                Scope = scope, Name = name, DefaultAction = defaultAction, Rules = rules, LockToken = Ids.Token(), Capacity = capacity, Tags = tags,
            });
        }

        /// <summary>WCUs of a rule: the managed group's catalogue capacity, the referenced rule group's capacity, or a small constant.</summary>
        public long RuleCapacity(WebAclRule rule)
        {
            switch (rule.StatementType)
            {
                case WebAclStatementTypes.ManagedRuleGroup:
                    return World.FindManagedRuleGroup(rule.VendorName ?? "", rule.ManagedRuleGroupName ?? "")?.Capacity ?? 100;
                case WebAclStatementTypes.RuleGroupReference:
                    return (World.FindByArn(rule.ReferenceArn ?? "") as WafRuleGroup)?.Capacity ?? 100;
                case WebAclStatementTypes.RateBased:
                    return 2;
                default:
                    return 1;
            }
        }

        /// <summary>A customer-owned rule group; without <paramref name="rules"/> it gets <see cref="WafRuleGroupRule.DefaultSet"/>.</summary>
        public WafRuleGroup WafRuleGroup(string accountId, string region, string scope, string name, long capacity, WorldTag[]? tags = null,
            IEnumerable<WafRuleGroupRule>? rules = null) =>
            Add(new WafRuleGroup
            {
                Id = UniqueId(i => i.Uuid()), AccountId = accountId, Region = scope == WafScopes.CloudFront ? WorldRegions.Global : region, Scope = scope, Name = name,
                Capacity = capacity, LockToken = Ids.Token(), Tags = tags, Rules = rules?.ToList() ?? WafRuleGroupRule.DefaultSet(),
            });

        public IpSet IpSet(string accountId, string region, string scope, string name, string[] addresses) =>
            Add(new IpSet { Id = UniqueId(i => i.Uuid()), AccountId = accountId, Region = scope == WafScopes.CloudFront ? WorldRegions.Global : region, Scope = scope, Name = name, Addresses = addresses, LockToken = Ids.Token() });

        public ShieldSubscription ShieldSubscription(string accountId) =>
            Add(new ShieldSubscription { Id = UniqueId(i => i.HexString(12)), AccountId = accountId, Region = WorldRegions.Global, StartTime = Now.AddDays(-200) });

        public ShieldProtection ShieldProtection(WorldResource protectedResource, string? fmsPolicyId = null) =>
            Add(new ShieldProtection
            {
                Id = UniqueId(i => i.Uuid()), AccountId = protectedResource.AccountId, Region = protectedResource.Region,
                Name = (protectedResource.Name ?? protectedResource.Id) + "-protection", ProtectedResourceArn = protectedResource.Arn, FmsPolicyId = fmsPolicyId,
            });

        public DnsFirewallRuleGroup DnsFirewallRuleGroup(string accountId, string region, string name, int ruleCount, string shareStatus = "SHARED_BY_ME") =>
            Add(new DnsFirewallRuleGroup { Id = UniqueId(i => "rslvr-frg-" + i.HexString(16)), AccountId = accountId, Region = region, Name = name, RuleCount = ruleCount, ShareStatus = shareStatus });

        public DnsFirewallRuleGroupAssociation DnsFirewallAssociation(Vpc vpc, string ruleGroupId, int priority, string name, string? fmsPolicyId = null) =>
            Add(new DnsFirewallRuleGroupAssociation
            {
                Id = UniqueId(i => "rslvr-frgassoc-" + i.HexString(16)), AccountId = vpc.AccountId, Region = vpc.Region, VpcId = vpc.Id,
                FirewallRuleGroupId = ruleGroupId, Priority = priority, Name = name, FmsPolicyId = fmsPolicyId,
                ManagedOwnerName = fmsPolicyId == null ? null : "AWS Firewall Manager",
            });

        public NetworkFirewallPolicy NetworkFirewallPolicy(string accountId, string region, string name, NetworkFirewallRuleGroupReference[] stateless,
            NetworkFirewallRuleGroupReference[] stateful, string? fmsPolicyId = null) =>
            Add(new NetworkFirewallPolicy { Id = UniqueId(i => i.Uuid()), AccountId = accountId, Region = region, Name = name, StatelessRuleGroups = stateless, StatefulRuleGroups = stateful, FmsPolicyId = fmsPolicyId });

        /// <summary>A firewall with one endpoint in each of <paramref name="firewallSubnets"/>.</summary>
        public NetworkFirewall NetworkFirewall(Vpc vpc, string name, NetworkFirewallPolicy policy, Subnet[] firewallSubnets, string? fmsPolicyId = null)
        {
            var mappings = new FirewallSubnetMapping[firewallSubnets.Length];
            for (var i = 0; i < firewallSubnets.Length; i++)
                mappings[i] = new FirewallSubnetMapping { SubnetId = firewallSubnets[i].Id, AvailabilityZone = firewallSubnets[i].AvailabilityZone, EndpointId = UniqueId(x => x.Ec2Id("vpce")) };
            return Add(new NetworkFirewall { Id = UniqueId(i => i.Uuid()), AccountId = vpc.AccountId, Region = vpc.Region, VpcId = vpc.Id, Name = name, FirewallPolicyArn = policy.Arn, SubnetMappings = mappings, FmsPolicyId = fmsPolicyId });
        }
    
        /// <summary>Attaches a new internet gateway to the VPC and returns its id.</summary>
        public string InternetGateway(Vpc vpc)
        {
            vpc.InternetGatewayId = UniqueId(i => i.Ec2Id("igw"));
            return vpc.InternetGatewayId;
        }

        /// <summary>A route table in <paramref name="vpc"/> with the local route first, then <paramref name="routes"/>; the subnets
        /// are explicitly associated with it. <paramref name="gatewayId"/> edge-associates an internet gateway (ingress routing).</summary>
        public RouteTable RouteTable(Vpc vpc, string name, RouteEntry[] routes, Subnet[]? associate = null, string? gatewayId = null, bool isMain = false)
        {
            var all = new RouteEntry[routes.Length + 1];
            all[0] = RouteEntry.To(vpc.CidrBlock, "local");
            Array.Copy(routes, 0, all, 1, routes.Length);
            var table = Add(new RouteTable
            {
                Id = UniqueId(i => i.Ec2Id("rtb")), AccountId = vpc.AccountId, Region = vpc.Region, VpcId = vpc.Id, Name = name, Tags = Tags("Name", name),
                Routes = all, GatewayId = gatewayId, IsMain = isMain,
            });
            foreach (var subnet in associate ?? new Subnet[0])
            {
                subnet.RouteTableId = table.Id;
                subnet.RouteTableAssociationId = UniqueId(i => i.Ec2Id("rtbassoc"));
            }
            return table;
        }
}
}
