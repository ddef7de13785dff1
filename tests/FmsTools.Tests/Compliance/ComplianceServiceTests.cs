using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Engine.Compliance;
using Xunit;

namespace FmsTools.Tests.Compliance
{
    public class ComplianceServiceTests
    {
        private static (FakeFms Fms, ComplianceService Service, Policy Policy) World(int accounts)
        {
            var fms = new FakeFms { CompliancePageSize = 10 };
            var policy = fms.AddPolicy("audit", type: "SECURITY_GROUPS_CONTENT_AUDIT", resourceType: "AWS::EC2::SecurityGroup");
            for (var a = 0; a < accounts; a++)
            {
                if (a % 4 == 0) fms.AddAccount(policy, TestData.Account(a), ("sg-" + a, "RESOURCE_VIOLATES_AUDIT_SECURITY_GROUP"));
                else fms.AddAccount(policy, TestData.Account(a));
            }
            return (fms, new ComplianceService(fms.Client, "us-east-1", throttle: new AdaptiveThrottle(null, new ManualClock().ToEngineClock())), policy);
        }

        [Fact]
        public async Task Statuses_stream_page_by_page()
        {
            var (fms, service, policy) = World(40);
            var reference = await service.GetPolicyAsync(policy.PolicyId!);
            await using var rows = service.GetComplianceStatusAsync(reference, new ComplianceQuery { IncludeViolators = false }).GetAsyncEnumerator();
            Assert.True(await rows.MoveNextAsync());
            Assert.Equal(1, fms.CallsOf("ListComplianceStatus"));
            var count = 1;
            while (await rows.MoveNextAsync()) count++;
            Assert.Equal(40, count);
            Assert.Equal(4, fms.CallsOf("ListComplianceStatus"));
            Assert.Equal(0, fms.CallsOf("GetComplianceDetail"));
        }

        [Fact]
        public async Task Account_and_status_filters_and_drill_down_only_where_needed()
        {
            var (fms, service, policy) = World(40);
            var rows = await service.GetComplianceStatusAsync(new[] { policy.PolicyId! },
                new ComplianceQuery { AccountIds = new[] { TestData.Account(0), TestData.Account(1), TestData.Account(8) }, Status = FmsComplianceState.NonCompliant }).ToListAsync();
            Assert.Equal(new[] { TestData.Account(0), TestData.Account(8) }, rows.Select(r => r.AccountId));
            Assert.Equal(2, fms.CallsOf("GetComplianceDetail"));
            Assert.All(rows, r => Assert.Equal(1, r.ViolationsByReason["RESOURCE_VIOLATES_AUDIT_SECURITY_GROUP"]));
            Assert.All(rows, r => Assert.Equal("SECURITY_GROUPS_CONTENT_AUDIT", r.PolicyType));
        }

        [Fact]
        public async Task Violations_are_enriched_with_typed_details_and_remediation_options()
        {
            var (fms, service, policy) = World(1);
            fms.ViolationDetails[policy.PolicyId + "/" + TestData.Account(0) + "/sg-0"] = new ViolationDetail
            {
                PolicyId = policy.PolicyId, MemberAccount = TestData.Account(0), ResourceId = "sg-0", ResourceType = "AWS::EC2::SecurityGroup",
                ResourceTags = new List<Tag> { new Tag { Key = "team", Value = "web" } },
                ResourceDescription = "web servers",
                ResourceViolations = new List<ResourceViolation>
                {
                    new ResourceViolation
                    {
                        AwsVPCSecurityGroupViolation = new AwsVPCSecurityGroupViolation
                        {
                            ViolationTarget = "sg-0", ViolationTargetDescription = "Allows 0.0.0.0/0 on 22",
                            PartialMatches = new List<PartialMatch> { new PartialMatch { Reference = "sgr-1", TargetViolationReasons = new List<string> { "PORT_RANGE" } } },
                            PossibleSecurityGroupRemediationActions = new List<SecurityGroupRemediationAction>
                            {
                                new SecurityGroupRemediationAction { RemediationActionType = "REMOVE", Description = "Remove the rule", IsDefaultAction = true },
                                new SecurityGroupRemediationAction { RemediationActionType = "MODIFY", Description = "Narrow the rule", IsDefaultAction = false,
                                    RemediationResult = new SecurityGroupRuleDescription { IPV4Range = "10.0.0.0/8", Protocol = "tcp", FromPort = 22, ToPort = 22 } },
                            },
                        },
                    },
                    new ResourceViolation
                    {
                        InvalidNetworkAclEntriesViolation = new InvalidNetworkAclEntriesViolation { Subnet = "subnet-1", CurrentAssociatedNetworkAcl = "acl-1",
                            EntryViolations = new List<EntryViolation> { new EntryViolation { EntryViolationReasons = new List<string> { "MISSING_EXPECTED_ENTRY" } } } },
                        PossibleRemediationActions = new PossibleRemediationActions
                        {
                            Description = "Fix the NACL",
                            Actions = new List<PossibleRemediationAction>
                            {
                                new PossibleRemediationAction
                                {
                                    Description = "Recreate entries", IsDefaultAction = true,
                                    OrderedRemediationActions = new List<RemediationActionWithOrder>
                                    {
                                        new RemediationActionWithOrder { Order = 2, RemediationAction = new RemediationAction { CreateNetworkAclEntriesAction = new CreateNetworkAclEntriesAction { Description = "add", NetworkAclId = new ActionTarget { ResourceId = "acl-1" }, FMSCanRemediate = true } } },
                                        new RemediationActionWithOrder { Order = 1, RemediationAction = new RemediationAction { DeleteNetworkAclEntriesAction = new DeleteNetworkAclEntriesAction { Description = "remove", NetworkAclId = new ActionTarget { ResourceId = "acl-1" }, FMSCanRemediate = true } } },
                                    },
                                },
                            },
                        },
                    },
                },
            };
            var reference = await service.GetPolicyAsync(policy.PolicyId!);
            var violation = Assert.Single(await service.GetViolationsAsync(reference, TestData.Account(0), includeDetails: true).ToListAsync());

            Assert.True(violation.IsEnriched);
            Assert.Equal("web", violation.ResourceTags["team"]);
            Assert.Equal("web servers", violation.ResourceDescription);
            Assert.Equal(new[] { "AwsVPCSecurityGroupViolation", "InvalidNetworkAclEntriesViolation" }, violation.Details.Select(d => d.Kind));
            Assert.Contains("sgr-1 (PORT_RANGE)", violation.Details[0].Description);
            Assert.Contains("MISSING_EXPECTED_ENTRY", violation.Details[1].Description);
            Assert.Equal(3, violation.PossibleRemediationActions.Count);
            var nacl = violation.PossibleRemediationActions.Single(o => o.Description == "Recreate entries");
            Assert.Equal(new[] { "DeleteNetworkAclEntriesAction", "CreateNetworkAclEntriesAction" }, nacl.Actions.Select(a => a.ActionType));
            Assert.True(nacl.FMSCanRemediate);
            Assert.Contains("tcp port 22 from 10.0.0.0/8", violation.PossibleRemediationActions.Single(o => o.Description == "Narrow the rule").Actions[0].Description);
            Assert.Equal("Remove the rule", violation.DefaultRemediation!.Description);
        }

        [Fact]
        public async Task Unknown_policy_is_an_object_not_found_error()
        {
            var (_, service, _) = World(1);
            var error = await Assert.ThrowsAsync<FmsTools.Engine.Diagnostics.FmsTerminatingException>(() => service.GetPolicyAsync("00000000-0000-0000-0000-000000000000"));
            Assert.Equal("PolicyNotFound", error.Error.ErrorId);
            Assert.Equal(FmsTools.Engine.Diagnostics.FmsErrorCategory.ObjectNotFound, error.Error.Category);
        }
    }
}
