using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;

namespace FmsTools.Sandbox.World
{
    public static partial class DemoOrganization
    {
        /// <summary>
        /// Three VPCs in prod-eu-web (us-east-1) with FMS firewalls (endpoints in zones a and b), internet gateways and route tables,
        /// for demo-network-firewall's route monitoring, and one in prod-data (which has no member role, so the EC2 fixes FMS
        /// suggests there cannot be made by assuming one). Built after both regions so the other resources keep their ids.
        /// </summary>
        private static void AddRouteScenarios(WorldBuilder b, World world, DemoBuild demo, Action<string, WorldResource, string, string> expect)
        {
            const string region = WorldRegions.UsEast1;
            var account = ProdEuWeb;
            var facts = demo.Facts[region];
            var nfwPolicyId = PolicyId(NetworkFirewallPolicyName, region);
            var dnsPolicyId = PolicyId(DnsFirewallPolicyName, region);
            var fwPolicy = b.NetworkFirewallPolicy(account, region, "FMManagedNetworkFirewallPolicy" + NetworkFirewallPolicyName,
                new[] { new NetworkFirewallRuleGroupReference { ResourceArn = facts.StatelessRuleGroupArn, Priority = 1 } },
                new[] { new NetworkFirewallRuleGroupReference { ResourceArn = facts.StatefulRuleGroupArn } }, nfwPolicyId);
            void Monitor(string policy, WorldResource resource, string reason, string why)
            {
                expect(policy, resource, reason, why);
                demo.Expected[demo.Expected.Count - 1].FmsRemediates = false;
            }

            // The route tables FMS created for its firewall subnets; the customer added the internet gateway routes.
            RouteTable FirewallTable(Vpc vpc, string zoneSuffix, RouteEntry[] routes, Subnet firewallSubnet)
            {
                var table = b.RouteTable(vpc, "FMSManagedFirewallRouteTable-" + zoneSuffix, routes, new[] { firewallSubnet });
                table.FmsPolicyId = nfwPolicyId;
                return table;
            }

            (Vpc Vpc, string Igw, Subnet FwA, Subnet FwB, string EndpointA, string EndpointB) NewVpc(int second, string name, NetworkFirewallPolicy? policy = null)
            {
                var vpc = b.Vpc(policy?.AccountId ?? account, region, "10." + second + ".0.0/16", name,
                    WorldBuilder.Tags("Name", name, "network-inspection", "required", "environment", "production"));
                var igw = b.InternetGateway(vpc);
                b.RouteTable(vpc, name + "-main", new RouteEntry[0], isMain: true);
                var fwA = b.Subnet(vpc, "a", "10." + second + ".255.0/28", "FMSManagedFirewallSubnet-a");
                var fwB = b.Subnet(vpc, "b", "10." + second + ".255.16/28", "FMSManagedFirewallSubnet-b");
                fwA.FmsPolicyId = nfwPolicyId;
                fwB.FmsPolicyId = nfwPolicyId;
                var firewall = b.NetworkFirewall(vpc, "FMManagedNetworkFirewall" + NetworkFirewallPolicyName + vpc.Id, policy ?? fwPolicy, new[] { fwA, fwB }, nfwPolicyId);
                b.DnsFirewallAssociation(vpc, facts.DnsRuleGroupId, 11, "FMManaged_" + DnsFirewallPolicyName, dnsPolicyId);
                return (vpc, igw, fwA, fwB, firewall.SubnetMappings[0].EndpointId, firewall.SubnetMappings[1].EndpointId);
            }

            // inspected-vpc: the reference layout, compliant.
            {
                var (vpc, igw, fwA, fwB, endpointA, endpointB) = NewVpc(60, "prod-eu-web-inspected-vpc");
                var publicA = b.Subnet(vpc, "a", "10.60.1.0/24", "inspected-public-a");
                var publicB = b.Subnet(vpc, "b", "10.60.2.0/24", "inspected-public-b");
                b.RouteTable(vpc, "inspected-public-a-rt", new[] { RouteEntry.To("0.0.0.0/0", endpointA) }, new[] { publicA });
                b.RouteTable(vpc, "inspected-public-b-rt", new[] { RouteEntry.To("0.0.0.0/0", endpointB) }, new[] { publicB });
                FirewallTable(vpc, "a", new[] { RouteEntry.To("0.0.0.0/0", igw) }, fwA);
                FirewallTable(vpc, "b", new[] { RouteEntry.To("0.0.0.0/0", igw) }, fwB);
                b.RouteTable(vpc, "inspected-igw-rt", new[] { RouteEntry.To("10.60.1.0/24", endpointA), RouteEntry.To("10.60.2.0/24", endpointB) }, gatewayId: igw);
            }
            // bypass-vpc: subnets skip the firewall, one crosses zones, a firewall subnet left FMS's route table, and the internet
            // gateway has no route table.
            {
                var (vpc, igw, fwA, fwB, endpointA, _) = NewVpc(61, "prod-eu-web-bypass-vpc");
                var publicA = b.Subnet(vpc, "a", "10.61.1.0/24", "bypass-public-a");
                var publicB = b.Subnet(vpc, "b", "10.61.2.0/24", "bypass-public-b");
                var appB = b.Subnet(vpc, "b", "10.61.3.0/24", "bypass-app-b");
                b.RouteTable(vpc, "bypass-public-rt", new[] { RouteEntry.To("0.0.0.0/0", igw) }, new[] { publicA, publicB });
                b.RouteTable(vpc, "bypass-app-b-rt", new[] { RouteEntry.To("0.0.0.0/0", endpointA) }, new[] { appB });
                FirewallTable(vpc, "a", new[] { RouteEntry.To("0.0.0.0/0", igw) }, fwA);
                FirewallTable(vpc, "b", new[] { RouteEntry.To("0.0.0.0/0", igw) }, fwB);
                b.RouteTable(vpc, "bypass-firewall-custom-rt", new[] { RouteEntry.To("0.0.0.0/0", igw) }, new[] { fwB });
                Monitor(NetworkFirewallPolicyName, publicA, ViolationReasonValues.InternetTrafficNotInspected, "The subnet's 0.0.0.0/0 route goes straight to the internet gateway.");
                Monitor(NetworkFirewallPolicyName, publicB, ViolationReasonValues.InternetTrafficNotInspected, "The subnet's 0.0.0.0/0 route goes straight to the internet gateway.");
                Monitor(NetworkFirewallPolicyName, appB, ViolationReasonValues.InvalidRouteConfiguration, "A zone-b subnet routes through zone a's firewall endpoint.");
                Monitor(NetworkFirewallPolicyName, vpc, ViolationReasonValues.MissingExpectedRouteTable, "The zone-b firewall subnet uses a customer route table instead of the one FMS created.");
                Monitor(NetworkFirewallPolicyName, vpc, ViolationReasonValues.InternetGatewayMissingExpectedRoute, "The internet gateway has no route table sending return traffic through the firewall.");
            }
            // broken-vpc: a black hole, a foreign endpoint, bad firewall subnet routes and bad internet gateway routes.
            {
                var (vpc, igw, fwA, fwB, endpointA, endpointB) = NewVpc(62, "prod-eu-web-broken-vpc");
                var publicA = b.Subnet(vpc, "a", "10.62.1.0/24", "broken-public-a");
                var publicB = b.Subnet(vpc, "b", "10.62.2.0/24", "broken-public-b");
                var appA = b.Subnet(vpc, "a", "10.62.3.0/24", "broken-app-a");
                var appB = b.Subnet(vpc, "b", "10.62.4.0/24", "broken-app-b");
                b.RouteTable(vpc, "broken-public-a-rt", new[] { RouteEntry.To("0.0.0.0/0", b.Ids.Ec2Id("vpce"), RouteEntry.Blackhole) }, new[] { publicA });
                b.RouteTable(vpc, "broken-public-b-rt", new[] { RouteEntry.To("0.0.0.0/0", endpointB) }, new[] { publicB, appB });
                b.RouteTable(vpc, "broken-app-a-rt", new[] { RouteEntry.To("0.0.0.0/0", b.Ids.Ec2Id("vpce")) }, new[] { appA });
                FirewallTable(vpc, "a", new[] { RouteEntry.To("0.0.0.0/0", igw), RouteEntry.To("10.62.2.0/24", endpointA) }, fwA);
                FirewallTable(vpc, "b", new RouteEntry[0], fwB);
                b.RouteTable(vpc, "broken-igw-rt", new[] { RouteEntry.To("10.62.2.0/24", b.Ids.Ec2Id("eni")) }, gatewayId: igw);
                Monitor(NetworkFirewallPolicyName, publicA, ViolationReasonValues.BlackHoleRouteDetected, "The subnet's 0.0.0.0/0 route points at a deleted endpoint.");
                Monitor(NetworkFirewallPolicyName, appA, ViolationReasonValues.RouteHasOutOfScopeEndpoint, "The subnet routes through an endpoint that is not the policy firewall's.");
                Monitor(NetworkFirewallPolicyName, fwA, ViolationReasonValues.UnexpectedFirewallRoutes, "The firewall subnet routes 10.62.2.0/24 back into a firewall endpoint.");
                Monitor(NetworkFirewallPolicyName, fwB, ViolationReasonValues.FirewallSubnetMissingExpectedRoute, "The firewall subnet has no 0.0.0.0/0 route to the internet gateway.");
                Monitor(NetworkFirewallPolicyName, vpc, ViolationReasonValues.UnexpectedTargetGatewayRoutes, "The internet gateway routes 10.62.2.0/24 to a network interface, not the firewall.");
                Monitor(NetworkFirewallPolicyName, vpc, ViolationReasonValues.InternetGatewayMissingExpectedRoute, "The internet gateway has no route back to 10.62.4.0/24 through the firewall.");
            }
            // prod-data-vpc (prod-data, no OrganizationAccountAccessRole): a subnet's internet traffic skips the firewall.
            {
                var dataPolicy = b.NetworkFirewallPolicy(ProdData, region, "FMManagedNetworkFirewallPolicy" + NetworkFirewallPolicyName,
                    new[] { new NetworkFirewallRuleGroupReference { ResourceArn = facts.StatelessRuleGroupArn, Priority = 1 } },
                    new[] { new NetworkFirewallRuleGroupReference { ResourceArn = facts.StatefulRuleGroupArn } }, nfwPolicyId);
                var (vpc, igw, fwA, fwB, endpointA, endpointB) = NewVpc(63, "prod-data-vpc", dataPolicy);
                var publicA = b.Subnet(vpc, "a", "10.63.1.0/24", "data-public-a");
                b.RouteTable(vpc, "data-public-a-rt", new[] { RouteEntry.To("0.0.0.0/0", igw) }, new[] { publicA });
                FirewallTable(vpc, "a", new[] { RouteEntry.To("0.0.0.0/0", igw) }, fwA);
                FirewallTable(vpc, "b", new[] { RouteEntry.To("0.0.0.0/0", igw) }, fwB);
                b.RouteTable(vpc, "data-igw-rt", new[] { RouteEntry.To("10.63.1.0/24", endpointA) }, gatewayId: igw);
                Monitor(NetworkFirewallPolicyName, publicA, ViolationReasonValues.InternetTrafficNotInspected, "The subnet's 0.0.0.0/0 route goes straight to the internet gateway.");
            }
        }

        internal static long ToEpochMs(DateTime utc) => (long)(utc - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalMilliseconds;

        private static string EnvironmentOf(string accountId) =>
            accountId.StartsWith("3", StringComparison.Ordinal) ? "production"
            : accountId.StartsWith("4", StringComparison.Ordinal) ? "development"
            : accountId.StartsWith("5", StringComparison.Ordinal) ? "sandbox" : "shared";

        private static void BuildOrganization(World world, DateTime now)
        {
            var org = world.Organization;
            org.Id = OrganizationId;
            org.RootId = RootId;
            org.ManagementAccountId = ManagementAccountId;
            org.ManagementAccountEmail = "aws-management@example.com";
            org.FmsAdministratorAccountId = FmsAdministratorAccountId;
            org.EnabledServicePrincipals = new[] { "fms.amazonaws.com", "config.amazonaws.com", "ram.amazonaws.com" };
            org.OrganizationalUnits.AddRange(new[]
            {
                new OrganizationalUnit { Id = ProductionOuId, Name = "Production", ParentId = RootId },
                new OrganizationalUnit { Id = ProductionEuOuId, Name = "Production-EU", ParentId = ProductionOuId },
                new OrganizationalUnit { Id = DevelopmentOuId, Name = "Development", ParentId = RootId },
                new OrganizationalUnit { Id = SandboxOuId, Name = "Sandbox", ParentId = RootId },
                new OrganizationalUnit { Id = SecurityOuId, Name = "Security", ParentId = RootId },
            });
            void AddAccount(string id, string name, string parent, string method, int daysAgo) => org.Accounts.Add(new Account
            {
                Id = id, Name = name, Email = "aws+" + name + "@example.com", ParentId = parent, JoinedMethod = method,
                JoinedTimestamp = now.AddDays(-daysAgo), Status = "ACTIVE",
            });
            AddAccount(ManagementAccountId, "management", RootId, "CREATED", 900);
            AddAccount(FmsAdministratorAccountId, "security", SecurityOuId, "CREATED", 880);
            AddAccount(LogArchive, "log-archive", SecurityOuId, "CREATED", 870);
            AddAccount(ProdWeb, "prod-web", ProductionOuId, "CREATED", 700);
            AddAccount(ProdApi, "prod-api", ProductionOuId, "CREATED", 650);
            AddAccount(ProdData, "prod-data", ProductionOuId, "INVITED", 600);
            AddAccount(ProdEuWeb, "prod-eu-web", ProductionEuOuId, "CREATED", 400);
            AddAccount(ProdEuNetwork, "prod-eu-network", ProductionEuOuId, "CREATED", 390);
            AddAccount(DevTeamA, "dev-team-a", DevelopmentOuId, "CREATED", 300);
            AddAccount(DevTeamB, "dev-team-b", DevelopmentOuId, "INVITED", 250);
            AddAccount(DevCi, "dev-ci", DevelopmentOuId, "CREATED", 200);
            AddAccount(SandboxAlice, "sandbox-alice", SandboxOuId, "CREATED", 60);
            AddAccount(SandboxBob, "sandbox-bob", SandboxOuId, "CREATED", 30);
            // AWS Organizations creates OrganizationAccountAccessRole in the accounts it creates; of the two invited accounts,
            // dev-team-b's owners created the role by hand and prod-data has none (AssumeRole into it is AccessDenied).
            org.Accounts.First(a => a.Id == DevTeamB).IamRoles = new[] { Account.OrganizationAccountAccessRole };
            org.Accounts.First(a => a.Id == ProdData).IamRoles = new string[0];
            org.DelegatedAdministrators.Add(new DelegatedAdministrator { AccountId = FmsAdministratorAccountId, ServicePrincipal = "fms.amazonaws.com", DelegationEnabledDate = now.AddDays(-800) });
            world.InvalidateIndexes();
        }
    }
}
