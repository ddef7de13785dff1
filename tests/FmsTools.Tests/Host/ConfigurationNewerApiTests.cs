using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using FmsTools.Engine.Configuration;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Sandbox;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Configuration as code against a sandbox that plays a newer Firewall Manager API (its answers carry members this
    /// version's model does not know, at the top of an object and nested in it), and the sync quota checks for lists and
    /// resource sets that run for the whole plan before the first change.
    /// </summary>
    public sealed class ConfigurationNewerApiTests
    {
        private const string Management =
            "$management = @{ EndpointUrl = $sandbox.Endpoint; AccessKey = $sandbox.ManagementAccessKeyId; SecretKey = $sandbox.ManagementSecretAccessKey; Region = $sandbox.Region }; ";

        private static void Answer(SandboxHost sandbox, string operation, string path, string name, string json)
            => sandbox.AnswerFields.Add(new AnswerField { Operation = operation, Path = path, Name = name, Value = JsonNode.Parse(json) });

        private static JsonObject Json(string folder, string file) => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, file)))!;

        [Fact]
        public void Members_of_a_newer_API_top_level_and_nested_are_exported_compare_equal_and_a_sync_converges()
        {
            using var env = new SandboxRunspace();
            env.Run(ConfigurationAsCodeTests.Arrange).ShouldSucceed();
            var sandbox = env.Sandbox;
            Answer(sandbox, "GetAppsList", "AppsList", "ListDescription", "\"from a newer API\"");
            Answer(sandbox, "GetAppsList", "AppsList.AppsList[*]", "Direction", "\"INBOUND\"");
            Answer(sandbox, "GetProtocolsList", "ProtocolsList", "ListDescription", "\"protocols\"");
            Answer(sandbox, "GetResourceSet", "ResourceSet", "OwnerTeam", "{\"name\":\"net\"}");
            Answer(sandbox, "ListResourceSetResources", "Items[*]", "AssociationTime", "1700000000");
            Answer(sandbox, "GetNotificationChannel", "", "SnsKmsKeyArn", "\"arn:aws:kms:us-east-1:222222222222:key/k\"");
            Answer(sandbox, "ListAdminAccountsForOrganization", "AdminAccounts[*]", "Delegated", "true");
            Answer(sandbox, "GetAdminScope", "AdminScope", "ResourceScope", "{\"AllResources\":true}");
            Answer(sandbox, "GetAdminScope", "AdminScope.AccountScope", "AccountLimit", "5");

            env.Run(Management + "$null = Export-FmsConfiguration -Path $dir 3>$null; $null = Export-FmsConfiguration -Path $dir -Kind AdminAccount @management").ShouldSucceed();
            var apps = Json(env.Folder, "us-east-1/apps-lists/web-apps.fmsappslist.json");
            Assert.Equal("from a newer API", (string?)apps["ListDescription"]);
            Assert.All(apps["apps"]!.AsArray(), a => Assert.Equal("INBOUND", (string?)a!["Direction"]));
            Assert.Equal("protocols", (string?)Json(env.Folder, "us-east-1/protocols-lists/allowed-protocols.fmsprotocolslist.json")["ListDescription"]);
            var set = Json(env.Folder, "us-east-1/resource-sets/shared-vpcs.fmsresourceset.json");
            Assert.Equal("net", (string?)set["OwnerTeam"]!["name"]);
            Assert.Equal(1700000000, (long)set["resources"]![0]!["AssociationTime"]!);
            Assert.StartsWith("arn:aws:ec2:", (string?)set["resources"]![0]!["uri"], StringComparison.Ordinal);
            Assert.Equal("arn:aws:kms:us-east-1:222222222222:key/k", (string?)Json(env.Folder, "us-east-1/notification-channel.fmschannel.json")["SnsKmsKeyArn"]);
            var admin = Json(env.Folder, Directory.GetFiles(Path.Combine(env.Folder, "admin-accounts")).Select(f => Path.GetRelativePath(env.Folder, f)).First());
            Assert.True((bool)admin["Delegated"]!);
            Assert.True((bool)admin["scope"]!["ResourceScope"]!["AllResources"]!);
            Assert.Equal(5, (int)admin["scope"]!["AccountScope"]!["AccountLimit"]!);

            // The files read back with the kept fields named as warnings; no difference, nothing to sync, the same bytes again.
            var import = env.Run("Import-FmsConfiguration -Path $dir").ShouldSucceed();
            Assert.Contains(import.Warnings, w => w.Contains("apps[0].Direction", StringComparison.Ordinal) && w.Contains("kept", StringComparison.Ordinal));
            Assert.Empty(env.Run(Management + "Compare-FmsConfiguration -Path $dir -ManagementConnection $management 3>$null").ShouldSucceed().Output);
            var mark = env.Mark;
            var sync = env.Run(Management + "Sync-FmsConfiguration -Path $dir -ManagementConnection $management -DeleteMissing -Confirm:$false 3>$null").ShouldSucceed();
            Assert.All(sync.OutputOf<FmsConfigurationSyncResult>(), r => Assert.Equal("Unchanged", r.Status));
            Assert.Empty(env.MutatingSince(mark));
            var again = env.Run(Management + "Export-FmsConfiguration -Path $dir -Force 3>$null; Export-FmsConfiguration -Path $dir -Kind AdminAccount -Force @management 3>$null").ShouldSucceed();
            Assert.All(again.OutputOf<FmsConfigurationFile>(), f => Assert.Equal("Unchanged", f.Status));

            // A known field changed next to the kept ones: the sync applies it (the kept fields are not sent) and converges.
            var appsFile = Path.Combine(env.Folder, "us-east-1", "apps-lists", "web-apps.fmsappslist.json");
            File.WriteAllText(appsFile, File.ReadAllText(appsFile).Replace("443", "8443"));
            var diff = env.Run("Compare-FmsConfiguration -Path $dir -Kind AppsList 3>$null").ShouldSucceed().OutputOf<FmsConfigurationDifference>().ToList();
            Assert.Equal("apps[https].port", Assert.Single(diff).Field);
            var applied = env.Run("Sync-FmsConfiguration -Path $dir -Kind AppsList -Confirm:$false 3>$null").ShouldSucceed().OutputOf<FmsConfigurationSyncResult>().ToList();
            Assert.Equal("Update Applied", string.Join(",", applied.Where(r => r.Name == "web-apps").Select(r => r.Action + " " + r.Status)));
            Assert.Empty(env.Run("Compare-FmsConfiguration -Path $dir -Kind AppsList 3>$null").ShouldSucceed().Output);
            mark = env.Mark;
            Assert.All(env.Run("Sync-FmsConfiguration -Path $dir -Kind AppsList -Confirm:$false 3>$null").ShouldSucceed().OutputOf<FmsConfigurationSyncResult>(),
                r => Assert.Equal("Unchanged", r.Status));
            Assert.Empty(env.MutatingSince(mark));
        }

        [Fact]
        public void Top_level_members_of_a_newer_API_policy_are_exported_read_back_never_compared_and_a_sync_converges()
        {
            using var env = new SandboxRunspace();
            Answer(env.Sandbox, "GetPolicy", "Policy", "PolicyUpdateMode", "\"GRADUAL\"");
            Answer(env.Sandbox, "GetPolicy", "Policy", "ComplianceHistory", "{\"days\":30,\"enabled\":true}");

            // Export-FmsPolicy: the file has the members; Compare and Sync see no difference and change nothing.
            env.Run("$null = Get-FmsPolicy -Name demo-waf-baseline | Export-FmsPolicy -Path $dir").ShouldSucceed();
            var file = Assert.Single(Directory.GetFiles(env.Folder, "*.fmspolicy.json"));
            var json = (JsonObject)JsonNode.Parse(File.ReadAllText(file))!;
            Assert.Equal("GRADUAL", (string?)json["PolicyUpdateMode"]);
            Assert.Equal(30, (int)json["ComplianceHistory"]!["days"]!);
            Assert.Equal("demo-waf-baseline", (string?)json["name"]);
            var compare = env.Run("Import-FmsPolicy -Path $dir | Compare-FmsPolicy -Summary").ShouldSucceed().OutputOf<FmsPolicyComparison>();
            Assert.Equal("Equal", Assert.Single(compare).Status);
            Assert.Empty(env.Run("Import-FmsPolicy -Path $dir | Compare-FmsPolicy").ShouldSucceed().Output);
            var mark = env.Mark;
            var sync = env.Run("Sync-FmsPolicy -Path $dir -Confirm:$false").ShouldSucceed().OutputOf<PolicySyncResult>();
            Assert.Equal("Unchanged", Assert.Single(sync).Status);
            Assert.Empty(env.MutatingSince(mark));
            var bytes = File.ReadAllBytes(file);
            env.Run("$null = Get-FmsPolicy -Name demo-waf-baseline | Export-FmsPolicy -Path $dir -Force").ShouldSucceed();
            Assert.Equal(bytes, File.ReadAllBytes(file));

            // Export-FmsConfiguration writes the same members into its policy files; Compare-/Sync-FmsConfiguration ignore them.
            env.Run("$cfg = Join-Path $dir cfg; $null = Export-FmsConfiguration -Path $cfg -Kind Policy").ShouldSucceed();
            var policy = Json(Path.Combine(env.Folder, "cfg"), "us-east-1/policies/demo-waf-baseline.fmspolicy.json");
            Assert.Equal("GRADUAL", (string?)policy["PolicyUpdateMode"]);
            Assert.True((bool)policy["ComplianceHistory"]!["enabled"]!);
            Assert.Empty(env.Run("Compare-FmsConfiguration -Path $cfg -Kind Policy 3>$null").ShouldSucceed().Output);
            mark = env.Mark;
            var converged = env.Run("Sync-FmsConfiguration -Path $cfg -Kind Policy -Confirm:$false 3>$null").ShouldSucceed().OutputOf<FmsConfigurationSyncResult>().ToList();
            Assert.NotEmpty(converged);
            Assert.All(converged, r => Assert.Equal("Unchanged", r.Status));
            Assert.Empty(env.MutatingSince(mark));
            var again = env.Run("Export-FmsConfiguration -Path $cfg -Kind Policy -Force 3>$null").ShouldSucceed().OutputOf<FmsConfigurationFile>().ToList();
            Assert.NotEmpty(again);
            Assert.All(again, f => Assert.Equal("Unchanged", f.Status));
        }

        [Fact]
        public void Export_writes_what_the_service_returns_a_field_only_the_file_had_is_not_kept_by_an_overwrite()
        {
            using var env = new SandboxRunspace();
            env.Run(ConfigurationAsCodeTests.Arrange).ShouldSucceed();
            Answer(env.Sandbox, "GetProtocolsList", "ProtocolsList", "ListDescription", "\"protocols\"");
            env.Run("$null = Export-FmsConfiguration -Path $dir -Kind ProtocolsList").ShouldSucceed();
            var file = Path.Combine(env.Folder, "us-east-1", "protocols-lists", "allowed-protocols.fmsprotocolslist.json");
            File.WriteAllText(file, File.ReadAllText(file).Replace("\"name\"", "\"zLocalNote\": \"only here\", \"name\""));

            var export = env.Run("Export-FmsConfiguration -Path $dir -Kind ProtocolsList -Force").ShouldSucceed().OutputOf<FmsConfigurationFile>().ToList();
            Assert.Equal("Overwritten", Assert.Single(export).Status);
            var json = Json(env.Folder, "us-east-1/protocols-lists/allowed-protocols.fmsprotocolslist.json");
            Assert.Null(json["zLocalNote"]);
            Assert.Equal("protocols", (string?)json["ListDescription"]);
        }

        [Fact]
        public void A_plan_over_the_apps_list_quota_fails_whole_naming_file_object_and_limit_before_any_change()
        {
            using var env = new SandboxRunspace();
            env.Run("$null = Export-FmsConfiguration -Path $dir -Kind AppsList, ResourceSet").ShouldSucceed();
            var live = env.Run("@(Get-FmsAppsList).Count").ShouldSucceed().Output.Single().BaseObject;
            var room = ConfigurationQuotas.DefaultAppsLists - Convert.ToInt32(live, System.Globalization.CultureInfo.InvariantCulture);
            var folder = Path.Combine(env.Folder, "us-east-1", "apps-lists");
            Directory.CreateDirectory(folder);
            for (var i = 0; i <= room; i++)
                File.WriteAllText(Path.Combine(folder, $"extra-{i:D2}.fmsappslist.json"),
                    $"{{ \"schema\": \"fmstools.appslist/v1\", \"name\": \"extra-{i:D2}\", \"apps\": [ {{ \"name\": \"web\", \"protocol\": \"tcp\", \"port\": 80 }} ] }}\n");
            // A resource set to create too: the plan fails whole, so not even the first step (resource sets) is made.
            Directory.CreateDirectory(Path.Combine(env.Folder, "us-east-1", "resource-sets"));
            File.WriteAllText(Path.Combine(env.Folder, "us-east-1", "resource-sets", "new-set.fmsresourceset.json"),
                "{ \"schema\": \"fmstools.resourceset/v1\", \"name\": \"new-set\", \"resourceTypes\": [ \"AWS::EC2::VPC\" ] }\n");

            var mark = env.Mark;
            var sync = env.Run("Sync-FmsConfiguration -Path $dir -Confirm:$false");
            Assert.Empty(env.MutatingSince(mark));
            Assert.Empty(sync.OutputOf<FmsConfigurationSyncResult>());
            var error = Assert.Single(sync.Errors, e => e.FullyQualifiedErrorId.StartsWith("Configuration.Quota.AppsList", StringComparison.Ordinal));
            Assert.Contains("limit of 10 custom apps lists", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains($"us-east-1/apps-lists/extra-{room:D2}.fmsappslist.json ('extra-{room:D2}')", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal("QuotaExceeded", error.CategoryInfo.Category.ToString());
            Assert.NotNull(sync.Terminating);
            Assert.Contains("nothing was changed", sync.Terminating!.Message, StringComparison.Ordinal);

            // The sandbox enforces the same limit: one list fewer fits, the next one is refused.
            File.Delete(Path.Combine(folder, $"extra-{room:D2}.fmsappslist.json"));
            var fits = env.Run("Sync-FmsConfiguration -Path $dir -Kind AppsList -Confirm:$false").ShouldSucceed().OutputOf<FmsConfigurationSyncResult>();
            Assert.Equal(room, fits.Count(r => r.Action == "Create" && r.Status == "Applied"));
            var refused = env.Run("Set-FmsAppsList -Name one-too-many -App @{ Name = 'web'; Protocol = 'tcp'; Port = 80 } -Confirm:$false");
            Assert.Contains(refused.Errors, e => e.Exception.Message.Contains("limit of 10 custom applications lists", StringComparison.Ordinal));
        }
    }
}
