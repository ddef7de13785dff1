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
    /// version's model does not know, at the top of an object and nested in it; in a policy also beside Type, in PolicyOption,
    /// in an include map key and a resource tag, each named in a warning when read from a file; members the newer API stores
    /// survive updates, since PutPolicy replaces the whole policy), and the sync quota checks for lists and resource sets
    /// that run for the whole plan before the first change.
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
            PoliciesConverge(env, "$cfg");
        }

        /// <summary>
        /// The policy files in <paramref name="folder"/> (a PowerShell expression) match the service: Compare gives nothing,
        /// Sync is all Unchanged with zero mutating requests, Export -Force again leaves every file Unchanged.
        /// </summary>
        private static void PoliciesConverge(SandboxRunspace env, string folder)
        {
            Assert.Empty(env.Run($"Compare-FmsConfiguration -Path {folder} -Kind Policy 3>$null").ShouldSucceed().Output);
            var mark = env.Mark;
            var converged = env.Run($"Sync-FmsConfiguration -Path {folder} -Kind Policy -Confirm:$false 3>$null").ShouldSucceed().OutputOf<FmsConfigurationSyncResult>().ToList();
            Assert.NotEmpty(converged);
            Assert.All(converged, r => Assert.Equal("Unchanged", r.Status));
            Assert.Empty(env.MutatingSince(mark));
            var again = env.Run($"Export-FmsConfiguration -Path {folder} -Kind Policy -Force 3>$null").ShouldSucceed().OutputOf<FmsConfigurationFile>().ToList();
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

        // ---- policies: members nested in the policy, and members a newer API stores surviving updates ----

        private const string NaclFile = "us-east-1/policies/demo-nacl-baseline.fmspolicy.json";
        private const string OptionPath = "Policy.SecurityServicePolicyData.PolicyOption";
        private const string EntryPath = OptionPath + ".NetworkAclCommonPolicy.NetworkAclEntrySet.FirstEntries[0]";
        private const string EntryField = "SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.NetworkAclEntrySet.FirstEntries[0].Logging";

        /// <summary>demo-nacl-baseline's first entry's known content, as a kept entry names it, with <paramref name="logging"/> (and <paramref name="rangeMembers"/> in its port range).</summary>
        private static string KeptEntry(string logging, string rangeMembers = "")
            => "{\"CidrBlock\":\"0.0.0.0/0\",\"Egress\":false,\"PortRange\":{\"From\":3389,\"To\":3389" + rangeMembers + "},\"Protocol\":\"6\",\"RuleAction\":\"deny\",\"Logging\":\"" + logging + "\"}";

        private static void PolicyAnswer(SandboxHost sandbox, string path, string name, string? json, bool stored = false)
            => sandbox.AnswerFields.Add(new AnswerField
            {
                Operation = "GetPolicy", Path = path, Name = name, Value = json == null ? null : JsonNode.Parse(json), Stored = stored,
            });

        [Fact]
        public void Members_nested_in_a_newer_API_policy_are_exported_named_in_warnings_never_compared_and_a_sync_converges()
        {
            using var env = new SandboxRunspace();
            PolicyAnswer(env.Sandbox, "Policy.SecurityServicePolicyData", "PolicyVersion", "3");
            PolicyAnswer(env.Sandbox, OptionPath, "Revision", "\"r1\"");
            PolicyAnswer(env.Sandbox, OptionPath + ".NetworkAclCommonPolicy", "Mode", "\"STRICT\"");
            PolicyAnswer(env.Sandbox, OptionPath + ".NetworkAclCommonPolicy.NetworkAclEntrySet", "Priority", "5");
            PolicyAnswer(env.Sandbox, EntryPath, "Logging", "\"ON\"");
            PolicyAnswer(env.Sandbox, EntryPath + ".PortRange", "Step", "1");
            PolicyAnswer(env.Sandbox, "Policy.IncludeMap", "RESOURCE_GROUP", "[\"rg-1\"]");
            PolicyAnswer(env.Sandbox, "Policy.ResourceTags[*]", "Match", "\"EXACT\"");

            env.Run("$null = Export-FmsConfiguration -Path $dir -Kind Policy").ShouldSucceed();
            var nacl = Json(env.Folder, NaclFile);
            var data = nacl["SecurityServicePolicyData"]!;
            Assert.Equal(3, (int)data["PolicyVersion"]!);
            Assert.Equal("r1", (string?)data["PolicyOption"]!["Revision"]);
            Assert.Equal("STRICT", (string?)data["PolicyOption"]!["NetworkAclCommonPolicy"]!["Mode"]);
            Assert.Equal(5, (int)data["PolicyOption"]!["NetworkAclCommonPolicy"]!["NetworkAclEntrySet"]!["Priority"]!);
            Assert.Equal("[" + KeptEntry("ON", ",\"Step\":1") + "]", data["PolicyOption"]!["NetworkAclCommonPolicy"]!["NetworkAclEntrySet"]!["FirstEntries"]!.ToJsonString());
            Assert.Equal("rg-1", (string?)nacl["IncludeMap"]!["RESOURCE_GROUP"]![0]);
            var tags = Json(env.Folder, "us-east-1/policies/demo-network-firewall.fmspolicy.json")["ResourceTags"]!.AsArray();
            Assert.Equal("{\"Key\":\"network-inspection\",\"Value\":\"required\",\"Match\":\"EXACT\"}", Assert.Single(tags)!.ToJsonString());

            // Read back: each kept member is a warning naming file, policy and field; Test-FmsConfiguration gives it as a finding.
            var import = env.Run("Import-FmsConfiguration -Path $dir -Kind Policy").ShouldSucceed();
            Assert.Contains(import.Warnings, w => w.Contains(NaclFile, StringComparison.Ordinal) && w.Contains("demo-nacl-baseline", StringComparison.Ordinal)
                && w.Contains("SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.Mode", StringComparison.Ordinal)
                && w.Contains("not a field this version knows", StringComparison.Ordinal));
            Assert.Contains(import.Warnings, w => w.Contains(NaclFile, StringComparison.Ordinal) && w.Contains(EntryField, StringComparison.Ordinal));
            var findings = env.Run("Test-FmsConfiguration -Path $dir").ShouldSucceed().OutputOf<FmsConfigurationFinding>().ToList();
            var finding = Assert.Single(findings, f => f.Field == "ResourceTags[network-inspection=required].Match");
            Assert.Equal(("Warning", "demo-network-firewall", "us-east-1/policies/demo-network-firewall.fmspolicy.json"), (finding.Severity, finding.Object, finding.File));
            Assert.Contains(findings, f => f.Field == "IncludeMap.RESOURCE_GROUP" && f.Object == "demo-nacl-baseline");
            var entry = Assert.Single(findings, f => f.Field == EntryField);
            Assert.Equal(("Warning", "demo-nacl-baseline", NaclFile, "Configuration.Field.Unknown"), (entry.Severity, entry.Object, entry.File, entry.Rule));
            Assert.Contains(findings, f => f.Field == EntryField.Replace("Logging", "PortRange.Step") && f.Object == "demo-nacl-baseline");
            Assert.DoesNotContain(findings, f => f.Severity == "Error");

            var bytes = File.ReadAllBytes(Path.Combine(env.Folder, NaclFile));
            PoliciesConverge(env, "$dir");
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(env.Folder, NaclFile)));

            // The same through the policy cmdlets: Import/Test-FmsPolicy name the fields, Compare is equal, Sync changes nothing.
            env.Run("$one = Join-Path $dir one; $null = Get-FmsPolicy -Name demo-nacl-baseline | Export-FmsPolicy -Path $one").ShouldSucceed();
            var compare = env.Run("Import-FmsPolicy -Path $one | Compare-FmsPolicy -Summary").ShouldSucceed();
            Assert.Equal("Equal", Assert.Single(compare.OutputOf<FmsPolicyComparison>()).Status);
            Assert.Contains(compare.Warnings, w => w.Contains("demo-nacl-baseline", StringComparison.Ordinal) && w.Contains("SecurityServicePolicyData.PolicyVersion", StringComparison.Ordinal));
            Assert.Contains(compare.Warnings, w => w.Contains("demo-nacl-baseline", StringComparison.Ordinal) && w.Contains(EntryField, StringComparison.Ordinal));
            var tested = env.Run("$null = Test-FmsPolicy -Path $one").Warnings;
            Assert.Contains(tested, w => w.Contains("IncludeMap.RESOURCE_GROUP", StringComparison.Ordinal));
            Assert.Contains(tested, w => w.Contains(EntryField, StringComparison.Ordinal));
            var mark = env.Mark;
            var synced = env.Run("Sync-FmsPolicy -Path $one -Confirm:$false -WarningVariable kept 3>$null; $kept").ShouldSucceed();
            Assert.Equal("Unchanged", Assert.Single(synced.OutputOf<PolicySyncResult>()).Status);
            Assert.Contains(synced.Output, o => o.ToString().Contains(EntryField, StringComparison.Ordinal));
            Assert.Empty(env.MutatingSince(mark));
        }

        [Fact]
        public void Members_a_newer_API_stores_survive_updates_by_Set_Sync_FmsPolicy_and_Sync_FmsConfiguration()
        {
            using var env = new SandboxRunspace();
            PolicyAnswer(env.Sandbox, "Policy", "PolicyUpdateMode", null, stored: true);
            PolicyAnswer(env.Sandbox, "Policy.SecurityServicePolicyData", "PolicyVersion", null, stored: true);
            PolicyAnswer(env.Sandbox, OptionPath + ".NetworkAclCommonPolicy", "Mode", "\"DEFAULT\"", stored: true);
            PolicyAnswer(env.Sandbox, EntryPath, "Logging", null, stored: true);

            // A policy file from a newer API's export: created with its members, the sandbox stores them.
            env.Run("$one = Join-Path $dir one; $null = Get-FmsPolicy -Name demo-nacl-baseline | Export-FmsPolicy -Path $one").ShouldSucceed();
            var exported = Directory.GetFiles(Path.Combine(env.Folder, "one")).Single();
            var file = (JsonObject)JsonNode.Parse(File.ReadAllText(exported))!;
            File.Delete(exported);
            file.Remove("policyId");
            file["name"] = "nacl-newer";
            Assert.Equal("DEFAULT", (string?)file["SecurityServicePolicyData"]!["PolicyOption"]!["NetworkAclCommonPolicy"]!["Mode"]);
            file["PolicyUpdateMode"] = "GRADUAL";
            file["SecurityServicePolicyData"] = JsonNode.Parse(
                "{\"PolicyOption\":{\"NetworkAclCommonPolicy\":{\"Mode\":\"STRICT\",\"NetworkAclEntrySet\":{\"FirstEntries\":[" + KeptEntry("ON") + "]}}},\"PolicyVersion\":3}");
            var path = Path.Combine(env.Folder, "one", "nacl-newer.fmspolicy.json");
            File.WriteAllText(path, file.ToJsonString());
            var created = env.Run("Sync-FmsPolicy -Path $one -Confirm:$false 3>$null").ShouldSucceed().OutputOf<PolicySyncResult>();
            Assert.Equal("Create", Assert.Single(created).Action);
            AssertStored(env, "after the create");

            // An update through Set-FmsPolicy (a known field) keeps them.
            env.Run("$id = (Get-FmsPolicy -Name nacl-newer).PolicyId; Set-FmsPolicy -PolicyId $id -DeleteUnusedFMManagedResources -Confirm:$false").ShouldSucceed();
            AssertStored(env, "after Set-FmsPolicy");

            // Sync-FmsPolicy with a changed description: the deployed values go back, not the file's copy (never applied).
            file["description"] = "changed by Sync-FmsPolicy";
            file["PolicyUpdateMode"] = "FROM_THE_FILE";
            file["SecurityServicePolicyData"]!["PolicyOption"]!["NetworkAclCommonPolicy"]!["NetworkAclEntrySet"]!["FirstEntries"]![0]!["Logging"] = "FROM_THE_FILE";
            File.WriteAllText(path, file.ToJsonString());
            var updated = env.Run("Sync-FmsPolicy -Path $one -Confirm:$false 3>$null").ShouldSucceed().OutputOf<PolicySyncResult>();
            Assert.Equal("Update Applied", string.Join(",", updated.Select(r => r.Action + " " + r.Status)));
            AssertStored(env, "after Sync-FmsPolicy");

            // Sync-FmsConfiguration with a changed description.
            env.Run("$cfg = Join-Path $dir cfg; $null = Export-FmsConfiguration -Path $cfg -Kind Policy").ShouldSucceed();
            var cfgFile = Path.Combine(env.Folder, "cfg", "us-east-1", "policies", "nacl-newer.fmspolicy.json");
            File.WriteAllText(cfgFile, File.ReadAllText(cfgFile).Replace("changed by Sync-FmsPolicy", "changed by Sync-FmsConfiguration"));
            var applied = env.Run("Sync-FmsConfiguration -Path $cfg -Kind Policy -Confirm:$false 3>$null").ShouldSucceed().OutputOf<FmsConfigurationSyncResult>();
            Assert.Equal("Update Applied", string.Join(",", applied.Where(r => r.Name == "nacl-newer").Select(r => r.Action + " " + r.Status)));
            AssertStored(env, "after Sync-FmsConfiguration");
            Assert.Equal("changed by Sync-FmsConfiguration", (string?)Stored(env)["description"]);
        }

        /// <summary>The deployed nacl-newer as Export-FmsPolicy writes it (GetPolicy's answer).</summary>
        private static JsonObject Stored(SandboxRunspace env)
        {
            env.Run("$check = Join-Path $dir check; $null = Get-FmsPolicy -Name nacl-newer | Export-FmsPolicy -Path $check -Force").ShouldSucceed();
            return (JsonObject)JsonNode.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(env.Folder, "check")).Single()))!;
        }

        private static void AssertStored(SandboxRunspace env, string when)
        {
            var json = Stored(env);
            Assert.True("GRADUAL" == (string?)json["PolicyUpdateMode"], "PolicyUpdateMode " + when + ": " + json["PolicyUpdateMode"]?.ToJsonString());
            Assert.True(3 == (int?)json["SecurityServicePolicyData"]?["PolicyVersion"], "PolicyVersion " + when + ": " + json["SecurityServicePolicyData"]?.ToJsonString());
            Assert.True("STRICT" == (string?)json["SecurityServicePolicyData"]?["PolicyOption"]?["NetworkAclCommonPolicy"]?["Mode"],
                "Mode " + when + ": " + json["SecurityServicePolicyData"]?.ToJsonString());
            Assert.True("ON" == (string?)json["SecurityServicePolicyData"]?["PolicyOption"]?["NetworkAclCommonPolicy"]?["NetworkAclEntrySet"]?["FirstEntries"]?[0]?["Logging"],
                "FirstEntries[0].Logging " + when + ": " + json["SecurityServicePolicyData"]?.ToJsonString());
        }
    }
}
