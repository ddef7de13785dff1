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
    /// Policies against a sandbox that plays a newer Firewall Manager API: members nested in the policy (beside Type and
    /// ManagedServiceData, in PolicyOption and its parts, an include map key, a resource tag's) are exported, read back
    /// with a warning naming file, policy and field, never compared; and members the newer API stores survive an update
    /// (PutPolicy replaces the whole policy, so an update that left them out would reset them).
    /// </summary>
    public sealed class PolicyNewerApiMemberTests
    {
        private const string NaclFile = "us-east-1/policies/demo-nacl-baseline.fmspolicy.json";
        private const string OptionPath = "Policy.SecurityServicePolicyData.PolicyOption";

        private static void Answer(SandboxHost sandbox, string path, string name, string? json, bool stored = false)
            => sandbox.AnswerFields.Add(new AnswerField
            {
                Operation = "GetPolicy", Path = path, Name = name, Value = json == null ? null : JsonNode.Parse(json), Stored = stored,
            });

        private static JsonObject Json(string folder, string file) => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, file)))!;

        [Fact]
        public void Members_nested_in_a_newer_API_policy_are_exported_named_in_warnings_never_compared_and_a_sync_converges()
        {
            using var env = new SandboxRunspace();
            Answer(env.Sandbox, "Policy.SecurityServicePolicyData", "PolicyVersion", "3");
            Answer(env.Sandbox, OptionPath, "Revision", "\"r1\"");
            Answer(env.Sandbox, OptionPath + ".NetworkAclCommonPolicy", "Mode", "\"STRICT\"");
            Answer(env.Sandbox, OptionPath + ".NetworkAclCommonPolicy.NetworkAclEntrySet", "Priority", "5");
            Answer(env.Sandbox, "Policy.IncludeMap", "RESOURCE_GROUP", "[\"rg-1\"]");
            Answer(env.Sandbox, "Policy.ResourceTags[*]", "Match", "\"EXACT\"");

            env.Run("$null = Export-FmsConfiguration -Path $dir -Kind Policy").ShouldSucceed();
            var nacl = Json(env.Folder, NaclFile);
            var data = nacl["SecurityServicePolicyData"]!;
            Assert.Equal(3, (int)data["PolicyVersion"]!);
            Assert.Equal("r1", (string?)data["PolicyOption"]!["Revision"]);
            Assert.Equal("STRICT", (string?)data["PolicyOption"]!["NetworkAclCommonPolicy"]!["Mode"]);
            Assert.Equal(5, (int)data["PolicyOption"]!["NetworkAclCommonPolicy"]!["NetworkAclEntrySet"]!["Priority"]!);
            Assert.Equal("rg-1", (string?)nacl["IncludeMap"]!["RESOURCE_GROUP"]![0]);
            var tags = Json(env.Folder, "us-east-1/policies/demo-network-firewall.fmspolicy.json")["ResourceTags"]!.AsArray();
            Assert.Equal("{\"Key\":\"network-inspection\",\"Value\":\"required\",\"Match\":\"EXACT\"}", Assert.Single(tags)!.ToJsonString());

            // Read back: each kept member is a warning naming file, policy and field; Test-FmsConfiguration gives it as a finding.
            var import = env.Run("Import-FmsConfiguration -Path $dir -Kind Policy").ShouldSucceed();
            Assert.Contains(import.Warnings, w => w.Contains(NaclFile, StringComparison.Ordinal) && w.Contains("demo-nacl-baseline", StringComparison.Ordinal)
                && w.Contains("SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.Mode", StringComparison.Ordinal)
                && w.Contains("not a field this version knows", StringComparison.Ordinal));
            var findings = env.Run("Test-FmsConfiguration -Path $dir").ShouldSucceed().OutputOf<FmsConfigurationFinding>().ToList();
            var finding = Assert.Single(findings, f => f.Field == "ResourceTags[network-inspection=required].Match");
            Assert.Equal(("Warning", "demo-network-firewall", "us-east-1/policies/demo-network-firewall.fmspolicy.json"), (finding.Severity, finding.Object, finding.File));
            Assert.Contains(findings, f => f.Field == "IncludeMap.RESOURCE_GROUP" && f.Object == "demo-nacl-baseline");
            Assert.DoesNotContain(findings, f => f.Severity == "Error");

            Assert.Empty(env.Run("Compare-FmsConfiguration -Path $dir -Kind Policy 3>$null").ShouldSucceed().Output);
            var mark = env.Mark;
            var sync = env.Run("Sync-FmsConfiguration -Path $dir -Kind Policy -Confirm:$false 3>$null").ShouldSucceed().OutputOf<FmsConfigurationSyncResult>().ToList();
            Assert.NotEmpty(sync);
            Assert.All(sync, r => Assert.Equal("Unchanged", r.Status));
            Assert.Empty(env.MutatingSince(mark));
            var again = env.Run("Export-FmsConfiguration -Path $dir -Kind Policy -Force 3>$null").ShouldSucceed().OutputOf<FmsConfigurationFile>().ToList();
            Assert.NotEmpty(again);
            Assert.All(again, f => Assert.Equal("Unchanged", f.Status));

            // The same through the policy cmdlets: Import/Test-FmsPolicy name the fields, Compare is equal, Sync changes nothing.
            env.Run("$one = Join-Path $dir one; $null = Get-FmsPolicy -Name demo-nacl-baseline | Export-FmsPolicy -Path $one").ShouldSucceed();
            var compare = env.Run("Import-FmsPolicy -Path $one | Compare-FmsPolicy -Summary").ShouldSucceed();
            Assert.Equal("Equal", Assert.Single(compare.OutputOf<FmsPolicyComparison>()).Status);
            Assert.Contains(compare.Warnings, w => w.Contains("demo-nacl-baseline", StringComparison.Ordinal) && w.Contains("SecurityServicePolicyData.PolicyVersion", StringComparison.Ordinal));
            Assert.Contains(env.Run("$null = Test-FmsPolicy -Path $one").Warnings, w => w.Contains("IncludeMap.RESOURCE_GROUP", StringComparison.Ordinal));
            mark = env.Mark;
            Assert.Equal("Unchanged", Assert.Single(env.Run("Sync-FmsPolicy -Path $one -Confirm:$false 3>$null").ShouldSucceed().OutputOf<PolicySyncResult>()).Status);
            Assert.Empty(env.MutatingSince(mark));
        }

        [Fact]
        public void Members_a_newer_API_stores_survive_updates_by_Set_Sync_FmsPolicy_and_Sync_FmsConfiguration()
        {
            using var env = new SandboxRunspace();
            Answer(env.Sandbox, "Policy", "PolicyUpdateMode", null, stored: true);
            Answer(env.Sandbox, "Policy.SecurityServicePolicyData", "PolicyVersion", null, stored: true);
            Answer(env.Sandbox, OptionPath + ".NetworkAclCommonPolicy", "Mode", "\"DEFAULT\"", stored: true);

            // A policy file from a newer API's export: created with its members, the sandbox stores them.
            env.Run("$one = Join-Path $dir one; $null = Get-FmsPolicy -Name demo-nacl-baseline | Export-FmsPolicy -Path $one").ShouldSucceed();
            var exported = Directory.GetFiles(Path.Combine(env.Folder, "one")).Single();
            var file = (JsonObject)JsonNode.Parse(File.ReadAllText(exported))!;
            File.Delete(exported);
            file.Remove("policyId");
            file["name"] = "nacl-newer";
            Assert.Equal("DEFAULT", (string?)file["SecurityServicePolicyData"]!["PolicyOption"]!["NetworkAclCommonPolicy"]!["Mode"]);
            file["PolicyUpdateMode"] = "GRADUAL";
            file["SecurityServicePolicyData"] = JsonNode.Parse("{\"PolicyOption\":{\"NetworkAclCommonPolicy\":{\"Mode\":\"STRICT\"}},\"PolicyVersion\":3}");
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
        }
    }
}
