using System;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Cmdlets;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// A malformed -Region, -AccountId, -PolicyId, OU id, resource set id, list id or ARN is an error when PowerShell binds it,
    /// naming the parameter and the rule, before any call: "Get-FmsPolicy -Region mars-1" and "Get-FmsComplianceStatus
    /// -AccountId abc" no longer return nothing.
    /// </summary>
    public sealed class MalformedIdentifierFailsBindingTests : IClassFixture<SandboxCmdletFixture>
    {
        private const string GoodPolicyId = "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d";
        private readonly SandboxCmdletFixture _sandbox;

        public MalformedIdentifierFailsBindingTests(SandboxCmdletFixture sandbox) { _sandbox = sandbox; }

        private PowerShellSession Connected()
        {
            var session = new PowerShellSession();
            session.Set("sandbox", _sandbox.Host);
            session.Run("$null = $sandbox | Connect-Fms").ShouldSucceed();
            return session;
        }

        public static TheoryData<string, string, string> Malformed => new TheoryData<string, string, string>
        {
            { "Get-FmsPolicy -Region mars-1", "Region", "Region.Format" },
            { "Get-FmsPolicy -Region US-EAST-1", "Region", "Region.Format" },
            { "Get-FmsComplianceStatus -AccountId abc", "AccountId", "AccountId.Format" },
            { "Get-FmsPolicy -PolicyId abc", "PolicyId", "PolicyId.Format" },
            { "Get-FmsComplianceStatus -PolicyId abc", "PolicyId", "PolicyId.Format" },
            { "Get-FmsComplianceReport -Region us-east-1, mars-1", "Region", "Region.Format" },
            { "Get-FmsComplianceReport -AccountId 31000000000", "AccountId", "AccountId.Format" },
            { "Get-FmsViolation -PolicyId " + GoodPolicyId + " -AccountId abc", "AccountId", "AccountId.Format" },
            { "Test-FmsCompliance -AccountId abc", "AccountId", "AccountId.Format" },
            { "Assert-FmsCompliance -PolicyId abc", "PolicyId", "PolicyId.Format" },
            { "Watch-FmsCompliance -Once -SnapshotPath ./never-written.json -AccountId abc", "AccountId", "AccountId.Format" },
            { "Invoke-FmsRemediation -PolicyId abc -WhatIf", "PolicyId", "PolicyId.Format" },
            { "Invoke-FmsRemediation -PolicyId " + GoodPolicyId + " -AccountId abc -WhatIf", "AccountId", "AccountId.Format" },
            { "Remove-FmsPolicy -PolicyId abc -WhatIf", "PolicyId", "PolicyId.Format" },
            { "Restore-FmsPolicy -PolicyId abc -Version 1 -WhatIf", "PolicyId", "PolicyId.Format" },
            { "Set-FmsPolicy -PolicyId abc -Description x -WhatIf", "PolicyId", "PolicyId.Format" },
            { "Get-FmsChangeHistory -PolicyId abc", "PolicyId", "PolicyId.Format" },
            { "Get-FmsAdminScope -AdminAccount abc", "AdminAccount", "AccountId.Format" },
            { "Set-FmsAdminAccount -AccountId abc -WhatIf", "AccountId", "AccountId.Format" },
            { "Set-FmsAdminAccount -AccountId 111111111111 -ScopeRegion mars-1 -WhatIf", "ScopeRegion", "Region.Format" },
            { "Set-FmsAdminAccount -AccountId 111111111111 -ScopeOrganizationalUnit ou-bad -WhatIf", "ScopeOrganizationalUnit", "OrganizationalUnitId.Format" },
            { "New-FmsShieldPolicy -Name x -ResourceType AWS::EC2::EIP -IncludeAccount 12345 -WhatIf", "IncludeAccount", "AccountId.Format" },
            { "New-FmsShieldPolicy -Name x -ResourceType AWS::EC2::EIP -ExcludeOrganizationalUnit ou-bad -WhatIf", "ExcludeOrganizationalUnit", "OrganizationalUnitId.Format" },
            { "New-FmsShieldPolicy -Name x -ResourceType AWS::EC2::EIP -ResourceSetId short -WhatIf", "ResourceSetId", "ResourceSetId.Format" },
            { "New-FmsShieldPolicy -Name x -ResourceType AWS::EC2::EIP -Region mars-1 -Offline", "Region", "Region.Format" },
            { "New-FmsNetworkFirewallPolicy -Name x -DeploymentModel Centralized -InspectionVpcId vpc-0123456789abcdef0 -InspectionAccountId abc -WhatIf", "InspectionAccountId", "AccountId.Format" },
            { "Get-FmsAppsList -ListId abc", "ListId", "ListId.Format" },
            { "Remove-FmsProtocolsList -ListId abc -WhatIf", "ListId", "ListId.Format" },
            { "Get-FmsResourceSet -Id abc", "Id", "ResourceSetId.Format" },
            { "Get-FmsResourceSetResource -ResourceSetId abc", "ResourceSetId", "ResourceSetId.Format" },
            { "Add-FmsResourceSetResource -ResourceSetId abc -Uri arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcdef0 -WhatIf", "ResourceSetId", "ResourceSetId.Format" },
            { "Get-FmsTag -ResourceArn abc", "ResourceArn", "Arn.Format" },
            { "Connect-Fms -Region mars-1 -SkipValidation", "Region", "Region.Format" },
            { "Start-FmsSandbox -Region mars-1", "Region", "Region.Format" },
        };

        [Theory]
        [MemberData(nameof(Malformed))]
        public void A_malformed_identifier_fails_binding_naming_the_parameter_and_the_rule_before_any_call(string command, string parameter, string rule)
        {
            using var session = Connected();
            var calls = _sandbox.Host.RequestLog.TotalCount;

            var result = session.Run(command);

            var error = result.Error;
            Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Contains($"parameter '{parameter}'", error.Exception.Message);
            Assert.Contains($"(rule {rule})", error.Exception.Message);
            Assert.Empty(result.Output);
            Assert.Equal(calls, _sandbox.Host.RequestLog.TotalCount);
        }

        [Fact]
        public void Well_formed_identifiers_bind_and_the_commands_answer()
        {
            using var session = Connected();
            var region = _sandbox.Host.Region;
            Assert.NotEmpty(session.Run($"Get-FmsPolicy -Region {region}").ShouldSucceed().Output);
            var policy = session.Run($"Get-FmsPolicy -Name {DemoOrganization.WafPolicyName}").ShouldSucceed().OutputOf<FmsPolicy>().Single();
            session.Set("policy", policy);
            Assert.NotEmpty(session.Run($"Get-FmsComplianceStatus -PolicyId $policy.PolicyId -AccountId {DemoOrganization.ProdWeb}").ShouldSucceed().Output);
            Assert.NotEmpty(session.Run($"$policy | Get-FmsPolicy").ShouldSucceed().Output); // PolicyId bound from the pipeline
            // Regions of every partition have the form; only the FMS model's region list is narrower (Policy.Region.Format).
            foreach (var name in new[] { "us-east-1", "us-gov-west-1", "cn-north-1", "us-isob-east-1", "eusc-de-east-1" })
                Assert.True(IdentifierRules.IsValid(IdentifierKind.Region, name), name);
        }
    }
}
