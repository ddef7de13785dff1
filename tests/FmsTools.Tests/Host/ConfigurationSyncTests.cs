using System;
using System.IO;
using System.Linq;
using FmsTools.Engine.Configuration;
using FmsTools.Sandbox;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Compare- and Sync-FmsConfiguration in a real runspace against sandboxes: the round trip of the demo organization's
    /// whole configuration into an OrganizationOnly sandbox, the plan's dependency order and name resolution, -WhatIf,
    /// a failure part-way and the run that converges, and administrators without a management connection.
    /// </summary>
    public sealed class ConfigurationSyncTests
    {
        private const string Management =
            "$management = @{ EndpointUrl = $sandbox.Endpoint; AccessKey = $sandbox.ManagementAccessKeyId; SecretKey = $sandbox.ManagementSecretAccessKey; Region = $sandbox.Region }; ";

        private static byte[][] Bytes(string folder)
            => Directory.GetFiles(folder, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();

        private static string[] Files(string folder)
            => Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).OrderBy(f => f, StringComparer.Ordinal).ToArray();

        [Fact]
        public void The_demo_configuration_synced_into_an_organization_only_sandbox_compares_equal_exports_the_same_bytes_and_syncs_to_nothing()
        {
            using var demo = new SandboxRunspace();
            demo.Run(ConfigurationAsCodeTests.Arrange).ShouldSucceed();
            demo.Run(Management + "$null = Export-FmsConfiguration -Path $dir 3>$null; $null = Export-FmsConfiguration -Path $dir -Kind AdminAccount @management").ShouldSucceed();
            var exported = Files(demo.Folder);
            foreach (var kind in new[] { "admin-accounts/", "/policies/", "/apps-lists/", "/protocols-lists/", "/resource-sets/", "/notification-channel." })
                Assert.Contains(exported, f => f.Contains(kind, StringComparison.Ordinal));

            using var fresh = new SandboxRunspace(options: () => new SandboxOptions { Demo = true, OrganizationOnly = true });
            Assert.Empty(fresh.Run("Get-FmsPolicy").ShouldSucceed().Output);
            fresh.Session.Set("source", demo.Folder);
            var sync = fresh.Run(Management + "Sync-FmsConfiguration -Path $source -ManagementConnection $management -Confirm:$false").ShouldSucceed();
            var results = sync.OutputOf<FmsConfigurationSyncResult>().ToList();
            Assert.DoesNotContain(results, r => r.Status == "Failed" || r.Status == "NotApplied");
            Assert.Contains(results, r => r.Kind == "ResourceSet" && r.Action == "Create" && r.Status == "Applied");
            // The resource set is created before the policy that names it, and the policy gets the new set's id.
            Assert.True(results.FindIndex(r => r.Name == "shared-vpcs") < results.FindIndex(r => r.Name == "scoped-import"));
            var newSetId = results.Single(r => r.Name == "shared-vpcs").Id;
            Assert.Equal(newSetId, fresh.Run("(Get-FmsPolicy -Name scoped-import -Detailed).Scope.ResourceSetIds").ShouldSucceed().Output.Single().ToString());

            var compare = fresh.Run(Management + "Compare-FmsConfiguration -Path $source -ManagementConnection $management").ShouldSucceed();
            Assert.Empty(compare.OutputOf<FmsConfigurationDifference>());
            Assert.Empty(compare.Warnings);

            fresh.Run(Management + "$null = Export-FmsConfiguration -Path $dir 3>$null; $null = Export-FmsConfiguration -Path $dir -Kind AdminAccount @management").ShouldSucceed();
            Assert.Equal(exported, Files(fresh.Folder));
            Assert.Equal(Bytes(demo.Folder), Bytes(fresh.Folder));

            var mark = fresh.Mark;
            var again = fresh.Run(Management + "Sync-FmsConfiguration -Path $source -ManagementConnection $management -DeleteMissing -Confirm:$false").ShouldSucceed();
            Assert.All(again.OutputOf<FmsConfigurationSyncResult>(), r => Assert.Equal("Unchanged", r.Status));
            Assert.Empty(fresh.MutatingSince(mark));
        }

        [Fact]
        public void Compare_names_each_field_and_WhatIf_shows_the_whole_plan_without_changing_anything()
        {
            using var env = new SandboxRunspace();
            env.Run(ConfigurationAsCodeTests.Arrange + "; $null = Export-FmsConfiguration -Path $dir 3>$null").ShouldSucceed();
            var apps = Path.Combine(env.Folder, "us-east-1", "apps-lists", "web-apps.fmsappslist.json");
            File.WriteAllText(apps, File.ReadAllText(apps).Replace("443", "8443"));
            var set = Path.Combine(env.Folder, "us-east-1", "resource-sets", "shared-vpcs.fmsresourceset.json");
            File.WriteAllText(set, File.ReadAllText(set).Replace("\"prod\"", "\"test\""));
            File.Delete(Path.Combine(env.Folder, "us-east-1", "protocols-lists", "allowed-protocols.fmsprotocolslist.json"));

            var differences = env.Run("Compare-FmsConfiguration -Path $dir").ShouldSucceed().OutputOf<FmsConfigurationDifference>().ToList();
            Assert.Equal(3, differences.Count);
            var port = differences.Single(d => d.Kind == "AppsList");
            Assert.Equal(("Changed", "web-apps", "apps[https].port", "443", "8443"), (port.Change, port.Name, port.Field, port.LiveValue, port.FolderValue));
            var tag = differences.Single(d => d.Kind == "ResourceSet");
            Assert.Equal(("Changed", "tags.env", "\"prod\"", "\"test\""), (tag.Change, tag.Field, tag.LiveValue, tag.FolderValue));
            Assert.Equal(env.Run("(Get-FmsResourceSet -Name shared-vpcs).Id").ShouldSucceed().Output.Single().ToString(), tag.Id);
            var removed = differences.Single(d => d.Kind == "ProtocolsList");
            Assert.Equal(("Removed", "allowed-protocols", ""), (removed.Change, removed.Name, removed.Field));

            var mark = env.Mark;
            var whatIf = env.Run("Sync-FmsConfiguration -Path $dir -DeleteMissing -WhatIf").ShouldSucceed();
            Assert.Empty(env.MutatingSince(mark));
            var planned = whatIf.OutputOf<FmsConfigurationSyncResult>().Where(r => r.Status == "NotApplied").ToList();
            Assert.Equal(new[] { "Update ResourceSet shared-vpcs", "Update AppsList web-apps", "Delete ProtocolsList allowed-protocols" },
                planned.Select(r => $"{r.Action} {r.Kind} {r.Name}"));
            Assert.Contains(planned, r => r.Message.Contains("apps[https].port 443 -> 8443", StringComparison.Ordinal));

            var applied = env.Run("Sync-FmsConfiguration -Path $dir -DeleteMissing -Confirm:$false").ShouldSucceed().OutputOf<FmsConfigurationSyncResult>().ToList();
            Assert.Equal(3, applied.Count(r => r.Status == "Applied"));
            Assert.Equal("8443", env.Run("(Get-FmsAppsList -Name web-apps).Apps[0].Port").ShouldSucceed().Output.Single().ToString());
            Assert.Empty(env.Run("Get-FmsProtocolsList -Name allowed-protocols").Output);
            Assert.Empty(env.Run("Compare-FmsConfiguration -Path $dir").ShouldSucceed().Output);
        }

        [Fact]
        public void A_failure_part_way_reports_what_was_applied_and_a_second_run_converges()
        {
            using var env = new SandboxRunspace();
            env.Run(ConfigurationAsCodeTests.Arrange + "; $null = Export-FmsConfiguration -Path $dir -Kind Policy, ResourceSet 3>$null").ShouldSucceed();
            var policy = Path.Combine(env.Folder, "us-east-1", "policies", "scoped-import.fmspolicy.json");
            File.WriteAllText(policy, File.ReadAllText(policy).Replace("\"shared-vpcs\"", "\"new-vpcs\""));
            File.WriteAllText(Path.Combine(env.Folder, "us-east-1", "resource-sets", "new-vpcs.fmsresourceset.json"),
                "{ \"schema\": \"fmstools.resourceset/v1\", \"name\": \"new-vpcs\", \"resourceTypes\": [ \"AWS::EC2::VPC\" ] }\n");
            // More failures than the client retries: this PutPolicy fails whatever the retry policy.
            env.Sandbox.Faults.FailNext("PutPolicy", 50, FaultKind.ServiceUnavailable);

            var first = env.Run("Sync-FmsConfiguration -Path $dir -Confirm:$false");
            var results = first.OutputOf<FmsConfigurationSyncResult>().ToList();
            Assert.Equal("Applied", results.Single(r => r.Name == "new-vpcs").Status);
            Assert.Equal("Failed", results.Single(r => r.Name == "scoped-import").Status);
            Assert.NotEmpty(first.Errors);
            Assert.Contains(first.Warnings, w => w.Contains("1 change(s) failed", StringComparison.Ordinal));

            env.Sandbox.Faults.Clear();
            var second = env.Run("Sync-FmsConfiguration -Path $dir -Confirm:$false").ShouldSucceed().OutputOf<FmsConfigurationSyncResult>().ToList();
            Assert.Equal(new[] { "Update Policy scoped-import" }, second.Where(r => r.Status != "Unchanged").Select(r => $"{r.Action} {r.Kind} {r.Name}"));
            Assert.Equal("Applied", second.Single(r => r.Name == "scoped-import").Status);
            Assert.Empty(env.Run("Compare-FmsConfiguration -Path $dir -Kind Policy, ResourceSet").ShouldSucceed().Output);
        }

        [Fact]
        public void A_policy_renamed_at_the_policy_quota_is_deleted_before_its_replacement_is_created_so_the_replacement_fits()
        {
            var options = new SandboxOptions { Demo = true };
            using var env = new SandboxRunspace(options: () => options);
            env.Run("$null = Export-FmsConfiguration -Path $dir -Kind Policy, ResourceSet").ShouldSucceed();
            // The sandbox refuses a policy beyond the ones there are now: the Region is at its quota.
            options.Quotas.PoliciesPerAdminAndRegion = Convert.ToInt32(env.Run("@(Get-FmsPolicy).Count").ShouldSucceed().Output.Single().BaseObject, System.Globalization.CultureInfo.InvariantCulture);
            var file = Directory.GetFiles(Path.Combine(env.Folder, "us-east-1", "policies")).OrderBy(f => f, StringComparer.Ordinal).First();
            var name = Path.GetFileName(file).Replace(".fmspolicy.json", "", StringComparison.Ordinal);
            File.WriteAllText(file, File.ReadAllText(file).Replace("\"name\": \"" + name + "\"", "\"name\": \"" + name + "-v2\"", StringComparison.Ordinal));

            var results = env.Run("Sync-FmsConfiguration -Path $dir -Kind Policy, ResourceSet -DeleteMissing -Confirm:$false").ShouldSucceed().OutputOf<FmsConfigurationSyncResult>().ToList();
            var changed = results.Where(r => r.Status != "Unchanged").Select(r => $"{r.Action} {r.Name} {r.Status}").ToList();
            Assert.Equal(new[] { $"Delete {name} Applied", $"Create {name}-v2 Applied" }, changed);
            Assert.Empty(env.Run("Compare-FmsConfiguration -Path $dir -Kind Policy, ResourceSet").ShouldSucceed().Output);
        }

        [Fact]
        public void Without_a_management_connection_administrators_are_reported_not_applied()
        {
            using var env = new SandboxRunspace();
            env.Run(Management + "$null = Export-FmsConfiguration -Path $dir -Kind AdminAccount @management").ShouldSucceed();
            // A second, scoped administrator (the default administrator's scope is always the whole organization).
            var file = Path.Combine(env.Folder, "admin-accounts", "310000000001.fmsadmin.json");
            File.WriteAllText(file, "{ \"schema\": \"fmstools.adminaccount/v1\", \"accountId\": \"310000000001\", \"defaultAdmin\": false, "
                + "\"scope\": { \"allAccounts\": true, \"allOrganizationalUnits\": true, \"allRegions\": false, \"regions\": [ \"us-east-1\" ], \"allPolicyTypes\": true } }\n");

            var without = env.Run("Sync-FmsConfiguration -Path $dir -Confirm:$false").ShouldSucceed();
            Assert.All(without.OutputOf<FmsConfigurationSyncResult>(), r => Assert.Equal("NotApplied", r.Status));
            Assert.Contains(without.OutputOf<FmsConfigurationSyncResult>(), r => r.Name == "310000000001");
            Assert.Contains(without.Warnings, w => w.Contains("-ManagementConnection", StringComparison.Ordinal));

            var diff = env.Run(Management + "Compare-FmsConfiguration -Path $dir -ManagementConnection $management").ShouldSucceed().OutputOf<FmsConfigurationDifference>().ToList();
            Assert.Equal(("Added", "AdminAccount", "310000000001", ""), (Assert.Single(diff).Change, diff[0].Kind, diff[0].Name, diff[0].Field));
            var with = env.Run(Management + "Sync-FmsConfiguration -Path $dir -ManagementConnection $management -Confirm:$false").ShouldSucceed();
            Assert.Equal("Create Applied", string.Join(",", with.OutputOf<FmsConfigurationSyncResult>().Where(r => r.Name == "310000000001").Select(r => r.Action + " " + r.Status)));
            Assert.Equal("us-east-1", env.Run(Management + "(Get-FmsAdminScope -AccountId 310000000001 @management).Regions").ShouldSucceed().Output.Single().ToString());
            Assert.Empty(env.Run(Management + "Compare-FmsConfiguration -Path $dir -ManagementConnection $management").ShouldSucceed().Output);
        }
    }
}
