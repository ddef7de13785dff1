using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;

namespace FmsTools.Sandbox.World
{
    /// <summary>
    /// The built-in demo organization: a management account, a delegated FMS administrator ("security"), twelve member
    /// accounts in Production (with the nested Production-EU), Development, Sandbox and Security OUs, and a few hundred
    /// resources in us-east-1 and eu-west-1 (CloudFront in us-east-1), with deliberate gaps so every demo policy
    /// (<see cref="Policies"/>) finds real violations that remediation fixes.
    /// <para>Ground truth per demo policy, both regions unless noted (see <see cref="ExpectedViolations(string)"/> for the exact list):</para>
    /// <list type="bullet">
    /// <item>demo-waf-baseline (WAFV2, Production OU incl. Production-EU, ALBs + API stages, retrofit existing web ACLs):
    /// prod-api and prod-eu-web ALBs and the prod-api "prod" API stage have no web ACL (RESOURCE_MISSING_WEB_ACL); prod-web's
    /// ALB uses its own web ACL without the policy's rule group (WEB_ACL_MISSING_RULE_GROUP); prod-data's ALB already uses the
    /// policy's FMS web ACL (compliant); Development ALBs are out of scope.</item>
    /// <item>demo-waf-cloudfront (WAFV2, us-east-1 only, all accounts, CloudFront, replace customer associations):
    /// prod-web's distribution uses a customer web ACL (RESOURCE_INCORRECT_WEB_ACL), dev-team-a's has none (RESOURCE_MISSING_WEB_ACL).</item>
    /// <item>demo-shield-advanced (Production OU, ALBs + EIPs): everything except prod-web's us-east-1 ALB and EIP is unprotected
    /// (RESOURCE_MISSING_SHIELD_PROTECTION).</item>
    /// <item>demo-sg-baseline (SG common, every account except the Sandbox OU, instances not tagged fms-exempt=true, shared VPCs
    /// included): instances without the replica of the administrator's fms-baseline-sg (RESOURCE_MISSING_SECURITY_GROUP), except
    /// prod-data's (replica attached) and dev-team-b's (replica attached, but the replica was edited:
    /// FMS_CREATED_SECURITY_GROUP_EDITED); dev-team-a-app-1 is tagged fms-exempt=true; prod-eu-web-shared-1 runs in
    /// prod-eu-network's shared VPC.</item>
    /// <item>demo-sg-content-audit (all accounts, security groups, DENY 22/3389 from 0.0.0.0/0 inbound): prod-api bastion-sg
    /// (us-east-1), dev-team-a rdp-sg, sandbox-alice legacy-ssh-sg, sandbox-bob wide-open-sg (RESOURCE_VIOLATES_AUDIT_SECURITY_GROUP).</item>
    /// <item>demo-sg-usage-audit (Development and Sandbox OUs): dev-team-b old-test-sg and sandbox-alice legacy-ssh-sg are unused
    /// (SECURITY_GROUP_UNUSED); dev-ci app-sg-copy duplicates app-sg (SECURITY_GROUP_REDUNDANT).</item>
    /// <item>demo-dns-firewall (every account except the management account, VPCs): VPCs without the fms-dns-blocklist association
    /// (RESOURCE_MISSING_DNS_FIREWALL) — all except prod-web's and prod-data's.</item>
    /// <item>demo-network-firewall (Production OU, VPCs tagged network-inspection=required, routeManagementAction MONITOR): prod-api and
    /// prod-eu-network VPCs have no firewall (MISSING_FIREWALL); prod-web's eu-west-1 firewall lacks an endpoint in zone b
    /// (MISSING_FIREWALL_SUBNET_IN_AZ). In us-east-1 prod-eu-web has three VPCs with FMS firewalls and modelled route tables
    /// (see <see cref="AddRouteScenarios"/>): inspected-vpc routes correctly; bypass-vpc sends two subnets straight to the internet
    /// gateway through a route table shared across zones (INTERNET_TRAFFIC_NOT_INSPECTED), routes a zone-b subnet through zone a's
    /// endpoint (INVALID_ROUTE_CONFIGURATION), moved its zone-b firewall subnet off the route table FMS created for it
    /// (MISSING_EXPECTED_ROUTE_TABLE) and has no internet gateway route table (INTERNET_GATEWAY_MISSING_EXPECTED_ROUTE); broken-vpc has a
    /// black hole default route (BLACK_HOLE_ROUTE_DETECTED), a subnet routed to an endpoint that is not the policy's
    /// (ROUTE_HAS_OUT_OF_SCOPE_ENDPOINT), a firewall subnet routing back into an endpoint (UNEXPECTED_FIREWALL_ROUTES), a firewall
    /// subnet without its internet route (FIREWALL_SUBNET_MISSING_EXPECTED_ROUTE), an internet gateway route to a network interface
    /// (UNEXPECTED_TARGET_GATEWAY_ROUTES) and a protected subnet the gateway does not route back (INTERNET_GATEWAY_MISSING_EXPECTED_ROUTE).
    /// FMS only reports route violations (FmsRemediates false): they remain after remediation.</item>
    /// <item>demo-nacl-baseline (accounts prod-web and prod-api, subnets): prod-web's subnets use the default NACL without the
    /// policy's entries; prod-api's subnet a uses a NACL missing the last entry; prod-api's subnet b is compliant
    /// (INVALID_NETWORK_ACL_ENTRY).</item>
    /// </list>
    /// </summary>
    public static partial class DemoOrganization
    {
        public const string OrganizationId = "o-d3m0f1rew4";
        public const string RootId = "r-d3m0";
        public const string ManagementAccountId = "111111111111";
        public const string FmsAdministratorAccountId = "222222222222";
        public const string ProductionOuId = "ou-d3m0-pr0d0001";
        public const string ProductionEuOuId = "ou-d3m0-pr0deu01";
        public const string DevelopmentOuId = "ou-d3m0-dev00001";
        public const string SandboxOuId = "ou-d3m0-sbx00001";
        public const string SecurityOuId = "ou-d3m0-sec00001";

        public const string ProdWeb = "310000000001";
        public const string ProdApi = "310000000002";
        public const string ProdData = "310000000003";
        public const string ProdEuWeb = "320000000001";
        public const string ProdEuNetwork = "320000000002";
        public const string DevTeamA = "410000000001";
        public const string DevTeamB = "410000000002";
        public const string DevCi = "410000000003";
        public const string SandboxAlice = "510000000001";
        public const string SandboxBob = "510000000002";
        public const string LogArchive = "610000000001";

        public const string WafPolicyName = "demo-waf-baseline";
        public const string WafCloudFrontPolicyName = "demo-waf-cloudfront";
        public const string ShieldPolicyName = "demo-shield-advanced";
        public const string SecurityGroupCommonPolicyName = "demo-sg-baseline";
        public const string ContentAuditPolicyName = "demo-sg-content-audit";
        public const string UsageAuditPolicyName = "demo-sg-usage-audit";
        public const string DnsFirewallPolicyName = "demo-dns-firewall";
        public const string NetworkFirewallPolicyName = "demo-network-firewall";
        public const string NetworkAclPolicyName = "demo-nacl-baseline";

        /// <summary>The demo's clock: resource ages and FMS resource names are relative to this instant.</summary>
        public static readonly DateTime ReferenceTime = new DateTime(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);

        public static readonly IReadOnlyList<string> PolicyNames = new[]
        {
            WafPolicyName, WafCloudFrontPolicyName, ShieldPolicyName, SecurityGroupCommonPolicyName, ContentAuditPolicyName,
            UsageAuditPolicyName, DnsFirewallPolicyName, NetworkFirewallPolicyName, NetworkAclPolicyName,
        };

        private static readonly string[] Regions = { WorldRegions.UsEast1, WorldRegions.EuWest1 };
        private static readonly object Gate = new object();
        private static DemoBuild? cached;

        /// <summary>A new, independent copy of the demo world.</summary>
        public static World Create() => Build().World;

        /// <summary>The demo's documented violations for one region, before any remediation.</summary>
        public static IReadOnlyList<ExpectedViolation> ExpectedViolations(string region) =>
            Cached().Expected.Where(v => v.Region == region).ToList();

        /// <summary>The demo's documented violations of one policy in one region.</summary>
        public static IReadOnlyList<ExpectedViolation> ExpectedViolations(string policyName, string region) =>
            Cached().Expected.Where(v => v.Region == region && v.PolicyName == policyName).ToList();

        /// <summary>The stable 36-character PolicyId the demo uses for a demo policy in a region. Store demo policies with these
        /// ids: the demo world's pre-existing FMS resources (web ACL, replicas, DNS associations, firewalls) refer to them.</summary>
        public static string PolicyId(string policyName, string region)
        {
            ulong hash = 14695981039346656037UL;
            foreach (var c in policyName + "|" + region)
            {
                hash ^= c;
                hash = unchecked(hash * 1099511628211UL);
            }
            return new WorldIds(unchecked((long)hash)).Uuid();
        }

        private static DemoBuild Cached()
        {
            lock (Gate) return cached ??= Build();
        }

        /// <summary>Ids of the administrator-owned objects the demo policies reference in one region.</summary>
        private sealed class RegionFacts
        {
            public string BaselineGroupId = "";
            public string AuditGroupId = "";
            public string DnsRuleGroupId = "";
            public string StatelessRuleGroupArn = "";
            public string StatefulRuleGroupArn = "";
        }

        private sealed class DemoBuild
        {
            public World World = new World();
            public readonly List<ExpectedViolation> Expected = new List<ExpectedViolation>();
            public readonly Dictionary<string, RegionFacts> Facts = new Dictionary<string, RegionFacts>(StringComparer.Ordinal);
        }

        private sealed class Workload
        {
            public Vpc Vpc = null!;
            public Subnet SubnetA = null!;
            public Subnet SubnetB = null!;
            public SecurityGroup WebGroup = null!;
            public SecurityGroup AppGroup = null!;
            public Ec2Instance Web = null!;
            public Ec2Instance App = null!;
            public ApplicationLoadBalancer LoadBalancer = null!;
            public ElasticIp ElasticIp = null!;
        }

        private static DemoBuild Build()
        {
            var demo = new DemoBuild();
            var world = demo.World;
            var now = ReferenceTime;
            var b = new WorldBuilder(world, new WorldIds(20240601), now);
            BuildOrganization(world, now);
            world.ManagedRuleGroups.AddRange(ManagedRuleGroupCatalogue.Create());
            var expected = demo.Expected;
            void Expect(string policy, WorldResource resource, string reason, string why) => expected.Add(new ExpectedViolation
            {
                PolicyName = policy, Region = resource.Region, AccountId = resource.AccountId, ResourceId = resource.ViolatorResourceId,
                ResourceType = resource.ResourceType, ViolationReason = reason, Why = why,
            });

            for (var r = 0; r < Regions.Length; r++)
            {
                var region = Regions[r];
                var facts = new RegionFacts();
                demo.Facts[region] = facts;

                // The FMS administrator's own objects the policies reference, and a small security-tools VPC (in scope where no map excludes it).
                var adminVpc = b.Vpc(FmsAdministratorAccountId, region, "10.200." + (r * 16) + ".0/20", "security-tools-vpc");
                var adminSubnet = b.Subnet(adminVpc, "a", "10.200." + (r * 16) + ".0/24", "security-tools-a");
                var baseline = b.SecurityGroup(FmsAdministratorAccountId, region, adminVpc.Id, "fms-baseline-sg",
                    new[] { SecurityGroupRule.Tcp(9100, 9100, "10.0.0.0/8", "node exporter scraping") }, tags: WorldBuilder.Tags("purpose", "fms-primary"));
                var audit = b.SecurityGroup(FmsAdministratorAccountId, region, adminVpc.Id, "fms-audit-deny-sg",
                    new[] { SecurityGroupRule.Tcp(22, 22, "0.0.0.0/0", "ssh from anywhere"), SecurityGroupRule.Tcp(3389, 3389, "0.0.0.0/0", "rdp from anywhere") },
                    tags: WorldBuilder.Tags("purpose", "fms-audit"));
                facts.BaselineGroupId = baseline.Id;
                facts.AuditGroupId = audit.Id;
                var dnsGroup = b.DnsFirewallRuleGroup(FmsAdministratorAccountId, region, "fms-dns-blocklist", 120);
                facts.DnsRuleGroupId = dnsGroup.Id;
                facts.StatelessRuleGroupArn = "arn:aws:network-firewall:" + region + ":" + FmsAdministratorAccountId + ":stateless-rulegroup/fms-drop-fragments";
                facts.StatefulRuleGroupArn = "arn:aws:network-firewall:" + region + ":" + FmsAdministratorAccountId + ":stateful-rulegroup/fms-domain-allowlist";
                var toolsInstance = b.Instance(FmsAdministratorAccountId, adminSubnet, "security-tools-1", new[] { b.DefaultSecurityGroup(adminVpc).Id });
                Expect(SecurityGroupCommonPolicyName, toolsInstance, ViolationReasonValues.ResourceMissingSecurityGroup, "The administrator account is in scope and its instance lacks the baseline replica.");
                Expect(DnsFirewallPolicyName, adminVpc, ViolationReasonValues.ResourceMissingDnsFirewall, "The administrator's VPC has no DNS Firewall association.");

                var workloads = new Dictionary<string, Workload>(StringComparer.Ordinal);
                var memberAccounts = new[] { ProdWeb, ProdApi, ProdData, ProdEuWeb, ProdEuNetwork, DevTeamA, DevTeamB, DevCi, SandboxAlice, SandboxBob, LogArchive };
                for (var a = 0; a < memberAccounts.Length; a++)
                {
                    var account = memberAccounts[a];
                    var accountName = world.FindAccount(account)!.Name;
                    var inspected = account == ProdWeb || account == ProdApi || account == ProdEuNetwork;
                    var vpcTags = inspected
                        ? WorldBuilder.Tags("Name", accountName + "-vpc", "network-inspection", "required", "environment", EnvironmentOf(account))
                        : WorldBuilder.Tags("Name", accountName + "-vpc", "environment", EnvironmentOf(account));
                    var w = new Workload();
                    var second = 10 + a * 2 + r;
                    w.Vpc = b.Vpc(account, region, "10." + second + ".0.0/16", accountName + "-vpc", vpcTags);
                    w.SubnetA = b.Subnet(w.Vpc, "a", "10." + second + ".1.0/24", accountName + "-private-a");
                    w.SubnetB = b.Subnet(w.Vpc, "b", "10." + second + ".2.0/24", accountName + "-private-b");
                    w.WebGroup = b.SecurityGroup(account, region, w.Vpc.Id, "web-sg", new[] { SecurityGroupRule.Tcp(443, 443, "0.0.0.0/0", "https") }, ageDays: 120);
                    w.AppGroup = b.SecurityGroup(account, region, w.Vpc.Id, "app-sg", new[] { SecurityGroupRule.Tcp(8080, 8080, "10.0.0.0/8", "app traffic") }, ageDays: 90);
                    var exempt = account == DevTeamA;
                    w.Web = b.Instance(account, w.SubnetA, accountName + "-web-1", new[] { w.WebGroup.Id }, WorldBuilder.Tags("Name", accountName + "-web-1", "environment", EnvironmentOf(account)));
                    w.App = b.Instance(account, w.SubnetB, accountName + "-app-1", new[] { w.AppGroup.Id },
                        exempt ? WorldBuilder.Tags("Name", accountName + "-app-1", "fms-exempt", "true") : WorldBuilder.Tags("Name", accountName + "-app-1", "environment", EnvironmentOf(account)));
                    w.ElasticIp = b.ElasticIp(account, region, w.Web, WorldBuilder.Tags("Name", accountName + "-eip"));
                    if (account != ProdEuNetwork)
                        w.LoadBalancer = b.ApplicationLoadBalancer(account, region, w.Vpc, accountName + "-alb", new[] { w.WebGroup.Id }, new[] { w.SubnetA, w.SubnetB },
                            tags: WorldBuilder.Tags("environment", EnvironmentOf(account)));
                    workloads[account] = w;
                }

                // ---- demo-sg-baseline: replicas where FMS already remediated (prod-data) and an edited replica (dev-team-b).
                var sgCommonPolicyId = PolicyId(SecurityGroupCommonPolicyName, region);
                foreach (var account in new[] { ProdData, DevTeamB })
                {
                    var w = workloads[account];
                    var edited = account == DevTeamB;
                    var replica = b.SecurityGroup(account, region, w.Vpc.Id, "FMManagedSecurityGroup" + SecurityGroupCommonPolicyName + "-" + w.Vpc.Id,
                        edited ? new[] { baseline.Ingress[0], SecurityGroupRule.Tcp(22, 22, "10.0.0.0/8", "added by hand") } : baseline.Ingress,
                        tags: WorldBuilder.Tags("FMManaged", "true"), ageDays: 30);
                    replica.FmsPolicyId = sgCommonPolicyId;
                    replica.ReplicaOfGroupId = baseline.Id;
                    foreach (var instance in new[] { w.Web, w.App })
                    {
                        var eni = world.FindById<NetworkInterface>(instance.NetworkInterfaceIds[0])!;
                        eni.SecurityGroupIds = eni.SecurityGroupIds.Concat(new[] { replica.Id }).ToArray();
                    }
                    if (edited) Expect(SecurityGroupCommonPolicyName, replica, ViolationReasonValues.FmsCreatedSecurityGroupEdited, "Someone added an SSH rule to the FMS replica.");
                }
                foreach (var pair in workloads)
                {
                    if (pair.Key == ProdData || pair.Key == DevTeamB || pair.Key == SandboxAlice || pair.Key == SandboxBob) continue;
                    Expect(SecurityGroupCommonPolicyName, pair.Value.Web, ViolationReasonValues.ResourceMissingSecurityGroup, "The instance's primary ENI lacks the baseline replica.");
                    if (pair.Key != DevTeamA)
                        Expect(SecurityGroupCommonPolicyName, pair.Value.App, ViolationReasonValues.ResourceMissingSecurityGroup, "The instance's primary ENI lacks the baseline replica.");
                }
                // A participant instance in prod-eu-network's shared VPC.
                var network = workloads[ProdEuNetwork];
                network.Vpc.SharedWithAccountIds = new[] { ProdEuWeb };
                var sharedSubnet = b.Subnet(network.Vpc, "c", "10." + (10 + 4 * 2 + r) + ".3.0/24", "shared-workloads-c");
                var sharedInstance = b.Instance(ProdEuWeb, sharedSubnet, "prod-eu-web-shared-1", new[] { workloads[ProdEuWeb].AppGroup.Id });
                Expect(SecurityGroupCommonPolicyName, sharedInstance, ViolationReasonValues.ResourceMissingSecurityGroup, "An instance in a shared VPC lacks the baseline replica (includeSharedVPC is on).");

                // ---- demo-sg-content-audit: groups open to the internet on 22/3389.
                if (region == WorldRegions.UsEast1)
                {
                    var w = workloads[ProdApi];
                    var bastion = b.SecurityGroup(ProdApi, region, w.Vpc.Id, "bastion-sg", new[] { SecurityGroupRule.Tcp(22, 22, "0.0.0.0/0", "ssh") });
                    var bastionHost = b.Instance(ProdApi, w.SubnetA, "prod-api-bastion", new[] { bastion.Id });
                    Expect(ContentAuditPolicyName, bastion, ViolationReasonValues.ResourceViolatesAuditSecurityGroup, "SSH open to 0.0.0.0/0.");
                    Expect(SecurityGroupCommonPolicyName, bastionHost, ViolationReasonValues.ResourceMissingSecurityGroup, "The instance's primary ENI lacks the baseline replica.");
                }
                {
                    var w = workloads[DevTeamA];
                    var rdp = b.SecurityGroup(DevTeamA, region, w.Vpc.Id, "rdp-sg", new[] { SecurityGroupRule.Tcp(3389, 3389, "0.0.0.0/0", "rdp") });
                    var windows = b.Instance(DevTeamA, w.SubnetB, "dev-team-a-windows-1", new[] { rdp.Id });
                    Expect(ContentAuditPolicyName, rdp, ViolationReasonValues.ResourceViolatesAuditSecurityGroup, "RDP open to 0.0.0.0/0.");
                    Expect(SecurityGroupCommonPolicyName, windows, ViolationReasonValues.ResourceMissingSecurityGroup, "The instance's primary ENI lacks the baseline replica.");
                }
                {
                    var w = workloads[SandboxAlice];
                    var legacy = b.SecurityGroup(SandboxAlice, region, w.Vpc.Id, "legacy-ssh-sg", new[] { SecurityGroupRule.Tcp(22, 22, "0.0.0.0/0", "old ssh") }, ageDays: 300);
                    Expect(ContentAuditPolicyName, legacy, ViolationReasonValues.ResourceViolatesAuditSecurityGroup, "SSH open to 0.0.0.0/0.");
                    Expect(UsageAuditPolicyName, legacy, ViolationReasonValues.SecurityGroupUnused, "No ENI, instance or load balancer uses it.");
                }
                {
                    var w = workloads[SandboxBob];
                    var wide = b.SecurityGroup(SandboxBob, region, w.Vpc.Id, "wide-open-sg", new[] { SecurityGroupRule.Tcp(0, 65535, "0.0.0.0/0", "everything") });
                    b.Instance(SandboxBob, w.SubnetA, "sandbox-bob-experiment", new[] { wide.Id });
                    Expect(ContentAuditPolicyName, wide, ViolationReasonValues.ResourceViolatesAuditSecurityGroup, "All TCP ports (including 22 and 3389) open to 0.0.0.0/0.");
                }

                // ---- demo-sg-usage-audit: an unused group and a redundant duplicate.
                {
                    var w = workloads[DevTeamB];
                    var old = b.SecurityGroup(DevTeamB, region, w.Vpc.Id, "old-test-sg", new[] { SecurityGroupRule.Tcp(5432, 5432, "10.1.0.0/16", "old db test") }, ageDays: 200);
                    Expect(UsageAuditPolicyName, old, ViolationReasonValues.SecurityGroupUnused, "No ENI, instance or load balancer uses it.");
                }
                {
                    var w = workloads[DevCi];
                    var copy = b.SecurityGroup(DevCi, region, w.Vpc.Id, "app-sg-copy", w.AppGroup.Ingress, ageDays: 30);
                    var runner = b.Instance(DevCi, w.SubnetA, "dev-ci-runner-1", new[] { copy.Id });
                    Expect(UsageAuditPolicyName, copy, ViolationReasonValues.SecurityGroupRedundant, "Same rules as the older app-sg in the same VPC.");
                    Expect(SecurityGroupCommonPolicyName, runner, ViolationReasonValues.ResourceMissingSecurityGroup, "The instance's primary ENI lacks the baseline replica.");
                }

                // ---- demo-waf-baseline.
                var wafPolicyId = PolicyId(WafPolicyName, region);
                var commonRuleSet = new WebAclRule { Name = "AWS-AWSManagedRulesCommonRuleSet", Priority = 0, StatementType = WebAclStatementTypes.ManagedRuleGroup, VendorName = "AWS", ManagedRuleGroupName = "AWSManagedRulesCommonRuleSet", Action = "NONE" };
                {
                    var w = workloads[ProdWeb];
                    var customerAcl = b.WebAcl(ProdWeb, region, WafScopes.Regional, "prod-web-acl",
                        new[] { new WebAclRule { Name = "rate-limit", Priority = 1, StatementType = WebAclStatementTypes.RateBased, RateLimit = 2000, Action = "BLOCK" } });
                    w.LoadBalancer.WebAclArn = customerAcl.Arn;
                    Expect(WafPolicyName, customerAcl, ViolationReasonValues.WebAclMissingRuleGroup, "The customer web ACL on prod-web's ALB lacks the policy's first rule group (retrofit pending).");
                }
                {
                    var w = workloads[ProdData];
                    var fmsAcl = b.WebAcl(ProdData, region, WafScopes.Regional, "FMManagedWebACLV2-" + WafPolicyName + "-" + ToEpochMs(now.AddDays(-10)), new WebAclRule[0]);
                    fmsAcl.PreProcessFirewallManagerRuleGroups = new[] { commonRuleSet };
                    fmsAcl.ManagedByFirewallManager = true;
                    fmsAcl.FmsPolicyId = wafPolicyId;
                    fmsAcl.FmsPolicyType = SecurityServiceTypeValues.Wafv2;
                    fmsAcl.Capacity = b.RuleCapacity(commonRuleSet);
                    w.LoadBalancer.WebAclArn = fmsAcl.Arn;
                }
                Expect(WafPolicyName, workloads[ProdApi].LoadBalancer, ViolationReasonValues.ResourceMissingWebAcl, "No web ACL associated.");
                Expect(WafPolicyName, workloads[ProdEuWeb].LoadBalancer, ViolationReasonValues.ResourceMissingWebAcl, "No web ACL associated.");
                var stage = b.ApiGatewayStage(ProdApi, region, "prod", tags: WorldBuilder.Tags("environment", "production"));
                Expect(WafPolicyName, stage, ViolationReasonValues.ResourceMissingWebAcl, "No web ACL associated.");
                b.ApiGatewayStage(DevTeamA, region, "dev");

                // ---- demo-shield-advanced: prod-web protected in us-east-1 only.
                foreach (var account in new[] { ProdWeb, ProdApi, ProdData, ProdEuWeb, ProdEuNetwork })
                {
                    var w = workloads[account];
                    var protect = account == ProdWeb && region == WorldRegions.UsEast1;
                    foreach (var resource in new WorldResource?[] { w.LoadBalancer, w.ElasticIp })
                    {
                        if (resource == null) continue;
                        if (protect) b.ShieldProtection(resource);
                        else Expect(ShieldPolicyName, resource, ViolationReasonValues.ResourceMissingShieldProtection, "No Shield Advanced protection.");
                    }
                }

                // ---- demo-dns-firewall: prod-web and prod-data already associated by FMS.
                var dnsPolicyId = PolicyId(DnsFirewallPolicyName, region);
                foreach (var pair in workloads)
                {
                    if (pair.Key == ProdWeb || pair.Key == ProdData)
                        b.DnsFirewallAssociation(pair.Value.Vpc, dnsGroup.Id, 11, "FMManaged_" + DnsFirewallPolicyName, dnsPolicyId);
                    else
                        Expect(DnsFirewallPolicyName, pair.Value.Vpc, ViolationReasonValues.ResourceMissingDnsFirewall, "The VPC has no association with fms-dns-blocklist.");
                }

                // ---- demo-network-firewall: prod-web has an FMS firewall (missing zone b in eu-west-1).
                var nfwPolicyId = PolicyId(NetworkFirewallPolicyName, region);
                {
                    var w = workloads[ProdWeb];
                    var second = 10 + 0 * 2 + r;
                    var fwSubnetA = b.Subnet(w.Vpc, "a", "10." + second + ".255.0/28", "FMSManagedFirewallSubnet-a");
                    var fwSubnets = new List<Subnet> { fwSubnetA };
                    if (region == WorldRegions.UsEast1) fwSubnets.Add(b.Subnet(w.Vpc, "b", "10." + second + ".255.16/28", "FMSManagedFirewallSubnet-b"));
                    foreach (var firewallSubnet in fwSubnets) firewallSubnet.FmsPolicyId = nfwPolicyId;
                    var fwPolicy = b.NetworkFirewallPolicy(ProdWeb, region, "FMManagedNetworkFirewallPolicy" + NetworkFirewallPolicyName,
                        new[] { new NetworkFirewallRuleGroupReference { ResourceArn = facts.StatelessRuleGroupArn, Priority = 1 } },
                        new[] { new NetworkFirewallRuleGroupReference { ResourceArn = facts.StatefulRuleGroupArn } }, nfwPolicyId);
                    b.NetworkFirewall(w.Vpc, "FMManagedNetworkFirewall" + NetworkFirewallPolicyName + w.Vpc.Id, fwPolicy, fwSubnets.ToArray(), nfwPolicyId);
                    if (region != WorldRegions.UsEast1)
                        Expect(NetworkFirewallPolicyName, w.Vpc, ViolationReasonValues.MissingFirewallSubnetInAz, "The FMS firewall has no endpoint in " + region + "b.");
                }
                Expect(NetworkFirewallPolicyName, workloads[ProdApi].Vpc, ViolationReasonValues.MissingFirewall, "No FMS Network Firewall in the VPC.");
                Expect(NetworkFirewallPolicyName, workloads[ProdEuNetwork].Vpc, ViolationReasonValues.MissingFirewall, "No FMS Network Firewall in the VPC.");

                // ---- demo-nacl-baseline.
                {
                    var w = workloads[ProdWeb];
                    Expect(NetworkAclPolicyName, w.SubnetA, ViolationReasonValues.InvalidNetworkAclEntry, "The default NACL lacks the policy's first and last entries.");
                    Expect(NetworkAclPolicyName, w.SubnetB, ViolationReasonValues.InvalidNetworkAclEntry, "The default NACL lacks the policy's first and last entries.");
                    foreach (var subnet in world.GetResources<Subnet>(ProdWeb, region).Where(s => s.Name != null && s.Name.StartsWith("FMSManagedFirewallSubnet", StringComparison.Ordinal)))
                        Expect(NetworkAclPolicyName, subnet, ViolationReasonValues.InvalidNetworkAclEntry, "The firewall subnet uses the default NACL, which lacks the policy's entries.");
                }
                {
                    var w = workloads[ProdApi];
                    var rdpDeny = new NetworkAclRule { RuleNumber = 1, Egress = false, Protocol = "6", PortFrom = 3389, PortTo = 3389, CidrBlock = "0.0.0.0/0", RuleAction = "deny" };
                    var allowAll = new NetworkAclRule { RuleNumber = 100, Egress = false, Protocol = "-1", CidrBlock = "0.0.0.0/0", RuleAction = "allow" };
                    var allowAllOut = new NetworkAclRule { RuleNumber = 100, Egress = true, Protocol = "-1", CidrBlock = "0.0.0.0/0", RuleAction = "allow" };
                    var lastAllow = new NetworkAclRule { RuleNumber = 32766, Egress = false, Protocol = "-1", CidrBlock = "10.0.0.0/8", RuleAction = "allow" };
                    b.NetworkAcl(w.Vpc, "prod-api-nacl", new[] { rdpDeny, allowAll, allowAllOut }, w.SubnetA);
                    b.NetworkAcl(w.Vpc, "prod-api-compliant-nacl", new[] { rdpDeny, allowAll, allowAllOut, lastAllow }, w.SubnetB);
                    Expect(NetworkAclPolicyName, w.SubnetA, ViolationReasonValues.InvalidNetworkAclEntry, "prod-api-nacl lacks the policy's last entry.");
                }

                // ---- CloudFront (global) and the CloudFront WAF policy.
                if (region == WorldRegions.Global)
                {
                    var customerCfAcl = b.WebAcl(ProdWeb, region, WafScopes.CloudFront, "prod-web-cf-acl",
                        new[] { new WebAclRule { Name = "geo-block", Priority = 1, StatementType = WebAclStatementTypes.RateBased, RateLimit = 10000, Action = "BLOCK" } });
                    var prodCf = b.CloudFrontDistribution(ProdWeb, "prod-web-alb.example.com", customerCfAcl.Arn, WorldBuilder.Tags("environment", "production"));
                    var devCf = b.CloudFrontDistribution(DevTeamA, "dev-team-a-assets.s3.amazonaws.com");
                    Expect(WafCloudFrontPolicyName, prodCf, ViolationReasonValues.ResourceIncorrectWebAcl, "Associated with a customer web ACL; the policy replaces customer associations.");
                    Expect(WafCloudFrontPolicyName, devCf, ViolationReasonValues.ResourceMissingWebAcl, "No web ACL associated.");
                    foreach (var account in new[] { ProdWeb, ProdApi, ProdData })
                        b.ShieldSubscription(account);
                    world.ShieldAttacks.Add(new ShieldAttack
                    {
                        AttackId = "a" + b.Ids.HexString(31), AccountId = ProdWeb, ResourceArn = workloads[ProdWeb].LoadBalancer.Arn,
                        StartTime = now.AddDays(-3), EndTime = now.AddDays(-3).AddMinutes(42), AttackVectors = new[] { "SYN_FLOOD" },
                    });
                    world.ShieldAttacks.Add(new ShieldAttack
                    {
                        AttackId = "a" + b.Ids.HexString(31), AccountId = ProdWeb, ResourceArn = workloads[ProdWeb].ElasticIp.Arn,
                        StartTime = now.AddHours(-2), AttackVectors = new[] { "UDP_REFLECTION" },
                    });
                }

                // Odds and ends that no demo policy flags: a WAF rule group and IP set in the administrator account, a classic ELB.
                b.WafRuleGroup(FmsAdministratorAccountId, region, WafScopes.Regional, "fms-custom-rules", 50, rules: WafRuleGroupRule.DefaultSet());
                b.IpSet(FmsAdministratorAccountId, region, WafScopes.Regional, "blocked-addresses", new[] { "192.0.2.0/24", "198.51.100.7/32" });
                b.ClassicLoadBalancer(LogArchive, region, workloads[LogArchive].Vpc, "log-archive-legacy-elb", new[] { workloads[LogArchive].WebGroup.Id });
            }
            AddRouteScenarios(b, world, demo, Expect);
            world.ThirdPartyFirewallAssociations.Add(new ThirdPartyFirewallAssociation
            {
                AdminAccountId = FmsAdministratorAccountId, ThirdPartyFirewall = ThirdPartyFirewallValues.PaloAltoNetworksCloudNgfw,
                Status = ThirdPartyFirewallAssociationStatusValues.OnboardComplete, MarketplaceOnboardingStatus = "COMPLETE",
                FirewallPolicyNames = new[] { "global-1", "egress-inspection" },
            });
            world.IdCounter = 1000;
            world.MarkChanged();
            return demo;
        }
    }
}
