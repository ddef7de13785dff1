using System;
using System.Collections.Generic;
using System.Globalization;

namespace FmsTools.Sandbox.World
{
    /// <summary>
    /// Builds large deterministic organizations for scale tests and benchmarks. Names, tag arrays and rule arrays come from
    /// small shared pools so only ids are per-resource strings — that is what keeps 10,000 accounts × 50 resources small.
    /// </summary>
    internal static class WorldGenerator
    {
        private static readonly string[] Environments = { "production", "development", "sandbox", "shared" };
        private static readonly Dictionary<string, WorldTag[]> EnvironmentTags = new Dictionary<string, WorldTag[]>(StringComparer.Ordinal);
        private static readonly WorldTag[] InspectionTags = WorldBuilder.Tags("environment", "production", "network-inspection", "required");
        private static readonly WorldTag[] ExemptTags = WorldBuilder.Tags("environment", "development", "fms-exempt", "true");
        private static readonly SecurityGroupRule[] WebIngress = { SecurityGroupRule.Tcp(443, 443, "0.0.0.0/0", "https") };
        private static readonly SecurityGroupRule[] AppIngress = { SecurityGroupRule.Tcp(8080, 8080, "10.0.0.0/8", "app traffic") };
        private static readonly SecurityGroupRule[] SshOpenIngress = { SecurityGroupRule.Tcp(22, 22, "0.0.0.0/0", "ssh") };
        private static readonly SecurityGroupRule[] DatabaseIngress = { SecurityGroupRule.Tcp(5432, 5432, "10.0.0.0/8", "postgres") };

        public static World Generate(int accountCount, int resourcesPerAccount, int seed)
        {
            if (accountCount < 0) throw new ArgumentOutOfRangeException(nameof(accountCount));
            if (resourcesPerAccount < 0) throw new ArgumentOutOfRangeException(nameof(resourcesPerAccount));
            var world = new World();
            var ids = new WorldIds(seed);
            var now = DemoOrganization.ReferenceTime;
            var builder = new WorldBuilder(world, ids, now);
            world.ManagedRuleGroups.AddRange(ManagedRuleGroupCatalogue.Create());

            var org = world.Organization;
            org.Id = "o-" + ids.LowerAlphanumeric(10);
            var rootSuffix = ids.LowerAlphanumeric(4);
            org.RootId = "r-" + rootSuffix;
            org.EnabledServicePrincipals = new[] { "fms.amazonaws.com", "config.amazonaws.com", "ram.amazonaws.com" };
            string NewOu(string name, string parent)
            {
                var id = "ou-" + rootSuffix + "-" + ids.LowerAlphanumeric(8);
                org.OrganizationalUnits.Add(new OrganizationalUnit { Id = id, Name = name, ParentId = parent });
                return id;
            }
            var production = NewOu("Production", org.RootId);
            var leafOus = new List<KeyValuePair<string, string>>
            {
                new KeyValuePair<string, string>(production, "production"),
                new KeyValuePair<string, string>(NewOu("Production-US", production), "production"),
                new KeyValuePair<string, string>(NewOu("Production-EU", production), "production"),
                new KeyValuePair<string, string>(NewOu("Development", org.RootId), "development"),
                new KeyValuePair<string, string>(NewOu("Sandbox", org.RootId), "sandbox"),
            };
            var security = NewOu("Security", org.RootId);
            var workloads = NewOu("Workloads", org.RootId);
            for (var i = 1; i <= 4; i++) leafOus.Add(new KeyValuePair<string, string>(NewOu("Workloads-" + i, workloads), Environments[i % Environments.Length]));

            var usedAccountIds = new HashSet<string>(StringComparer.Ordinal);
            string NewAccountId()
            {
                for (var attempt = 0; attempt < 100; attempt++)
                {
                    var id = ids.Digits(12);
                    if (usedAccountIds.Add(id)) return id;
                }
                throw new System.InvalidOperationException("Could not produce a unique account id.");
            }
            org.ManagementAccountId = NewAccountId();
            org.ManagementAccountEmail = "management@example.com";
            org.Accounts.Add(new Account { Id = org.ManagementAccountId, Name = "management", Email = "management@example.com", ParentId = org.RootId, JoinedTimestamp = now.AddDays(-1000) });
            org.FmsAdministratorAccountId = NewAccountId();
            org.Accounts.Add(new Account { Id = org.FmsAdministratorAccountId, Name = "security", Email = "security@example.com", ParentId = security, JoinedTimestamp = now.AddDays(-990) });
            org.DelegatedAdministrators.Add(new DelegatedAdministrator { AccountId = org.FmsAdministratorAccountId, ServicePrincipal = "fms.amazonaws.com", DelegationEnabledDate = now.AddDays(-980) });

            var regions = new[] { WorldRegions.UsEast1, WorldRegions.EuWest1 };
            // The administrator's primary/audit groups and DNS rule group, so generated worlds can host the same kinds of policies as the demo.
            foreach (var region in regions)
            {
                var adminVpc = builder.Vpc(org.FmsAdministratorAccountId, region, "10.200.0.0/20", "security-tools-vpc", TagsFor("shared"));
                builder.SecurityGroup(org.FmsAdministratorAccountId, region, adminVpc.Id, "fms-baseline-sg", new[] { SecurityGroupRule.Tcp(9100, 9100, "10.0.0.0/8") });
                builder.SecurityGroup(org.FmsAdministratorAccountId, region, adminVpc.Id, "fms-audit-deny-sg", SshOpenIngress);
                builder.DnsFirewallRuleGroup(org.FmsAdministratorAccountId, region, "fms-dns-blocklist", 100);
            }

            for (var a = 0; a < accountCount; a++)
            {
                var ou = leafOus[a % leafOus.Count];
                var accountId = NewAccountId();
                var number = (a + 1).ToString("D5", CultureInfo.InvariantCulture);
                org.Accounts.Add(new Account
                {
                    Id = accountId, Name = "member-" + number, Email = "aws+member-" + number + "@example.com", ParentId = ou.Key,
                    JoinedMethod = a % 7 == 0 ? "INVITED" : "CREATED", JoinedTimestamp = now.AddDays(-(a % 900) - 1),
                });
                var perRegion = resourcesPerAccount / regions.Length;
                for (var r = 0; r < regions.Length; r++)
                {
                    var budget = perRegion + (r == 0 ? resourcesPerAccount % regions.Length : 0);
                    PopulateRegion(builder, ids, accountId, regions[r], a, r, budget, ou.Value);
                }
            }
            world.IdCounter = 1000;
            world.InvalidateIndexes();
            return world;
        }

        private static WorldTag[] TagsFor(string environment)
        {
            lock (EnvironmentTags)
            {
                if (!EnvironmentTags.TryGetValue(environment, out var tags))
                    EnvironmentTags[environment] = tags = WorldBuilder.Tags("environment", environment);
                return tags;
            }
        }

        /// <summary>Fills one account/region with about <paramref name="budget"/> resources in a fixed rotation, with a
        /// share of deliberate gaps (open SSH, unused groups, load balancers without web ACLs) decided by the id stream.</summary>
        private static void PopulateRegion(WorldBuilder builder, WorldIds ids, string accountId, string region, int accountIndex, int regionIndex, int budget, string environment)
        {
            if (budget <= 0) return;
            var tags = ids.Chance(30) && environment == "production" ? InspectionTags : TagsFor(environment);
            var second = (accountIndex * 2 + regionIndex) % 250;
            var vpc = builder.Vpc(accountId, region, "10." + second + ".0.0/16", "vpc", tags);
            var made = 3;
            var subnets = new List<Subnet>();
            for (var z = 0; z < 2 && made < budget; z++, made++)
                subnets.Add(builder.Subnet(vpc, WorldRegions.ZoneSuffixes[z], "10." + second + "." + (z + 1) + ".0/24", "private", tags));
            if (subnets.Count == 0) return;
            SecurityGroup? web = null, app = null;
            string[]? webIds = null, appIds = null;
            var step = 0;
            while (made < budget)
            {
                var subnet = subnets[step % subnets.Count];
                switch (step % 10)
                {
                    case 0:
                        web = builder.SecurityGroup(accountId, region, vpc.Id, "web-sg", WebIngress, ageDays: 120);
                        webIds = new[] { web.Id };
                        made++;
                        break;
                    case 1:
                        app = builder.SecurityGroup(accountId, region, vpc.Id, "app-sg", AppIngress, ageDays: 90);
                        appIds = new[] { app.Id };
                        made++;
                        break;
                    case 2:
                    case 3:
                        builder.Instance(accountId, subnet, step % 10 == 2 ? "web" : "app", (step % 10 == 2 ? webIds : appIds) ?? new string[0],
                            ids.Chance(10) ? ExemptTags : TagsFor(environment));
                        made += 2;
                        break;
                    case 4:
                        if (webIds != null)
                            builder.ApplicationLoadBalancer(accountId, region, vpc, "alb-" + ids.LowerAlphanumeric(6), webIds, subnets.ToArray(), tags: TagsFor(environment));
                        made++;
                        break;
                    case 5:
                        builder.ElasticIp(accountId, region);
                        made++;
                        break;
                    case 6:
                        builder.SecurityGroup(accountId, region, vpc.Id, ids.Chance(50) ? "ssh-sg" : "db-sg", ids.Chance(50) ? SshOpenIngress : DatabaseIngress, ageDays: 200);
                        made++;
                        break;
                    case 7:
                        builder.NetworkInterface(accountId, subnet, appIds ?? new string[0]);
                        made++;
                        break;
                    case 8:
                        builder.ApiGatewayStage(accountId, region, "prod", tags: TagsFor(environment));
                        made++;
                        break;
                    default:
                        if (region == WorldRegions.Global && accountIndex % 10 == 0)
                            builder.CloudFrontDistribution(accountId, "origin.example.com", tags: TagsFor(environment));
                        else
                            builder.SecurityGroup(accountId, region, vpc.Id, "app-sg-copy", AppIngress, ageDays: 10);
                        made++;
                        break;
                }
                step++;
            }
        }
    }
}
