using System.Collections.Generic;
using System.Linq;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Configuration;
using FmsTools.Engine.Policies;
using FmsTools.Tests.Policies;
using Xunit;

namespace FmsTools.Tests.Configuration
{
    /// <summary>ConfigurationComparer and ConfigurationSyncPlan without AWS: field-level differences per kind and the apply order.</summary>
    public sealed class ConfigurationComparerTests
    {
        private static FmsConfigurationItem Set(string name, string? id, params string[] resources) => new FmsConfigurationItem
        {
            KindValue = ConfigurationKind.ResourceSet, Region = "us-east-1", Name = name, Id = id,
            ResourceSet = new FmsResourceSet { Name = name, ResourceTypes = new List<string> { "AWS::EC2::VPC" } }, Resources = resources.ToList(),
            Deployed = id == null ? null : new FmsResourceSet { Id = id, Name = name },
        };

        private static FmsConfigurationItem Apps(string name, params FmsApp[] apps) => new FmsConfigurationItem
        {
            KindValue = ConfigurationKind.AppsList, Region = "us-east-1", Name = name, AppsList = new FmsAppsList { Name = name, Apps = apps.ToList() },
        };

        private static FmsConfigurationItem Policy(string name, bool live, params string[] sets)
        {
            var policy = PolicySamples.Get("ImportNetworkFirewall");
            policy.Name = name;
            policy.Region = "us-east-1";
            if (!live) policy.PolicyId = null;
            return new FmsConfigurationItem
            {
                KindValue = ConfigurationKind.Policy, Region = "us-east-1", Name = name, Policy = policy, ResourceSetNames = sets.ToList(),
                Id = live ? policy.PolicyId : null, Deployed = live ? policy : null,
            };
        }

        [Fact]
        public void Resources_are_a_set_apps_are_keyed_by_name_and_an_object_on_one_side_is_one_whole_difference()
        {
            var folder = new[] { Set("vpcs", null, "arn:b", "arn:a"), Apps("web", new FmsApp("https", "tcp", 8443), new FmsApp("dns", "udp", 53)), Set("new", null) };
            var live = new[] { Set("vpcs", "id1", "arn:a", "arn:c"), Apps("web", new FmsApp("dns", "udp", 53), new FmsApp("https", "tcp", 443)), Apps("old") };

            var differences = ConfigurationComparer.Compare(folder, live).Select(d => d.ToString()).ToList();

            Assert.Equal(new[]
            {
                "- AppsList 'old' (us-east-1): 0 apps",
                "~ AppsList 'web' (us-east-1) apps[https].port: 443 -> 8443",
                "+ ResourceSet 'new' (us-east-1): 0 resources; AWS::EC2::VPC",
                "+ ResourceSet 'vpcs' (us-east-1) resources: \"arn:b\"",
                "- ResourceSet 'vpcs' (us-east-1) resources: \"arn:c\"",
            }, differences);
            Assert.Equal("id1", ConfigurationComparer.Compare(folder, live).First(d => d.Name == "vpcs").Id);
        }

        [Fact]
        public void Policies_compare_their_resource_sets_by_name_and_the_plan_puts_sets_first_and_resolves_names_at_apply_time()
        {
            var folder = new List<FmsConfigurationItem> { Policy("import", false, "new-set"), Set("new-set", null, "arn:a") };
            var live = new List<FmsConfigurationItem> { Policy("import", true, "old-set"), Set("old-set", "id-old") };

            var policyDiff = ConfigurationComparer.Compare(folder, live).Where(d => d.Kind == "Policy").Select(d => d.ToString()).ToList();
            Assert.Equal(new[]
            {
                "+ Policy 'import' (us-east-1) Scope.ResourceSetIds: \"new-set\"",
                "- Policy 'import' (us-east-1) Scope.ResourceSetIds: \"old-set\"",
            }, policyDiff);

            var plan = ConfigurationSyncPlan.Create(folder, live, deleteMissing: true, adminsApplicable: false);
            Assert.Equal(new[] { "Create ResourceSet 'new-set' (us-east-1)", "Update Policy 'import' (us-east-1)", "Delete ResourceSet 'old-set' (us-east-1)" },
                plan.Steps.Select(s => s.ToString()));
            var update = plan.Steps[1];
            var put = ConfigurationSyncPlan.PolicyToPut(update, new Dictionary<string, string> { ["new-set"] = "abcdefghijklmnopqrstuv" });
            Assert.Equal(new[] { "abcdefghijklmnopqrstuv" }, put.Scope!.ResourceSetIds);
            Assert.Equal(((FmsPolicy)live[0].Deployed!).PolicyId, put.PolicyId);
            Assert.Equal(((FmsPolicy)live[0].Deployed!).UpdateToken, put.UpdateToken);
            Assert.Throws<FmsTools.Engine.Diagnostics.FmsInputException>(() => ConfigurationSyncPlan.PolicyToPut(update, new Dictionary<string, string>()));
        }

        [Fact]
        public void A_field_this_version_does_not_know_is_kept_written_back_and_not_compared()
        {
            const string text = "{\n  \"schema\": \"fmstools.protocolslist/v1\",\n  \"name\": \"p\",\n  \"protocols\": [\n    \"tcp\"\n  ],\n  \"zFutureField\": {\n    \"a\": 1\n  }\n}\n";
            var findings = new List<FmsConfigurationFinding>();
            var item = ConfigurationDocuments.Read(ConfigurationKind.ProtocolsList, "us-east-1/protocols-lists/p.fmsprotocolslist.json", text, findings)!;
            Assert.Equal("{\"a\":1}", item.AdditionalFields["zFutureField"]!.ToJsonString());
            Assert.Contains(findings, f => f.Severity == "Warning" && f.Field == "zFutureField" && f.Message.Contains("kept", System.StringComparison.Ordinal));
            Assert.Equal(text, ConfigurationDocuments.Write(item));

            item.Region = "us-east-1";
            var live = new FmsConfigurationItem
            {
                KindValue = ConfigurationKind.ProtocolsList, Region = "us-east-1", Name = "p", ProtocolsList = new FmsProtocolsList { Name = "p", Protocols = new List<string> { "tcp" } },
            };
            Assert.Empty(ConfigurationComparer.Compare(new[] { item }, new[] { live }));
        }

        [Fact]
        public void Without_DeleteMissing_live_objects_without_a_file_are_left_alone_and_an_equal_object_is_unchanged()
        {
            var plan = ConfigurationSyncPlan.Create(new[] { Apps("web", new FmsApp("https", "tcp", 443)) },
                new[] { Apps("web", new FmsApp("https", "tcp", 443)), Apps("other") }, deleteMissing: false, adminsApplicable: true);
            Assert.Equal(new[] { "Unchanged AppsList 'web' (us-east-1)" }, plan.Steps.Select(s => s.ToString()));
            Assert.False(plan.HasChanges);
        }
    }
}
