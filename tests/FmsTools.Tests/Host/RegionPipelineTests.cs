using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FmsTools.Aws;
using FmsTools.Aws.Fms;
using FmsTools.Engine.Connection;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// The declared pipelines with objects of another Region than the connection's (the demo organization has the same
    /// policies in us-east-1, the connection's Region, and eu-west-1): each piped object is read or changed in the Region
    /// it lives in, and the same policy of the connection's Region is left alone.
    /// </summary>
    public sealed class RegionPipelineTests
    {
        private const string Eu = "$eu = Get-FmsPolicy -Region eu-west-1 -Name demo-nacl-baseline; $us = Get-FmsPolicy -Name demo-nacl-baseline";

        [Theory]
        [InlineData("$eu | Set-FmsPolicy -Description 'changed in eu' -Confirm:$false",
            "(Get-FmsPolicy -Region eu-west-1 -PolicyId $eu.PolicyId).Description; (Get-FmsPolicy -PolicyId $us.PolicyId).Description -eq 'changed in eu'",
            "changed in eu|False")]
        [InlineData("$eu | Remove-FmsPolicy -Force",
            "@(Get-FmsPolicy -Region eu-west-1 -Name demo-nacl-baseline).Count; @(Get-FmsPolicy -Name demo-nacl-baseline).Count", "0|1")]
        [InlineData("$eu | Export-FmsPolicy -Path $dir -Confirm:$false",
            "$f = Import-FmsPolicy -Path $dir; $f.PolicyId -eq $eu.PolicyId; $f.Name", "True|demo-nacl-baseline")]
        [InlineData("$eu | Test-FmsPolicy -Quiet", "$out", "True")]
        [InlineData("$eu | Compare-FmsPolicy -Summary", "$out.Status; $out.PolicyId -eq $eu.PolicyId", "Equal|True")]
        [InlineData("Set-FmsTag -Region eu-west-1 -ResourceArn $eu.Arn -Tag @{ owner = 'eu-team' } -Confirm:$false; $eu | Get-FmsTag",
            "($out | Where-Object Key -eq owner).Value", "eu-team")]
        [InlineData("$eu | Set-FmsTag -Tag @{ owner = 'eu-team' } -Confirm:$false",
            "(Get-FmsTag -Region eu-west-1 -ResourceArn $eu.Arn | Where-Object Key -eq owner).Value", "eu-team")]
        [InlineData("Set-FmsTag -Region eu-west-1 -ResourceArn $eu.Arn -Tag @{ owner = 'eu-team' } -Confirm:$false; Get-FmsTag -Region eu-west-1 -ResourceArn $eu.Arn | Remove-FmsTag -Confirm:$false",
            "@(Get-FmsTag -Region eu-west-1 -ResourceArn $eu.Arn | Where-Object Key -eq owner).Count", "0")]
        [InlineData("$eu | Get-FmsComplianceReport", "(@($out.PolicyId | Sort-Object -Unique) -join ',') -eq $eu.PolicyId; @($out.Region | Sort-Object -Unique)", "True|eu-west-1")]
        [InlineData("$eu | Get-FmsCostEstimate", "($out | Where-Object Level -eq Policy).PolicyId -eq $eu.PolicyId", "True")]
        [InlineData("$since = [DateTime]::UtcNow; Set-FmsPolicy -Region eu-west-1 -PolicyId $eu.PolicyId -Description v1 -Confirm:$false; Set-FmsPolicy -Region eu-west-1 -PolicyId $eu.PolicyId -Description v2 -Confirm:$false; "
                    + "Get-FmsChangeHistory -PolicyId $eu.PolicyId -Since $since | Select-Object -First 1 | Restore-FmsPolicy -Confirm:$false",
            "(Get-FmsPolicy -Region eu-west-1 -PolicyId $eu.PolicyId).Description", "v1")]
        [InlineData("$eu, $us | Get-FmsComplianceReport", "@($out.Region | Sort-Object -Unique) -join ','; @($out.PolicyName | Sort-Object -Unique)", "eu-west-1,us-east-1|demo-nacl-baseline")]
        [InlineData("$eu, $us | Set-FmsPolicy -Description 'changed in both' -Confirm:$false",
            "(Get-FmsPolicy -Region eu-west-1 -PolicyId $eu.PolicyId).Description; (Get-FmsPolicy -PolicyId $us.PolicyId).Description", "changed in both|changed in both")]
        // A policy read from a file carries no Region: it is used in the connection's Region.
        [InlineData("$null = $us | Export-FmsPolicy -Path $dir -Confirm:$false; Import-FmsPolicy -Path $dir | Remove-FmsPolicy -Force",
            "@(Get-FmsPolicy -Name demo-nacl-baseline).Count; @(Get-FmsPolicy -Region eu-west-1 -Name demo-nacl-baseline).Count", "0|1")]
        [InlineData("$null = $us | Export-FmsPolicy -Path $dir -Confirm:$false; Import-FmsPolicy -Path $dir | Get-FmsComplianceReport",
            "@($out.Region | Sort-Object -Unique) -join ','; @($out.PolicyName | Sort-Object -Unique)", "us-east-1|demo-nacl-baseline")]
        public void A_piped_policy_is_used_in_its_own_Region(string pipeline, string verify, string expected)
        {
            using var env = new SandboxRunspace();
            CmdletCaseRunner.Evaluate(env, Eu);
            var result = env.Run(pipeline).ShouldSucceed();
            env.Session.Set("out", result.Output.ToArray());
            Assert.Equal(expected, CmdletCaseRunner.Evaluate(env, verify));
        }
    
        // The same lists and resource set in eu-west-1 and in us-east-1 (the connection's Region), and a VPC of eu-west-1.
        private const string Lists =
            "$app = @{ Name = 'https'; Protocol = 'tcp'; Port = 443 }; "
            + "$euApps = Set-FmsAppsList -Region eu-west-1 -Name region-apps -App $app -PassThru -Confirm:$false; "
            + "$usApps = Set-FmsAppsList -Name region-apps -App $app -PassThru -Confirm:$false; "
            + "$euProtocols = Set-FmsProtocolsList -Region eu-west-1 -Name region-protocols -Protocol tcp -PassThru -Confirm:$false; "
            + "$usProtocols = Set-FmsProtocolsList -Name region-protocols -Protocol tcp -PassThru -Confirm:$false; "
            + "$euSet = Set-FmsResourceSet -Region eu-west-1 -Name region-set -ResourceType AWS::EC2::VPC -PassThru -Confirm:$false; "
            + "$usSet = Set-FmsResourceSet -Name region-set -ResourceType AWS::EC2::VPC -PassThru -Confirm:$false";

        private const string EuSetWithVpc = "$null = Add-FmsResourceSetResource -Region eu-west-1 -ResourceSetId $euSet.Id -Uri $euVpc -Confirm:$false";

        [Theory]
        [InlineData("$euApps, $usApps, $euProtocols, $usProtocols, $euSet, $usSet | ForEach-Object Region", "$out -join ','",
            "eu-west-1,us-east-1,eu-west-1,us-east-1,eu-west-1,us-east-1")]
        [InlineData("Get-FmsAppsList -Region eu-west-1 -Name region-apps | Remove-FmsAppsList -Force",
            "@(Get-FmsAppsList -Region eu-west-1 -Name region-apps).Count; @(Get-FmsAppsList -Name region-apps).Count", "0|1")]
        [InlineData("Get-FmsAppsList -Region eu-west-1 -Name region-apps | Set-FmsAppsList -Tag @{ owner = 'eu-team' } -Confirm:$false",
            "(Get-FmsTag -ResourceArn $euApps.Arn | Where-Object Key -eq owner).Value; @(Get-FmsTag -ResourceArn $usApps.Arn).Count", "eu-team|0")]
        [InlineData("Get-FmsProtocolsList -Region eu-west-1 -Name region-protocols | Remove-FmsProtocolsList -Force",
            "@(Get-FmsProtocolsList -Region eu-west-1 -Name region-protocols).Count; @(Get-FmsProtocolsList -Name region-protocols).Count", "0|1")]
        [InlineData("Get-FmsProtocolsList -Region eu-west-1 -Name region-protocols | Set-FmsProtocolsList -Tag @{ owner = 'eu-team' } -Confirm:$false",
            "(Get-FmsTag -ResourceArn $euProtocols.Arn | Where-Object Key -eq owner).Value; @(Get-FmsTag -ResourceArn $usProtocols.Arn).Count", "eu-team|0")]
        [InlineData("Get-FmsResourceSet -Region eu-west-1 -Name region-set | Remove-FmsResourceSet -Force",
            "@(Get-FmsResourceSet -Region eu-west-1 -Name region-set).Count; @(Get-FmsResourceSet -Name region-set).Count", "0|1")]
        [InlineData("Get-FmsResourceSet -Region eu-west-1 -Name region-set | Set-FmsResourceSet -Tag @{ owner = 'eu-team' } -Confirm:$false",
            "(Get-FmsTag -ResourceArn $euSet.Arn | Where-Object Key -eq owner).Value; @(Get-FmsTag -ResourceArn $usSet.Arn).Count", "eu-team|0")]
        [InlineData("$euSet | Add-FmsResourceSetResource -Uri $euVpc -Confirm:$false",
            "(Get-FmsResourceSetResource -Region eu-west-1 -ResourceSetId $euSet.Id).Uri -eq $euVpc; $out.Succeeded", "True|True")]
        [InlineData(EuSetWithVpc + "; $euSet | Get-FmsResourceSetResource", "$out.Uri -eq $euVpc; $out.Region", "True|eu-west-1")]
        [InlineData(EuSetWithVpc + "; Get-FmsResourceSetResource -Region eu-west-1 -ResourceSetId $euSet.Id | Remove-FmsResourceSetResource -Confirm:$false",
            "@(Get-FmsResourceSetResource -Region eu-west-1 -ResourceSetId $euSet.Id).Count; $out.Succeeded", "0|True")]
        [InlineData("$euApps, $usApps | Remove-FmsAppsList -Force",
            "@(Get-FmsAppsList -Region eu-west-1 -Name region-apps).Count; @(Get-FmsAppsList -Name region-apps).Count", "0|0")]
        // An object without a Region (here one that carries only the id) is used in the connection's Region.
        [InlineData("$usApps | Select-Object ListId | Remove-FmsAppsList -Force",
            "@(Get-FmsAppsList -Region eu-west-1 -Name region-apps).Count; @(Get-FmsAppsList -Name region-apps).Count", "1|0")]
        [InlineData("$usSet | Select-Object Id | Remove-FmsResourceSet -Force",
            "@(Get-FmsResourceSet -Region eu-west-1 -Name region-set).Count; @(Get-FmsResourceSet -Name region-set).Count", "1|0")]
        public void A_piped_list_or_resource_set_is_used_in_its_own_Region(string pipeline, string verify, string expected)
        {
            using var env = new SandboxRunspace();
            CmdletCaseRunner.Evaluate(env, Lists);
            env.Session.Set("euVpc", EuVpcArn(env));
            var result = env.Run(pipeline).ShouldSucceed();
            env.Session.Set("out", result.Output.ToArray());
            Assert.Equal(expected, CmdletCaseRunner.Evaluate(env, verify));
        }

        /// <summary>A VPC of eu-west-1 that a resource set there accepts, as the sandbox's ListDiscoveredResources lists it.</summary>
        private static string EuVpcArn(SandboxRunspace env)
        {
            var host = env.Sandbox;
            var fms = SessionCache.GetOrCreate(ConnectionResolver.Resolve(new[]
            {
                new ConnectionSettings
                {
                    Source = "test", EndpointUrl = host.Endpoint, Region = "eu-west-1", AccessKey = host.AccessKeyId, SecretKey = host.SecretAccessKey,
                },
            }).Options).Fms;
            foreach (var account in host.AccountIds)
            {
                var request = new ListDiscoveredResourcesRequest { MemberAccountIds = new List<string> { account }, ResourceType = "AWS::EC2::VPC", MaxResults = 100 };
                try
                {
                    var vpc = fms.ListDiscoveredResourcesItemsAsync(request).ToBlockingEnumerable().FirstOrDefault(r => r.URI != null);
                    if (vpc != null) return vpc.URI!;
                }
                catch (FmsTools.Aws.Runtime.AwsServiceException)
                {
                    // An account outside the administrator's scope (the management account).
                }
            }
            throw new Xunit.Sdk.XunitException("The demo organization has no VPC in eu-west-1.");
        }

        [Theory]
        [InlineData("Remove-FmsAppsList -ListId $us.PolicyId -Region mars-1 -WhatIf")]
        [InlineData("Remove-FmsPolicy -PolicyId $us.PolicyId -Region mars-1 -WhatIf")]
        [InlineData("$us | Remove-FmsPolicy -Region mars-1 -WhatIf")]
        [InlineData("Get-FmsComplianceReport -Region mars-1")]
        public void A_malformed_Region_on_a_cmdlet_that_binds_it_from_the_pipeline_still_fails_binding(string command)
        {
            using var env = new SandboxRunspace();
            CmdletCaseRunner.Evaluate(env, Eu);
            var mark = env.Mark;
            var error = env.Run(command).Error;
            Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId, System.StringComparison.Ordinal);
            Assert.Contains("Region.Format", error.Exception.Message, System.StringComparison.Ordinal);
            Assert.Empty(env.RequestsSince(mark));
        }
    }
}
