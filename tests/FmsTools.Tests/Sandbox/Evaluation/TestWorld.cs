using System;
using System.Collections.Generic;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.World;

namespace FmsTools.Tests.Sandbox.Evaluation
{
    /// <summary>
    /// A small hand-built organization: admin (root), A1 in OU-A, A2 in OU-A-child (nested in OU-A), B1 in OU-B.
    /// Each member gets a VPC in us-east-1 with two subnets in zones a and b; tests add what they need.
    /// </summary>
    internal sealed class TestWorld
    {
        public const string Region = "us-east-1";
        public const string Admin = "100000000001";
        public const string A1 = "200000000001";
        public const string A2 = "200000000002";
        public const string B1 = "300000000001";
        public const string OuA = "ou-test-aaaaaaaa";
        public const string OuAChild = "ou-test-aaaachld";
        public const string OuB = "ou-test-bbbbbbbb";
        public static readonly DateTime Now = new DateTime(2024, 6, 1, 12, 0, 0, DateTimeKind.Utc);

        public readonly World World = new World();
        public readonly WorldBuilder Build;
        public readonly Dictionary<string, Vpc> Vpcs = new Dictionary<string, Vpc>();
        public readonly Dictionary<string, Subnet[]> Subnets = new Dictionary<string, Subnet[]>();

        public TestWorld()
        {
            Build = new WorldBuilder(World, new WorldIds(99), Now);
            var org = World.Organization;
            org.Id = "o-testtest01";
            org.RootId = "r-test";
            org.ManagementAccountId = Admin;
            org.FmsAdministratorAccountId = Admin;
            org.OrganizationalUnits.Add(new OrganizationalUnit { Id = OuA, Name = "A", ParentId = "r-test" });
            org.OrganizationalUnits.Add(new OrganizationalUnit { Id = OuAChild, Name = "A-child", ParentId = OuA });
            org.OrganizationalUnits.Add(new OrganizationalUnit { Id = OuB, Name = "B", ParentId = "r-test" });
            org.Accounts.Add(new Account { Id = Admin, Name = "admin", ParentId = "r-test" });
            org.Accounts.Add(new Account { Id = A1, Name = "a1", ParentId = OuA });
            org.Accounts.Add(new Account { Id = A2, Name = "a2", ParentId = OuAChild });
            org.Accounts.Add(new Account { Id = B1, Name = "b1", ParentId = OuB });
            World.InvalidateIndexes();
            World.ManagedRuleGroups.AddRange(ManagedRuleGroupCatalogue.Create());
            var n = 1;
            foreach (var account in new[] { Admin, A1, A2, B1 })
            {
                var vpc = Build.Vpc(account, Region, "10." + n + ".0.0/16", "vpc-" + account);
                Vpcs[account] = vpc;
                Subnets[account] = new[] { Build.Subnet(vpc, "a", "10." + n + ".1.0/24", "a"), Build.Subnet(vpc, "b", "10." + n + ".2.0/24", "b") };
                n++;
            }
        }

        public static Policy Policy(string type, string managedServiceData, string resourceType, List<string>? resourceTypeList = null, bool remediation = true)
        {
            return new Policy
            {
                PolicyId = "test0000-0000-4000-8000-" + Math.Abs((type + managedServiceData).GetHashCode()).ToString("D12").Substring(0, 12),
                PolicyName = "test-" + type.ToLowerInvariant(),
                SecurityServicePolicyData = new SecurityServicePolicyData { Type = type, ManagedServiceData = managedServiceData },
                ResourceType = resourceType,
                ResourceTypeList = resourceTypeList ?? new List<string>(),
                ResourceTags = new List<ResourceTag>(),
                ExcludeResourceTags = false,
                RemediationEnabled = remediation,
            };
        }

        public static Dictionary<string, List<string>> Map(string key, params string[] ids) => new Dictionary<string, List<string>> { [key] = new List<string>(ids) };
    }
}
