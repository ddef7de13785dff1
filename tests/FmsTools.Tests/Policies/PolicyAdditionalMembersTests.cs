using System;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Policies;
using Xunit;
using Wire = FmsTools.Aws.Fms;

namespace FmsTools.Tests.Policies
{
    /// <summary>
    /// Members of a newer Firewall Manager API nested in a policy (beside Type/ManagedServiceData/PolicyOption, inside
    /// PolicyOption and its parts, an unknown include/exclude map key, a resource tag's): read from the wire, written into
    /// the policy file, read back, never compared, and sent back with PutPolicy where they were.
    /// </summary>
    public sealed class PolicyAdditionalMembersTests
    {
        private static FmsPolicy Sample()
        {
            var policy = PolicySamples.NetworkAclCommon();
            policy.Scope!.IncludeAccounts.Add("111111111111");
            policy.Scope.ResourceTags.Add(new ResourceTagFilter("env", "prod"));
            policy.Scope.ResourceTags.Add(new ResourceTagFilter("team", "net"));
            return policy;
        }

        /// <summary>The wire JSON of <see cref="Sample"/> with a newer API's members at the top and nested.</summary>
        private static JsonObject NewerAnswer()
        {
            var json = (JsonObject)JsonNode.Parse(AwsJson.SerializeToString(PolicyWireMapper.ToWire(Sample())))!;
            json["PolicyUpdateMode"] = "GRADUAL";
            var data = json["SecurityServicePolicyData"]!.AsObject();
            data["PolicyVersion"] = 3;
            var option = data["PolicyOption"]!.AsObject();
            option["Revision"] = "r1";
            option["NetworkAclCommonPolicy"]!["Mode"] = "STRICT";
            var set = option["NetworkAclCommonPolicy"]!["NetworkAclEntrySet"]!;
            set["Priority"] = new JsonObject { ["first"] = 5 };
            set["FirstEntries"]![1]!["Logging"] = "ON";
            set["LastEntries"]![0]!["Weight"] = new JsonObject { ["value"] = 7 };
            set["FirstEntries"]![0]!["PortRange"]!["Step"] = 1;
            set["LastEntries"]![0]!["IcmpTypeCode"]!["Kind"] = "echo";
            json["IncludeMap"]!["RESOURCE_GROUP"] = new JsonArray("rg-1", "rg-2");
            json["ExcludeMap"] = new JsonObject { ["RESOURCE_GROUP"] = new JsonArray("rg-9") };
            json["ResourceTags"]![1]!["Match"] = "PREFIX";
            return json;
        }

        private static FmsPolicy Read(JsonObject json)
            => PolicyWireMapper.FromWire(AwsJson.Deserialize<Wire.Policy>(Encoding.UTF8.GetBytes(json.ToJsonString())));

        [Fact]
        public void Nested_members_go_from_the_answer_into_the_policy_file_and_back_byte_identical_and_are_never_compared()
        {
            var policy = Read(NewerAnswer());

            Assert.Equal(
                "{\"PolicyOption\":{\"NetworkAclCommonPolicy\":{\"Mode\":\"STRICT\",\"NetworkAclEntrySet\":{"
                + "\"FirstEntries\":[{\"CidrBlock\":\"10.0.0.0/8\",\"Egress\":false,\"PortRange\":{\"From\":443,\"To\":443,\"Step\":1},\"Protocol\":\"6\",\"RuleAction\":\"allow\"},"
                + "{\"CidrBlock\":\"0.0.0.0/0\",\"Egress\":true,\"Protocol\":\"-1\",\"RuleAction\":\"deny\",\"Logging\":\"ON\"}],"
                + "\"LastEntries\":[{\"CidrBlock\":\"192.168.0.0/16\",\"Egress\":false,\"IcmpTypeCode\":{\"Code\":-1,\"Type\":-1,\"Kind\":\"echo\"},\"Protocol\":\"1\",\"RuleAction\":\"allow\",\"Weight\":{\"value\":7}}],"
                + "\"Priority\":{\"first\":5}}},\"Revision\":\"r1\"},\"PolicyVersion\":3}",
                policy.AdditionalFields["SecurityServicePolicyData"]!.ToJsonString());
            Assert.Equal("{\"RESOURCE_GROUP\":[\"rg-1\",\"rg-2\"]}", policy.AdditionalFields["IncludeMap"]!.ToJsonString());
            Assert.Equal("{\"RESOURCE_GROUP\":[\"rg-9\"]}", policy.AdditionalFields["ExcludeMap"]!.ToJsonString());
            Assert.Equal("[{\"Key\":\"team\",\"Value\":\"net\",\"Match\":\"PREFIX\"}]", policy.AdditionalFields["ResourceTags"]!.ToJsonString());
            Assert.Equal("\"GRADUAL\"", policy.AdditionalFields["PolicyUpdateMode"]!.ToJsonString());
            // The known parts are read as before: the unknown map key is not taken for an account or an OU.
            Assert.Equal(new[] { "111111111111" }, policy.Scope!.IncludeAccounts);
            Assert.Empty(policy.Scope.ExcludeAccounts.Concat(policy.Scope.ExcludeOrganizationalUnits));

            var text = PolicyDocumentSerializer.Write(policy);
            var file = (JsonObject)JsonNode.Parse(text)!;
            Assert.Equal("STRICT", (string?)file["SecurityServicePolicyData"]!["PolicyOption"]!["NetworkAclCommonPolicy"]!["Mode"]);
            Assert.Equal("ON", (string?)file["SecurityServicePolicyData"]!["PolicyOption"]!["NetworkAclCommonPolicy"]!["NetworkAclEntrySet"]!["FirstEntries"]![1]!["Logging"]);
            // The entries in the settings are as before: no unknown member there.
            var rule = file["policyOption"]!["networkAclCommonPolicy"]!["networkAclEntrySet"]!["firstEntries"]![1]!.AsObject();
            Assert.Equal("deny", (string?)rule["ruleAction"]);
            Assert.False(rule.ContainsKey("Logging"));
            Assert.Equal("PREFIX", (string?)file["ResourceTags"]![0]!["Match"]);
            var back = PolicyDocumentSerializer.Read("p.fmspolicy.json", text);
            Assert.True(back.Success, string.Join("; ", back.Errors));
            Assert.Equal(text, PolicyDocumentSerializer.Write(back.Policy!));
            Assert.Equal(text, PolicyDocumentSerializer.Write(back.Policy!.Clone()));
            Assert.True(PolicyComparer.Compare(Sample(), back.Policy!).IsEqual, PolicyComparer.Compare(Sample(), back.Policy!).ToString());

            Assert.Equal(new[]
            {
                "ExcludeMap.RESOURCE_GROUP", "IncludeMap.RESOURCE_GROUP", "PolicyUpdateMode",
                "ResourceTags[team=net].Match",
                "SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.Mode",
                "SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.NetworkAclEntrySet.FirstEntries[0].PortRange.Step",
                "SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.NetworkAclEntrySet.FirstEntries[1].Logging",
                "SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.NetworkAclEntrySet.LastEntries[0].IcmpTypeCode.Kind",
                "SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.NetworkAclEntrySet.LastEntries[0].Weight",
                "SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.NetworkAclEntrySet.Priority",
                "SecurityServicePolicyData.PolicyOption.Revision",
                "SecurityServicePolicyData.PolicyVersion",
            }, PolicyAdditionalMembers.Paths(back.Policy!).OrderBy(p => p, StringComparer.Ordinal));
        }

        [Fact]
        public void PutPolicy_sends_the_members_back_where_they_were_read()
        {
            var answer = NewerAnswer();
            var policy = Read(answer);

            var sent = (JsonObject)JsonNode.Parse(AwsJson.SerializeToString(PolicyWireMapper.ToWire(policy)))!;

            Assert.True(JsonNode.DeepEquals(answer, sent), sent.ToJsonString());
            // Also from the file: read back, the policy sends the same request.
            var file = PolicyDocumentSerializer.Read("p.fmspolicy.json", PolicyDocumentSerializer.Write(policy)).Policy!;
            Assert.True(JsonNode.DeepEquals(answer, JsonNode.Parse(AwsJson.SerializeToString(PolicyWireMapper.ToWire(file)))));
        }

        private static string Entries => "SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.NetworkAclEntrySet.FirstEntries";

        private static JsonArray SentFirstEntries(FmsPolicy policy, FmsPolicy? deployed = null)
        {
            var wire = deployed == null ? PolicyWireMapper.ToWire(policy) : PolicyWireMapper.ToWire(policy, deployed.AdditionalFields);
            return JsonNode.Parse(AwsJson.SerializeToString(wire))!["SecurityServicePolicyData"]!["PolicyOption"]!["NetworkAclCommonPolicy"]!["NetworkAclEntrySet"]!["FirstEntries"]!.AsArray();
        }

        [Fact]
        public void An_entrys_members_follow_its_content_and_its_position_among_equal_entries_and_are_not_sent_when_no_entry_has_that_content()
        {
            // Three first entries: 0 has a member; 1 and 2 have the same content and only 2 has one.
            var answer = NewerAnswer();
            var first = answer["SecurityServicePolicyData"]!["PolicyOption"]!["NetworkAclCommonPolicy"]!["NetworkAclEntrySet"]!["FirstEntries"]!.AsArray();
            first[0]!["Logging"] = "OFF";
            first[0]!["PortRange"]!.AsObject().Remove("Step");
            first[1]!.AsObject().Remove("Logging");
            var twin = first[1]!.DeepClone();
            twin["Logging"] = "ON";
            first.Add(twin);
            var policy = Read(answer);

            Assert.Equal(new[] { Entries + "[0].Logging", Entries + "[2].Logging" }, PolicyAdditionalMembers.Paths(policy).Where(p => p.StartsWith(Entries, StringComparison.Ordinal)));
            Assert.True(JsonNode.DeepEquals(answer, JsonNode.Parse(AwsJson.SerializeToString(PolicyWireMapper.ToWire(policy)))));

            // In a file whose entries were reordered (entry 0 moved last), each member stays with its entry.
            var file = PolicyDocumentSerializer.Read("p.fmspolicy.json", PolicyDocumentSerializer.Write(policy)).Policy!;
            var rules = ((NetworkAclCommonSettings)file.Settings!).FirstEntries;
            var moved = rules[0];
            rules.RemoveAt(0);
            rules.Add(moved);
            Assert.Equal(new[] { Entries + "[2].Logging", Entries + "[1].Logging" }, PolicyAdditionalMembers.Paths(file).Where(p => p.StartsWith(Entries, StringComparison.Ordinal)));
            Assert.Equal(new[] { null, "ON", "OFF" }, SentFirstEntries(file).Select(e => (string?)e!["Logging"]));

            // An entry whose content changed matches no kept entry: named "[?]", and its member is not sent.
            moved.CidrBlock = "10.9.0.0/16";
            Assert.Contains(Entries + "[?].Logging", PolicyAdditionalMembers.Paths(file));
            Assert.Equal(new[] { null, "ON", null }, SentFirstEntries(file).Select(e => (string?)e!["Logging"]));

            // An update sends the deployed policy's members, matched to the desired policy's entries the same way.
            var desired = Sample();
            var desiredRules = ((NetworkAclCommonSettings)desired.Settings!).FirstEntries;
            desiredRules.Insert(0, JsonBackedObject.Copy(desiredRules[1]));
            Assert.Equal(new[] { null, "OFF", "ON" }, SentFirstEntries(desired, policy).Select(e => (string?)e!["Logging"]));
        }

        [Fact]
        public void A_kept_member_never_replaces_a_known_field_and_goes_only_onto_a_shape_the_request_has()
        {
            var policy = PolicySamples.WafV2();
            policy.AdditionalFields["PolicyName"] = "renamed-by-hand";
            policy.AdditionalFields["SecurityServicePolicyData"] = new JsonObject
            {
                ["Type"] = "SHIELD_ADVANCED", ["PolicyVersion"] = 3, ["PolicyOption"] = new JsonObject { ["Revision"] = "r1" },
            };
            policy.AdditionalFields["IncludeMap"] = new JsonObject { ["ACCOUNT"] = new JsonArray("222222222222"), ["RESOURCE_GROUP"] = new JsonArray("rg-1") };
            policy.AdditionalFields["ResourceTags"] = new JsonArray(new JsonObject { ["Key"] = "missing", ["Value"] = "", ["Match"] = "EXACT" });

            var sent = (JsonObject)JsonNode.Parse(AwsJson.SerializeToString(PolicyWireMapper.ToWire(policy)))!;

            Assert.Equal(policy.Name, (string?)sent["PolicyName"]);
            Assert.Single(sent, p => p.Key == "PolicyName");
            Assert.Equal("WAFV2", (string?)sent["SecurityServicePolicyData"]!["Type"]);
            Assert.Equal(3, (int)sent["SecurityServicePolicyData"]!["PolicyVersion"]!);
            Assert.Null(sent["SecurityServicePolicyData"]!["PolicyOption"]);
            var include = sent["IncludeMap"]!.AsObject();
            Assert.Equal("[\"rg-1\"]", include["RESOURCE_GROUP"]!.ToJsonString());
            Assert.Null(include["ACCOUNT"]);
            Assert.Equal(policy.Scope!.IncludeOrganizationalUnits, include["ORG_UNIT"]!.AsArray().Select(v => (string)v!));
            Assert.All(sent["ResourceTags"]?.AsArray() ?? new JsonArray(), t => Assert.Null(t!["Match"]));
        }
    }
}
