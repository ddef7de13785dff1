using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using FmsTools.Aws;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox;
using FmsTools.Sandbox.Evaluation;
using FmsTools.Sandbox.World;
using Xunit;

namespace FmsTools.Tests.Bench
{
    /// <summary>
    /// The sandbox fixes the benchmark justified: cached evaluations without violation details, details read for one
    /// account on demand, one cached evaluation per policy and region, and ListComplianceStatus building only its page.
    /// </summary>
    public class EvaluationMemoryTests
    {
        private const string Region = "us-east-1";
        private static readonly DateTime Now = new DateTime(2025, 6, 1, 12, 0, 30, DateTimeKind.Utc);

        private static (World World, Policy ContentAudit, Policy UsageAudit) Generated()
        {
            var world = World.Generate(12, 30, 7);
            var admin = world.Organization.FmsAdministratorAccountId;
            var audit = world.AllResources().Single(r => r.AccountId == admin && r.Region == Region && r.Name == "fms-audit-deny-sg").Id;
            var contentAudit = new Policy
            {
                PolicyId = "11111111-2222-3333-4444-555555555555", PolicyName = "content-audit",
                SecurityServicePolicyData = new SecurityServicePolicyData
                {
                    Type = SecurityServiceTypeValues.SecurityGroupsContentAudit,
                    ManagedServiceData = "{\"type\":\"SECURITY_GROUPS_CONTENT_AUDIT\",\"securityGroups\":[{\"id\":\"" + audit + "\"}],\"securityGroupAction\":{\"type\":\"DENY\"}}",
                },
                ResourceType = ResourceTypes.SecurityGroup, ExcludeResourceTags = false, RemediationEnabled = false,
            };
            var usageAudit = new Policy
            {
                PolicyId = "66666666-7777-8888-9999-000000000000", PolicyName = "usage-audit",
                SecurityServicePolicyData = new SecurityServicePolicyData
                {
                    Type = SecurityServiceTypeValues.SecurityGroupsUsageAudit,
                    ManagedServiceData = "{\"type\":\"SECURITY_GROUPS_USAGE_AUDIT\",\"deleteUnusedSecurityGroups\":true,\"coalesceRedundantSecurityGroups\":true}",
                },
                ResourceType = ResourceTypes.SecurityGroup, ExcludeResourceTags = false, RemediationEnabled = false,
            };
            return (world, contentAudit, usageAudit);
        }

        private static string Json(object value) => JsonSerializer.Serialize(value);

        [Fact]
        public void Cached_evaluation_without_details_answers_compliance_like_the_full_one_and_EvaluateAccount_restores_the_details()
        {
            var (world, policy, _) = Generated();
            var full = PolicyEvaluator.EvaluateUncached(world, policy, Region, Now);
            var lean = new PolicyEvaluator { RetainViolationDetails = false }.Evaluate(world, policy, Region, Now);

            Assert.True(full.AllViolations.Count(v => v.Details.Count > 0) > 10, "the content audit policy yields violations with details");
            Assert.All(lean.AllViolations, v => Assert.Empty(v.Details));
            Assert.Equal(Json(full.ToComplianceStatuses("admin", Now)), Json(lean.ToComplianceStatuses("admin", Now)));
            foreach (var account in full.Accounts)
            {
                Assert.Equal(Json(full.ToComplianceDetail(account.AccountId, "admin", Now)), Json(lean.ToComplianceDetail(account.AccountId, "admin", Now)));
                var single = PolicyEvaluator.EvaluateAccount(world, policy, Region, account.AccountId, Now);
                Assert.Equal(new[] { account.AccountId }, single.Accounts.Select(a => a.AccountId));
                foreach (var violation in account.Violations)
                    Assert.Equal(Json(full.GetViolationDetail(world, account.AccountId, violation.ResourceId, violation.ResourceType)!),
                        Json(single.GetViolationDetail(world, account.AccountId, violation.ResourceId, violation.ResourceType)!));
            }
            Assert.Empty(PolicyEvaluator.EvaluateAccount(world, policy, Region, "000000000000", Now).Accounts);
        }

        [Fact]
        public void A_policy_whose_cache_key_moves_with_the_minute_keeps_one_cached_evaluation()
        {
            var (world, contentAudit, usageAudit) = Generated();
            var evaluator = new PolicyEvaluator();
            var first = evaluator.Evaluate(world, usageAudit, Region, Now);
            Assert.Same(first, evaluator.Evaluate(world, usageAudit, Region, Now.AddSeconds(10)));
            for (var minute = 1; minute <= 5; minute++)
                Assert.NotSame(first, evaluator.Evaluate(world, usageAudit, Region, Now.AddMinutes(minute)));
            evaluator.Evaluate(world, contentAudit, Region, Now);
            evaluator.Evaluate(world, usageAudit, "eu-west-1", Now);
            Assert.Equal(3, evaluator.CachedEvaluations);
        }

        [Fact]
        public async Task Through_the_sandbox_pages_of_statuses_match_the_evaluation_and_violation_details_survive_the_lean_cache()
        {
            using var host = SandboxHost.Start(new SandboxOptions { AccountCount = 12, ResourcesPerAccount = 30, Seed = 7 });
            using var session = AwsSessionFactory.Create(new AwsConnectionOptions
            {
                EndpointUrl = host.Endpoint, AccessKey = host.AccessKeyId, SecretKey = host.SecretAccessKey, Region = host.Region,
            });
            var (world, policy, _) = Generated();
            Assert.Equal(world.Organization.FmsAdministratorAccountId, host.AdminAccountId);
            policy.PolicyId = null;
            var created = await session.Fms.PutPolicyAsync(new PutPolicyRequest { Policy = policy });
            var policyId = created.Policy!.PolicyId!;
            // Small pages: every page builds only its own statuses; together they are the whole evaluation, in order.
            var listed = new List<PolicyComplianceStatus>();
            string? token = null;
            do
            {
                var page = await session.Fms.ListComplianceStatusAsync(new ListComplianceStatusRequest { PolicyId = policyId, MaxResults = 5, NextToken = token });
                Assert.InRange(page.PolicyComplianceStatusList!.Count, 1, 5);
                listed.AddRange(page.PolicyComplianceStatusList);
                token = page.NextToken;
            } while (token != null);
            var expected = PolicyEvaluator.EvaluateUncached(world, policy, Region, Now).Accounts;
            Assert.Equal(expected.Select(a => (a.AccountId, (long)a.Violations.Count)),
                listed.Select(s => (s.MemberAccount!, s.EvaluationResults!.Sum(r => r.ComplianceStatus == "NON_COMPLIANT" ? r.ViolatorCount ?? 0 : 0))));
            var account = listed.First(s => s.EvaluationResults!.Any(r => r.ComplianceStatus == "NON_COMPLIANT")).MemberAccount!;
            var detail = await session.Fms.GetComplianceDetailAsync(new GetComplianceDetailRequest { PolicyId = policyId, MemberAccount = account });
            var violator = detail.PolicyComplianceDetail!.Violators!.First();
            var violation = await session.Fms.GetViolationDetailsAsync(new GetViolationDetailsRequest
            {
                PolicyId = policyId, MemberAccount = account, ResourceId = violator.ResourceId, ResourceType = violator.ResourceType,
            });
            Assert.NotNull(Assert.Single(violation.ViolationDetail!.ResourceViolations!).AwsVPCSecurityGroupViolation);
        }
    }
}
