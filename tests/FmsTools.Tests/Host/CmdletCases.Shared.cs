using System;

namespace FmsTools.Tests.Host
{
    /// <summary>The scripts and values the cases share: objects they create, probes and the demo's ground truth.</summary>
    public static partial class CmdletCases
    {
        private const string Vpc = "'arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcdef0'";
        private const string Alb = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        private const string TopicArn = "arn:aws:sns:us-east-1:222222222222:fms-alerts";
        private const string RoleArn = "arn:aws:iam::222222222222:role/fms-sns";
        private const string SetChannel = "Set-FmsNotificationChannel -SnsTopicArn '" + TopicArn + "' -SnsRoleArn '" + RoleArn + "' -Confirm:$false";
        private const string NewSet = "$set = Set-FmsResourceSet -Name host-set -ResourceType AWS::EC2::VPC -PassThru -Confirm:$false";
        private const string NewSetWithVpc = NewSet + "; $null = $set | Add-FmsResourceSetResource -Uri " + Vpc + " -Confirm:$false";
        private const string NewAppsList = "$list = Set-FmsAppsList -Name host-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 } -PassThru -Confirm:$false";
        private const string NewProtocolsList = "$list = Set-FmsProtocolsList -Name host-protocols -Protocol tcp -PassThru -Confirm:$false";
        private const string Health = "foreach ($h in @({0})) {{ try {{ $null = Invoke-RestMethod ($h.Endpoint + '/_sandbox/health') -TimeoutSec 10; 'running' }} catch {{ 'stopped' }} }}";
        private const string SessionEndpoint = "(Get-Variable FmsToolsSessionDefaults -Scope Global -ValueOnly -ErrorAction Ignore).EndpointUrl";
        private const string Journaled = "$null = New-FmsShieldPolicy -Name host-restore -ResourceType AWS::EC2::EIP -Description v1 -Confirm:$false; "
                                         + "$p = Get-FmsPolicy -Name host-restore; Set-FmsPolicy -PolicyId $p.PolicyId -Description v2 -Confirm:$false";
        private const string WithoutRemediation = "$p = Get-FmsPolicy -Name demo-waf-baseline; Set-FmsPolicy -PolicyId $p.PolicyId -RemediationEnabled:$false -Confirm:$false";
        private const string RemediationProbe = "(Get-FmsPolicy -PolicyId $p.PolicyId).RemediationEnabled";
        private const string Baseline = "$snap = Join-Path $dir 'watch.json'; Watch-FmsCompliance -PolicyName demo-dns-firewall -Once -SnapshotPath $snap; "
                                        + "$null = $sandbox.Clock.Advance([timespan]::FromMinutes(5))";
        private const string WatchedChanges = "@($out.Status | Sort-Object -Unique) -join '+'; @($out | Where-Object IsResource).Count";
        private const string RemediatedViolators = "'Compliant'; @(" + "[FmsTools.Sandbox.World.DemoOrganization]::ExpectedViolations('demo-dns-firewall', 'us-east-1') | Where-Object FmsRemediates).Count";
        private const string AdminIds = "@(Get-FmsAdminAccount -All | Sort-Object AccountId).AccountId";

        /// <summary>The demo organization's documented violators of a policy in us-east-1 (its ground truth).</summary>
        private static string Violators(string policy) => $"[FmsTools.Sandbox.World.DemoOrganization]::ExpectedViolations('{policy}', 'us-east-1')";

        /// <summary>
        /// A create leaves the policy deployed; its output is the created policy or nothing (New-Fms*Policy emits the created
        /// policy without -PassThru once that change lands), never anything else.
        /// </summary>
        private static CmdletCase Create(string cmdlet, string set, string name, string act, string type, string? arrange = null) => new CmdletCase(cmdlet, set, act)
        {
            Arrange = arrange,
            Probe = $"(Get-FmsPolicy -Name {name}).Type",
            ProbeAfter = type,
            Verify = $"@($out | Where-Object {{ $_.Name -ne '{name}' -or $_.PolicyId -ne (Get-FmsPolicy -Name {name}).PolicyId }}).Count",
            Expect = "0",
        };
    }
}
