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
    
        [Theory]
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
