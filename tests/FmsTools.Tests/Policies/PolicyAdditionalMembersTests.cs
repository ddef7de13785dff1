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
            option["NetworkAclCommonPolicy"]!["NetworkAclEntrySet"]!["Priority"] = new JsonObject { ["first"] = 5 };
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
                "{\"PolicyOption\":{\"NetworkAclCommonPolicy\":{\"Mode\":\"STRICT\",\"NetworkAclEntrySet\":{\"Priority\":{\"first\":5}}},\"Revision\":\"r1\"},\"PolicyVersion\":3}",
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
                "SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.NetworkAclEntrySet.Priority",
                "SecurityServicePolicyData.PolicyOption.Revision",
                "SecurityServicePolicyData.PolicyVersion",
            }, PolicyAdditionalMembers.Paths(back.Policy!.AdditionalFields).OrderBy(p => p, StringComparer.Ordinal));
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
