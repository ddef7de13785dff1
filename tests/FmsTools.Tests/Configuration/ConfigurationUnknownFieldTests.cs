using System.Collections.Generic;
using System.Linq;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Configuration;
using Xunit;

namespace FmsTools.Tests.Configuration
{
    /// <summary>
    /// Fields this version does not know, nested in an app, a resource or the admin scope, are kept like top-level ones
    /// (written back byte-identical, named in a warning, not compared); the quotas on lists and resource sets for a plan.
    /// </summary>
    public sealed class ConfigurationUnknownFieldTests
    {
        private const string AppsText = "{\n  \"schema\": \"fmstools.appslist/v1\",\n  \"name\": \"web\",\n  \"apps\": [\n    {\n      \"name\": \"https\",\n      \"protocol\": \"tcp\",\n"
            + "      \"port\": 443,\n      \"Direction\": \"INBOUND\"\n    }\n  ]\n}\n";

        private const string SetText = "{\n  \"schema\": \"fmstools.resourceset/v1\",\n  \"name\": \"vpcs\",\n  \"resourceTypes\": [\n    \"AWS::EC2::VPC\"\n  ],\n  \"resources\": [\n"
            + "    \"arn:aws:ec2:us-east-1:111111111111:vpc/vpc-1\",\n    {\n      \"uri\": \"arn:aws:ec2:us-east-1:111111111111:vpc/vpc-2\",\n      \"AssociationTime\": 1700000000\n    }\n  ]\n}\n";

        private const string AdminText = "{\n  \"schema\": \"fmstools.adminaccount/v1\",\n  \"accountId\": \"333333333333\",\n  \"defaultAdmin\": false,\n  \"scope\": {\n"
            + "    \"allAccounts\": true,\n    \"excludeSpecifiedAccounts\": false,\n    \"accounts\": [],\n    \"allOrganizationalUnits\": true,\n"
            + "    \"excludeSpecifiedOrganizationalUnits\": false,\n    \"organizationalUnits\": [],\n    \"allRegions\": true,\n    \"regions\": [],\n"
            + "    \"allPolicyTypes\": true,\n    \"policyTypes\": [],\n    \"AccountScope\": {\n      \"AccountLimit\": 5\n    }\n  }\n}\n";

        private static FmsConfigurationItem Read(ConfigurationKind kind, string file, string text, List<FmsConfigurationFinding> findings)
            => ConfigurationDocuments.Read(kind, file, text, findings)!;

        [Fact]
        public void Nested_unknown_fields_are_kept_written_back_byte_identical_and_named_in_a_warning()
        {
            var findings = new List<FmsConfigurationFinding>();
            var apps = Read(ConfigurationKind.AppsList, "us-east-1/apps-lists/web.fmsappslist.json", AppsText, findings);
            var set = Read(ConfigurationKind.ResourceSet, "us-east-1/resource-sets/vpcs.fmsresourceset.json", SetText, findings);
            var admin = Read(ConfigurationKind.AdminAccount, "admin-accounts/333333333333.fmsadmin.json", AdminText, findings);

            Assert.Equal("\"INBOUND\"", apps.AppsList!.Apps[0].AdditionalFields["Direction"]!.ToJsonString());
            Assert.Equal(new[] { "arn:aws:ec2:us-east-1:111111111111:vpc/vpc-1", "arn:aws:ec2:us-east-1:111111111111:vpc/vpc-2" }, set.Resources);
            Assert.Equal("1700000000", set.ResourceAdditionalFields["arn:aws:ec2:us-east-1:111111111111:vpc/vpc-2"]["AssociationTime"]!.ToJsonString());
            Assert.Equal("{\"AccountLimit\":5}", admin.AdminAccount!.Scope!.AdditionalFields["AccountScope"]!.ToJsonString());
            Assert.Equal(new[] { "apps[0].Direction", "resources[1].AssociationTime", "scope.AccountScope" },
                findings.Select(f => f.Field));
            Assert.All(findings, f => Assert.Equal(("Warning", "Configuration.Field.Unknown"), (f.Severity, f.Rule)));
            Assert.All(findings, f => Assert.Contains("kept in the file but not applied or compared", f.Message, System.StringComparison.Ordinal));

            Assert.Equal(AppsText, ConfigurationDocuments.Write(apps));
            Assert.Equal(SetText, ConfigurationDocuments.Write(set));
            Assert.Equal(AdminText, ConfigurationDocuments.Write(admin));
        }

        [Fact]
        public void Nested_unknown_fields_are_not_compared_but_a_known_field_next_to_them_is()
        {
            var findings = new List<FmsConfigurationFinding>();
            var apps = Read(ConfigurationKind.AppsList, "us-east-1/apps-lists/web.fmsappslist.json", AppsText, findings);
            apps.Region = "us-east-1";
            var live = new FmsConfigurationItem
            {
                KindValue = ConfigurationKind.AppsList, Region = "us-east-1", Name = "web",
                AppsList = new FmsAppsList { Name = "web", Apps = new List<FmsApp> { new FmsApp("https", "tcp", 443) } },
            };
            live.AppsList.Apps[0].AdditionalFields["Direction"] = System.Text.Json.Nodes.JsonValue.Create("OUTBOUND");
            Assert.Empty(ConfigurationComparer.Compare(new[] { apps }, new[] { live }));

            live.AppsList.Apps[0].Port = 8443;
            var difference = Assert.Single(ConfigurationComparer.Compare(new[] { apps }, new[] { live }));
            Assert.Equal(("apps[https].port", "8443", "443"), (difference.Field, difference.LiveValue, difference.FolderValue));

            var set = Read(ConfigurationKind.ResourceSet, "us-east-1/resource-sets/vpcs.fmsresourceset.json", SetText, findings);
            set.Region = "us-east-1";
            var liveSet = new FmsConfigurationItem
            {
                KindValue = ConfigurationKind.ResourceSet, Region = "us-east-1", Name = "vpcs", ResourceSet = new FmsResourceSet { Name = "vpcs", ResourceTypes = new List<string> { "AWS::EC2::VPC" } },
                Resources = set.Resources.ToList(),
            };
            Assert.Empty(ConfigurationComparer.Compare(new[] { set }, new[] { liveSet }));
        }

        private static FmsConfigurationItem List(string name, bool inFolder) => new FmsConfigurationItem
        {
            KindValue = ConfigurationKind.ProtocolsList, Region = "us-east-1", Name = name, File = inFolder ? $"us-east-1/protocols-lists/{name}.fmsprotocolslist.json" : "",
            ProtocolsList = new FmsProtocolsList { Name = name, Protocols = new List<string> { "tcp" } },
        };

        [Fact]
        public void The_list_quota_counts_the_live_lists_plus_the_creates_and_names_the_files_the_deletes_do_not_make_room()
        {
            var quotas = new ConfigurationQuotas { ProtocolsLists = 3 };
            var live = new[] { List("a", false), List("b", false) };
            var desired = new[] { List("a", true), List("c", true) };
            Assert.Empty(quotas.Check(ConfigurationSyncPlan.Create(desired, live, deleteMissing: false, adminsApplicable: true), live));

            var over = new[] { List("a", true), List("c", true), List("d", true) };
            var violation = Assert.Single(quotas.Check(ConfigurationSyncPlan.Create(over, live, deleteMissing: true, adminsApplicable: true), live));
            Assert.Equal(("Configuration.Quota.ProtocolsList", 2, 2, 1, 3), (violation.Rule, violation.Live, violation.Creates, violation.Deletes, violation.Limit));
            Assert.Equal(new[] { "us-east-1/protocols-lists/c.fmsprotocolslist.json ('c')", "us-east-1/protocols-lists/d.fmsprotocolslist.json ('d')" }, violation.Created);
            Assert.Contains("4 would exceed the limit of 3 custom protocols lists", violation.Message, System.StringComparison.Ordinal);
            Assert.Contains("do not make room", violation.Message, System.StringComparison.Ordinal);
            Assert.Contains("afterwards 3 fit", violation.Message, System.StringComparison.Ordinal);
        }

        private static FmsConfigurationItem Admin(string accountId, bool inFolder) => new FmsConfigurationItem
        {
            KindValue = ConfigurationKind.AdminAccount, Name = accountId, File = inFolder ? $"admin-accounts/{accountId}.fmsadmin.json" : "",
            AdminAccount = new FmsAdminAccount { AccountId = accountId },
        };

        [Fact]
        public void The_administrator_quota_counts_the_organization_and_only_when_the_plan_applies_administrators()
        {
            var quotas = new ConfigurationQuotas { Administrators = 2 };
            var live = new[] { Admin("111111111111", false) };
            var desired = new[] { Admin("111111111111", true), Admin("222222222222", true), Admin("333333333333", true) };

            var violation = Assert.Single(quotas.Check(ConfigurationSyncPlan.Create(desired, live, deleteMissing: false, adminsApplicable: true), live));
            Assert.Equal(("Configuration.Quota.AdminAccount", 1, 2, 2), (violation.Rule, violation.Live, violation.Creates, violation.Limit));
            Assert.Equal(new[] { "admin-accounts/222222222222.fmsadmin.json ('222222222222')", "admin-accounts/333333333333.fmsadmin.json ('333333333333')" }, violation.Created);
            Assert.StartsWith("The organization has 1 Firewall Manager administrators", violation.Message, System.StringComparison.Ordinal);
            Assert.Contains("3 would exceed the limit of 2 Firewall Manager administrators per organization", violation.Message, System.StringComparison.Ordinal);

            // Without a management connection the administrators are neither read nor applied: nothing to count.
            Assert.Empty(quotas.Check(ConfigurationSyncPlan.Create(desired, new FmsConfigurationItem[0], deleteMissing: false, adminsApplicable: false), new FmsConfigurationItem[0]));
            Assert.Empty(quotas.Check(ConfigurationSyncPlan.Create(desired.Take(2).ToArray(), live, deleteMissing: false, adminsApplicable: true), live));
        }
    }
}
