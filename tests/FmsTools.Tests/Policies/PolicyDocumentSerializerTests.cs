using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FmsTools.Engine.Policies;
using Xunit;

namespace FmsTools.Tests.Policies
{
    public class PolicyDocumentSerializerTests
    {
        [Theory]
        [MemberData(nameof(PolicySamples.All), MemberType = typeof(PolicySamples))]
        public void FileRoundTripKeepsEverything(string sample)
        {
            var policy = PolicySamples.Get(sample);
            policy.PolicyId = SimulatedFmsService.PolicyId;
            policy.UpdateToken = "1:secret-ish";
            policy.Arn = "arn:aws:fms:us-east-1:111111111111:policy/" + SimulatedFmsService.PolicyId;

            var text = PolicyDocumentSerializer.Write(policy);
            var result = PolicyDocumentSerializer.Read("p.json", text);

            Assert.True(result.Success, string.Join("; ", result.Errors));
            var read = result.Policy!;
            Assert.True(PolicyComparer.Compare(policy, read).IsEqual, PolicyComparer.Compare(policy, read).ToString());
            Assert.Equal(SimulatedFmsService.PolicyId, read.PolicyId);
            Assert.Null(read.UpdateToken);
            Assert.Equal(PolicyWireMapper.ToWire(policy).SecurityServicePolicyData!.ManagedServiceData, PolicyWireMapper.ToWire(read).SecurityServicePolicyData!.ManagedServiceData);
            Assert.Equal(text, PolicyDocumentSerializer.Write(read));
            Assert.DoesNotContain("UpdateToken", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("arn:aws:fms", text);
        }

        [Theory]
        [MemberData(nameof(PolicySamples.All), MemberType = typeof(PolicySamples))]
        public void ValidSamplesReadFromAFileHaveNoValidationErrors(string sample)
        {
            var read = PolicyDocumentSerializer.Read("p.fmspolicy.json", PolicyDocumentSerializer.Write(PolicySamples.Get(sample)));

            Assert.Empty(PolicyDocumentSerializer.ValidationErrors(read.File, read.Policy!));
        }

        [Theory]
        [InlineData("\"name\": \"waf-baseline\"", "\"name\": \"NNN\"", "name")]
        [InlineData("\"managedRuleGroupName\": \"AWSManagedRulesCommonRuleSet\"", "\"managedRuleGroupName\": \"\"", "settings.preProcessRuleGroups[0].managedRuleGroupIdentifier")]
        [InlineData("\"managedRuleGroupName\": \"AWSManagedRulesCommonRuleSet\"", "\"managedRuleGroupName\": null", "settings.preProcessRuleGroups[0].managedRuleGroupIdentifier")]
        [InlineData("\"ou-abcd-12345678\"", "\"ou-bad\"", "scope.includeOrganizationalUnits[0]")]
        public void ValuesOfTheRightJsonTypeAreJudgedAsTheBuildersJudgeThem(string valid, string invalid, string field)
        {
            var text = PolicyDocumentSerializer.Write(PolicySamples.WafV2());
            Assert.Contains(valid, text);
            var read = PolicyDocumentSerializer.Read("web.fmspolicy.json", text.Replace(valid, invalid.Replace("NNN", new string('n', 300))));
            Assert.True(read.Success, string.Join("; ", read.Errors));

            var error = Assert.Single(PolicyDocumentSerializer.ValidationErrors(read.File, read.Policy!));

            Assert.Equal(field, error.Field);
            Assert.Equal("web.fmspolicy.json", error.File);
            Assert.Contains("(rule ", error.Message);
            Assert.StartsWith("Policy file 'web.fmspolicy.json', field '" + field + "': ", error.ToString());
        }

        [Fact]
        public void FileIsIndentedWithSettingsAsNestedJson()
        {
            var text = PolicyDocumentSerializer.Write(PolicySamples.DnsFirewall(), includePolicyId: false);

            Assert.Equal(
                "{\n" +
                "  \"schema\": \"fmstools.policy/v1\",\n" +
                "  \"name\": \"dns-firewall\",\n" +
                "  \"type\": \"DNS_FIREWALL\",\n" +
                "  \"resourceTypes\": [\n" +
                "    \"AWS::EC2::VPC\"\n" +
                "  ],\n" +
                "  \"remediationEnabled\": false,\n" +
                "  \"deleteUnusedFMManagedResources\": false,\n" +
                "  \"scope\": {\n" +
                "    \"includeAccounts\": [\n" +
                "      \"111111111111\"\n" +
                "    ]\n" +
                "  },\n" +
                "  \"settings\": {\n" +
                "    \"type\": \"DNS_FIREWALL\",\n" +
                "    \"preProcessRuleGroups\": [\n" +
                "      {\n" +
                "        \"ruleGroupId\": \"rslvr-frg-1\",\n" +
                "        \"priority\": 10\n" +
                "      }\n" +
                "    ],\n" +
                "    \"postProcessRuleGroups\": [\n" +
                "      {\n" +
                "        \"ruleGroupId\": \"rslvr-frg-2\",\n" +
                "        \"priority\": 9911\n" +
                "      }\n" +
                "    ]\n" +
                "  }\n" +
                "}\n",
                text);
        }

        [Theory]
        [InlineData("web baseline", null, "web-baseline.fmspolicy.json")]
        [InlineData("../../etc/passwd", null, "etc-passwd.fmspolicy.json")]
        [InlineData("..", null, "policy.fmspolicy.json")]
        [InlineData("a/b\\c:d*e?f\"g<h>i|j", "0123456789abcdef0123456789abcdef0123", "a-b-c-d-e-f-g-h-i-j_01234567.fmspolicy.json")]
        [InlineData("CON", null, "policy-CON.fmspolicy.json")]
        [InlineData("", "../../x", "policy_x.fmspolicy.json")]
        [InlineData("ポリシー", null, "policy.fmspolicy.json")]
        public void SafeFileNameHasNoPathTraversal(string name, string? policyId, string expected)
        {
            var fileName = PolicyDocumentSerializer.SafeFileName(new FmsPolicy { Name = name, PolicyId = policyId });

            Assert.Equal(expected, fileName);
            Assert.DoesNotContain("..", fileName.Replace(PolicyDocumentSerializer.FileExtension, string.Empty));
            Assert.Equal(fileName, Path.GetFileName(fileName));
        }

        [Fact]
        public void LongNamesAreCut()
        {
            var fileName = PolicyDocumentSerializer.SafeFileName(new FmsPolicy { Name = new string('a', 500) });

            Assert.True(fileName.Length <= 80 + PolicyDocumentSerializer.FileExtension.Length);
        }

        public static IEnumerable<object[]> HostileDocuments()
        {
            var valid = PolicyDocumentSerializer.Write(PolicySamples.DnsFirewall());
            yield return new object[] { "empty", "", "" };
            yield return new object[] { "whitespace", "  \n\t ", "" };
            yield return new object[] { "not json", "this is not json", "" };
            yield return new object[] { "truncated", valid.Substring(0, valid.Length / 2), "" };
            yield return new object[] { "top-level array", "[1,2,3]", "" };
            yield return new object[] { "deep nesting", new string('[', 5000) + new string(']', 5000), "" };
            yield return new object[] { "deep settings", valid.Replace("\"priority\": 10", "\"priority\": 10, \"x\": " + new string('[', 40) + new string(']', 40)), "" };
            yield return new object[] { "huge", "{\"name\":\"" + new string('a', PolicyDocumentSerializer.MaxFileCharacters) + "\"}", "" };
            yield return new object[] { "unknown type", valid.Replace("\"type\": \"DNS_FIREWALL\",\n  \"resourceTypes\"", "\"type\": \"FOO_FIREWALL\",\n  \"resourceTypes\""), "type" };
            yield return new object[] { "missing type", valid.Replace("\"type\": \"DNS_FIREWALL\",\n  \"resourceTypes\"", "\"resourceTypes\""), "type" };
            yield return new object[] { "wrong schema", valid.Replace("fmstools.policy/v1", "fmstools.policy/v9"), "schema" };
            yield return new object[] { "no schema", valid.Replace("\"schema\": \"fmstools.policy/v1\",", ""), "schema" };
            yield return new object[] { "unknown top-level field", valid.Replace("\"remediationEnabled\"", "\"remediationEnable\": true, \"remediationEnabled\""), "remediationEnable" };
            yield return new object[] { "duplicate key", valid.Replace("\"remediationEnabled\": false", "\"remediationEnabled\": false, \"remediationEnabled\": true"), "remediationEnabled" };
            yield return new object[] { "name is a number", valid.Replace("\"name\": \"dns-firewall\"", "\"name\": 42"), "name" };
            yield return new object[] { "flag is a string", valid.Replace("\"remediationEnabled\": false", "\"remediationEnabled\": \"no\""), "remediationEnabled" };
            yield return new object[] { "priority is a string", valid.Replace("\"priority\": 10", "\"priority\": \"10\""), "settings.preProcessRuleGroups[0].priority" };
            yield return new object[] { "priority is fractional", valid.Replace("\"priority\": 10", "\"priority\": 10.5"), "settings.preProcessRuleGroups[0].priority" };
            yield return new object[] { "list is an object", valid.Replace("\"postProcessRuleGroups\": [", "\"postProcessRuleGroups\": {\"a\": [").Replace("]\n  }\n}", "]}\n  }\n}"), "settings.postProcessRuleGroups" };
            yield return new object[] { "newline in name", valid.Replace("\"name\": \"dns-firewall\"", "\"name\": \"dns\\nfirewall\""), "name" };
            yield return new object[] { "carriage return in settings", valid.Replace("rslvr-frg-1", "rslvr\\r-frg-1"), "settings.preProcessRuleGroups[0].ruleGroupId" };
            yield return new object[] { "settings is a string", valid.Substring(0, valid.IndexOf("\"settings\"", StringComparison.Ordinal)) + "\"settings\": \"{}\"\n}", "settings" };
            yield return new object[] { "settings type disagrees", valid.Replace("\"type\": \"DNS_FIREWALL\",\n    \"preProcess", "\"type\": \"WAFV2\",\n    \"preProcess"), "settings.type" };
            yield return new object[] { "scope tag without key", valid.Replace("\"includeAccounts\"", "\"resourceTags\": [{\"value\": \"x\"}], \"includeAccounts\""), "scope.resourceTags[0].key" };
            yield return new object[] { "bad policyOption section", valid.Replace("\"settings\"", "\"policyOption\": {\"networkFirewallPolicy\": {}}, \"settings\""), "policyOption.networkFirewallPolicy" };
        }

        [Theory]
        [MemberData(nameof(HostileDocuments))]
        public void HostileInputGivesAClearErrorNamingFileAndField(string label, string content, string expectedField)
        {
            var result = PolicyDocumentSerializer.Read("hostile-" + label + ".json", content);

            Assert.False(result.Success, label);
            Assert.Null(result.Policy);
            Assert.NotEmpty(result.Errors);
            Assert.All(result.Errors, e => Assert.StartsWith("Policy file 'hostile-" + label + ".json'", e.ToString()));
            Assert.Contains(result.Errors, e => e.Field == expectedField);
            Assert.All(result.Errors, e => Assert.Equal("PolicyDocument.Invalid", e.ToFmsError().ErrorId));
        }

        [Fact]
        public void GeneratedFuzzSetNeverThrows()
        {
            var random = new Random(20240601);
            var inputs = new List<string>();
            foreach (var name in PolicySamples.Names)
            {
                var text = PolicyDocumentSerializer.Write(PolicySamples.Get(name));
                for (var i = 0; i < 10; i++) inputs.Add(MutateValue(text, random));
                for (var i = 0; i < 3; i++) inputs.Add(text.Substring(0, random.Next(text.Length)));
                for (var i = 0; i < 3; i++) inputs.Add(FlipCharacter(text, random));
            }
            for (var i = 0; i < 20; i++)
            {
                var bytes = new byte[random.Next(1, 200)];
                random.NextBytes(bytes);
                inputs.Add(Encoding.UTF8.GetString(bytes));
            }

            var failures = 0;
            foreach (var input in inputs)
            {
                var result = PolicyDocumentSerializer.Read("fuzz.json", input);
                if (result.Success)
                {
                    Assert.NotNull(result.Policy);
                    continue;
                }
                failures++;
                Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
                Assert.All(result.Errors, e => Assert.Equal("fuzz.json", e.File));
            }
            Assert.InRange(inputs.Count, 200, 400);
            Assert.True(failures > inputs.Count / 2, failures + " of " + inputs.Count + " rejected");
        }

        [Fact]
        public void ReadFileRefusesMissingAndOversizedFiles()
        {
            var directory = Path.Combine(Path.GetTempPath(), "fmstools-policy-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            try
            {
                var missing = PolicyDocumentSerializer.ReadFile(Path.Combine(directory, "missing.json"));
                Assert.Contains("does not exist", Assert.Single(missing.Errors).Message);

                var big = Path.Combine(directory, "big.json");
                File.WriteAllText(big, new string(' ', PolicyDocumentSerializer.MaxFileCharacters * 4 + 1));
                Assert.Contains("limited", Assert.Single(PolicyDocumentSerializer.ReadFile(big).Errors).Message);

                var invalidUtf8 = Path.Combine(directory, "bad.json");
                File.WriteAllBytes(invalidUtf8, new byte[] { 0x7B, 0xFF, 0xFE, 0x7D });
                Assert.False(PolicyDocumentSerializer.ReadFile(invalidUtf8).Success);

                var good = Path.Combine(directory, PolicyDocumentSerializer.SafeFileName(PolicySamples.WafV2()));
                File.WriteAllText(good, PolicyDocumentSerializer.Write(PolicySamples.WafV2()));
                Assert.True(PolicyDocumentSerializer.ReadFile(good).Success);
            }
            finally
            {
                Directory.Delete(directory, true);
            }
        }

        [Fact]
        public void UnknownSettingsKeysInFilesArePreserved()
        {
            var text = PolicyDocumentSerializer.Write(PolicySamples.DnsFirewall()).Replace("\"priority\": 10", "\"priority\": 10, \"newField\": \"kept\"");

            var result = PolicyDocumentSerializer.Read("p.json", text);

            Assert.True(result.Success);
            Assert.Contains("\"newField\":\"kept\"", PolicyWireMapper.ToWire(result.Policy!).SecurityServicePolicyData!.ManagedServiceData);
        }

        [Fact]
        public void UpperCaseTopLevelMembersOfANewerApiAreKeptByteIdenticalSentBackAndNeverCompared()
        {
            var plain = PolicyDocumentSerializer.Write(PolicySamples.WafV2());
            Assert.EndsWith("\n}\n", plain, StringComparison.Ordinal);
            var text = plain.Substring(0, plain.Length - 3)
                + ",\n  \"ComplianceHistory\": {\n    \"days\": 30,\n    \"enabled\": true\n  },\n  \"PolicyUpdateMode\": \"GRADUAL\"\n}\n";

            var result = PolicyDocumentSerializer.Read("p.fmspolicy.json", text);

            Assert.True(result.Success, string.Join("; ", result.Errors));
            Assert.Equal(text, PolicyDocumentSerializer.Write(result.Policy!));
            Assert.Equal(text, PolicyDocumentSerializer.Write(result.Policy!.Clone()));
            Assert.True(PolicyComparer.Compare(PolicyDocumentSerializer.Read("q.fmspolicy.json", plain).Policy!, result.Policy!).IsEqual);
            // PutPolicy sends them back as read (an update must not reset a newer API's fields).
            var sent = PolicyWireMapper.ToWire(result.Policy!).AdditionalMembers!;
            Assert.Equal(new[] { "ComplianceHistory", "PolicyUpdateMode" }, sent.Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal("{\"days\":30,\"enabled\":true}", sent["ComplianceHistory"].GetRawText());
            // A lower-case unknown key is the file's own field mistyped, not a service member: still an error.
            var typo = PolicyDocumentSerializer.Read("p.fmspolicy.json", text.Replace("\"PolicyUpdateMode\"", "\"policyUpdateMode\""));
            Assert.Equal("policyUpdateMode", Assert.Single(typo.Errors).Field);
        }

        private static string MutateValue(string text, Random random)
        {
            var root = JsonNode.Parse(text)!;
            var leaves = new List<(JsonNode Parent, object Key)>();
            Collect(root, leaves);
            var (parent, key) = leaves[random.Next(leaves.Count)];
            JsonNode? replacement;
            switch (random.Next(6))
            {
                case 0: replacement = JsonValue.Create(random.Next()); break;
                case 1: replacement = JsonValue.Create("x\ny"); break;
                case 2: replacement = new JsonObject { ["k"] = 1 }; break;
                case 3: replacement = new JsonArray(1, 2); break;
                case 4: replacement = JsonValue.Create(true); break;
                default: replacement = null; break;
            }
            if (parent is JsonObject obj) obj[(string)key] = replacement;
            else ((JsonArray)parent)[(int)key] = replacement;
            return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        }

        private static void Collect(JsonNode node, List<(JsonNode, object)> leaves)
        {
            if (node is JsonObject obj)
            {
                foreach (var pair in obj.ToList())
                {
                    if (pair.Value is JsonObject || pair.Value is JsonArray) Collect(pair.Value!, leaves);
                    leaves.Add((obj, pair.Key));
                }
            }
            else if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject || array[i] is JsonArray) Collect(array[i]!, leaves);
                    leaves.Add((array, i));
                }
            }
        }

        private static string FlipCharacter(string text, Random random)
        {
            var chars = text.ToCharArray();
            const string replacements = "{}[]\":,\\x0";
            chars[random.Next(chars.Length)] = replacements[random.Next(replacements.Length)];
            return new string(chars);
        }
    }
}
