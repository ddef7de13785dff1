using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Configuration;
using FmsTools.Tests.Policies;
using Xunit;

namespace FmsTools.Tests.Configuration
{
    /// <summary>The configuration folder without AWS: layout, file text, reading back, and the offline checks.</summary>
    public sealed class ConfigurationFolderTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "fmstools-config-tests", Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
        }

        private static List<FmsConfigurationItem> Sample()
        {
            var policy = PolicySamples.Get("DnsFirewall");
            policy.PolicyId = null;
            return new List<FmsConfigurationItem>
            {
                new FmsConfigurationItem
                {
                    KindValue = ConfigurationKind.AppsList, Region = "us-east-1", Name = "web apps",
                    AppsList = new FmsAppsList { Name = "web apps", Apps = new List<FmsApp> { new FmsApp("https", "tcp", 443) } },
                    Tags = new Dictionary<string, string> { ["team"] = "net" },
                },
                new FmsConfigurationItem
                {
                    KindValue = ConfigurationKind.ProtocolsList, Region = "eu-west-1", Name = "protocols",
                    ProtocolsList = new FmsProtocolsList { Name = "protocols", Protocols = new List<string> { "tcp", "udp" } },
                },
                new FmsConfigurationItem
                {
                    KindValue = ConfigurationKind.ResourceSet, Region = "us-east-1", Name = "vpcs",
                    ResourceSet = new FmsResourceSet { Name = "vpcs", Description = "shared", ResourceTypes = new List<string> { "AWS::EC2::VPC" } },
                    Resources = new List<string> { "arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcdef0" },
                },
                new FmsConfigurationItem
                {
                    KindValue = ConfigurationKind.NotificationChannel, Region = "us-east-1", Name = "us-east-1",
                    NotificationChannel = new FmsNotificationChannel { SnsTopicArn = "arn:aws:sns:us-east-1:222222222222:fms-alerts", SnsRoleName = "arn:aws:iam::222222222222:role/fms-sns" },
                },
                new FmsConfigurationItem
                {
                    KindValue = ConfigurationKind.AdminAccount, Name = "333333333333",
                    AdminAccount = new FmsAdminAccount
                    {
                        AccountId = "333333333333",
                        Scope = new FmsAdminScope { AllRegions = false, Regions = new List<string> { "us-east-1" }, AllPolicyTypes = false, PolicyTypes = new List<string> { "WAFV2" } },
                    },
                },
                new FmsConfigurationItem
                {
                    KindValue = ConfigurationKind.Policy, Region = "us-east-1", Name = policy.Name, Policy = policy, ResourceSetNames = new List<string> { "vpcs" },
                },
            };
        }

        private List<FmsConfigurationItem> WriteAll(IEnumerable<FmsConfigurationItem> items)
        {
            var plan = ConfigurationFolder.Plan(_folder, items);
            foreach (var (_, path, text) in plan) ConfigurationFolder.WriteFile(path, text);
            return plan.Select(p => p.Item).ToList();
        }

        private Dictionary<string, string> Files() => Directory.GetFiles(_folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(_folder, f).Replace('\\', '/'), File.ReadAllText);

        [Fact]
        public void Each_object_gets_one_file_in_the_documented_layout()
        {
            var items = WriteAll(Sample());
            var policyName = items.Single(i => i.KindValue == ConfigurationKind.Policy).Name;
            Assert.Equal(new[]
            {
                "admin-accounts/333333333333.fmsadmin.json",
                "eu-west-1/protocols-lists/protocols.fmsprotocolslist.json",
                "us-east-1/apps-lists/web-apps.fmsappslist.json",
                "us-east-1/notification-channel.fmschannel.json",
                "us-east-1/policies/" + policyName + ".fmspolicy.json",
                "us-east-1/resource-sets/vpcs.fmsresourceset.json",
            }, Files().Keys.OrderBy(k => k, StringComparer.Ordinal));
        }

        [Fact]
        public void Reading_the_folder_and_writing_it_again_gives_the_same_bytes_and_the_same_objects()
        {
            WriteAll(Sample());
            var before = Files();
            var read = ConfigurationFolder.Read(_folder);
            Assert.Empty(read.Findings);
            Assert.Empty(ConfigurationValidator.Validate(read.Items));
            Assert.Equal(6, read.Items.Count);

            var apps = read.Items.Single(i => i.KindValue == ConfigurationKind.AppsList);
            Assert.Equal("web apps", apps.Name);
            Assert.Equal("us-east-1", apps.AppsList!.Region);
            Assert.Equal("https (tcp/443)", Assert.Single(apps.AppsList.Apps).ToString());
            Assert.Equal("net", apps.Tags["team"]);
            var admin = read.Items.Single(i => i.KindValue == ConfigurationKind.AdminAccount);
            Assert.Null(admin.Region);
            Assert.Equal(new[] { "WAFV2" }, admin.AdminAccount!.Scope!.PolicyTypes);
            Assert.False(admin.AdminAccount.Scope.AllRegions);
            var policy = read.Items.Single(i => i.KindValue == ConfigurationKind.Policy);
            Assert.Equal(new[] { "vpcs" }, policy.ResourceSetNames);
            Assert.Empty(policy.Policy!.Scope!.ResourceSetIds);

            Directory.Delete(_folder, true);
            WriteAll(read.Items);
            Assert.Equal(before, Files());
        }

        [Fact]
        public void Two_names_that_reduce_to_the_same_file_name_get_different_files()
        {
            var items = WriteAll(new[] { "a/b", "a b" }.Select(n => new FmsConfigurationItem
            {
                KindValue = ConfigurationKind.ProtocolsList, Region = "us-east-1", Name = n, ProtocolsList = new FmsProtocolsList { Name = n, Protocols = new List<string> { "tcp" } },
            }));
            Assert.Equal(new[] { "us-east-1/protocols-lists/a-b.fmsprotocolslist.json", "us-east-1/protocols-lists/a-b-2.fmsprotocolslist.json" }, items.Select(i => i.File));
        }

        [Fact]
        public void A_policy_naming_a_resource_set_that_is_not_in_its_Region_is_an_error_naming_file_object_and_field()
        {
            var items = Sample();
            items.Single(i => i.KindValue == ConfigurationKind.ResourceSet).Region = "eu-west-1";
            WriteAll(items);
            var read = ConfigurationFolder.Read(_folder);
            var finding = Assert.Single(ConfigurationValidator.Validate(read.Items));
            var policy = read.Items.Single(i => i.KindValue == ConfigurationKind.Policy);
            Assert.Equal(policy.File, finding.File);
            Assert.Equal("Policy", finding.Kind);
            Assert.Equal(policy.Name, finding.Object);
            Assert.Equal("scope.resourceSetIds[0]", finding.Field);
            Assert.Equal("Configuration.Reference.ResourceSet", finding.Rule);
            Assert.Equal("Error", finding.Severity);
        }

        [Theory]
        [InlineData("{\"schema\":\"fmstools.appslist/v1\",\"name\":\"x\",\"apps\":[{\"name\":\"a\",\"protocol\":\"tcp\",\"port\":\"443\"}]}", "apps[0].port", "Configuration.Field.Type")]
        [InlineData("{\"schema\":\"fmstools.appslist/v1\",\"apps\":[]}", "name", "Configuration.Field.Required")]
        [InlineData("{\"schema\":\"fmstools.protocolslist/v1\",\"name\":\"x\",\"apps\":[]}", "schema", "Configuration.Schema")]
        [InlineData("{\"name\":", "", "Configuration.File.Json")]
        public void A_broken_apps_list_file_is_an_error_naming_the_field(string content, string field, string rule)
        {
            Directory.CreateDirectory(Path.Combine(_folder, "us-east-1", "apps-lists"));
            File.WriteAllText(Path.Combine(_folder, "us-east-1", "apps-lists", "x.fmsappslist.json"), content);
            var read = ConfigurationFolder.Read(_folder);
            Assert.Empty(read.Items);
            var finding = Assert.Single(read.Findings, f => f.Severity == "Error");
            Assert.Equal("us-east-1/apps-lists/x.fmsappslist.json", finding.File);
            Assert.Equal(field, finding.Field);
            Assert.Equal(rule, finding.Rule);
        }

        [Fact]
        public void Values_FMS_would_refuse_are_errors_in_file_spelling_and_unknown_fields_and_folders_are_warnings()
        {
            var items = Sample();
            items.Single(i => i.KindValue == ConfigurationKind.AppsList).AppsList!.Apps[0].Port = 70000;
            items.Single(i => i.KindValue == ConfigurationKind.AdminAccount).AdminAccount!.Scope!.PolicyTypes[0] = "NOT_A_TYPE";
            WriteAll(items);
            Directory.CreateDirectory(Path.Combine(_folder, "scratch"));
            var list = Path.Combine(_folder, "eu-west-1", "protocols-lists", "protocols.fmsprotocolslist.json");
            File.WriteAllText(list, File.ReadAllText(list).Replace("\"name\"", "\"colour\": \"red\", \"name\""));

            var read = ConfigurationFolder.Read(_folder);
            Assert.Contains(read.Findings, f => f.Severity == "Warning" && f.File == "scratch" && f.Rule == "Configuration.Layout.Unknown");
            Assert.Contains(read.Findings, f => f.Severity == "Warning" && f.Field == "colour" && f.Rule == "Configuration.Field.Unknown");
            var errors = ConfigurationValidator.Validate(read.Items);
            Assert.Contains(errors, f => f.File == "us-east-1/apps-lists/web-apps.fmsappslist.json" && f.Field == "apps[0].port");
            Assert.Contains(errors, f => f.File == "admin-accounts/333333333333.fmsadmin.json" && f.Field == "scope.policyTypes[0]");
        }

        [Fact]
        public void Two_files_naming_the_same_object_are_an_error_on_the_second()
        {
            var items = Sample();
            WriteAll(items);
            File.Copy(Path.Combine(_folder, "us-east-1", "resource-sets", "vpcs.fmsresourceset.json"), Path.Combine(_folder, "us-east-1", "resource-sets", "vpcs-copy.fmsresourceset.json"));
            var findings = ConfigurationValidator.Validate(ConfigurationFolder.Read(_folder).Items);
            var finding = Assert.Single(findings);
            Assert.Equal("us-east-1/resource-sets/vpcs.fmsresourceset.json", finding.File);
            Assert.Equal("Configuration.Name.Duplicate", finding.Rule);
            Assert.Contains("vpcs-copy.fmsresourceset.json", finding.Message);
        }

        [Fact]
        public void Stale_files_are_those_of_exported_kinds_and_Regions_that_no_object_owns()
        {
            var plan = ConfigurationFolder.Plan(_folder, Sample());
            foreach (var (_, path, text) in plan) ConfigurationFolder.WriteFile(path, text);
            var kept = plan.Where(p => p.Item.KindValue != ConfigurationKind.ResourceSet).Select(p => p.Path).ToList();
            var stale = ConfigurationFolder.StaleFiles(_folder, new[] { "us-east-1" }, new[] { ConfigurationKind.ResourceSet, ConfigurationKind.ProtocolsList }, kept);
            Assert.Equal(new[] { Path.Combine(_folder, "us-east-1", "resource-sets", "vpcs.fmsresourceset.json") }, stale);
        }
    }
}
