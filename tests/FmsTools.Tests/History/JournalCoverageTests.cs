using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.History;
using FmsTools.Engine.Policies;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.History
{
    /// <summary>
    /// Every cmdlet that supports ShouldProcess (as PowerShell reports it) is run for real in a runspace against the sandbox,
    /// with the journal where $env:FMSTOOLS_JOURNAL points: the journal must gain exactly one entry per state-changing call the
    /// sandbox served (matched by request id), with the expected target type and operation; -WhatIf must record nothing. The
    /// journal folder is the process's environment, so the test runs alone.
    /// </summary>
    [Collection(FmsTools.Tests.Infrastructure.RunsAlone.Name)]
    public sealed class JournalCoverageTests : IClassFixture<SandboxSessionFixture>, IDisposable
    {
        private const string Alb = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        private readonly SandboxSessionFixture _fixture;
        private readonly JournalEnvironment _journal;

        public JournalCoverageTests(SandboxSessionFixture fixture)
        {
            _fixture = fixture;
            _journal = new JournalEnvironment(fixture.Env.Session);
        }

        public void Dispose() => _journal.Dispose();

        /// <summary>Cmdlets that support -WhatIf but make no FMS write, so they have nothing to journal.</summary>
        private static readonly Dictionary<string, string> Excluded = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Connect-Fms"] = "stores connection defaults in the session (and may start a local sandbox); it calls only STS GetCallerIdentity",
            ["Disconnect-Fms"] = "clears the session's connection defaults and optionally stops a local sandbox process; no FMS call",
            ["Start-FmsSandbox"] = "starts a local sandbox process; it changes nothing in FMS",
            ["Stop-FmsSandbox"] = "stops a local sandbox process; it changes nothing in FMS",
            ["Export-FmsPolicy"] = "writes policy files to disk; its only calls are reads",
            ["Export-FmsConfiguration"] = "writes configuration files to disk; its only calls are reads",
            ["Import-FmsConfiguration"] = "reads configuration files into objects; it calls no service (its ShouldProcess only lets -WhatIf list the files)",
            ["Export-FmsComplianceReport"] = "writes a report file from objects already read; it calls no service",
            ["Import-FmsPolicy"] = "reads policy files into objects; it calls no service (its ShouldProcess only lets -WhatIf list the files)",
        };

        /// <summary>One cmdlet run: prepared outside the measured window, then run (once under -WhatIf), then the journal it must leave.</summary>
        private sealed class Case
        {
            public Case(string name, string act, params (ChangeTargetType, string)[] expected)
            {
                Name = name;
                Act = act;
                Expected = expected;
            }

            public string Name { get; }

            /// <summary>One pipeline ending with the cmdlet, without -WhatIf (added for the preview run).</summary>
            public string Act { get; }

            public string? Prepare { get; init; }

            /// <summary>Signs as the organization's management account (the act is splatted with @mgmt).</summary>
            public bool AsManagement { get; init; }

            /// <summary>(target type, operation) of each entry the run must record, in any order.</summary>
            public (ChangeTargetType Type, string Operation)[] Expected { get; }

            public string Script(string extra) => Act + extra + (AsManagement ? " @mgmt" : "");
        }

        private static Case Create(string cmdlet, string parameters)
            => new Case(cmdlet, $"{cmdlet} -Name journal-{cmdlet} {parameters}", (ChangeTargetType.Policy, ChangeOperations.CreatePolicy));

        private List<Case> Cases()
        {
            var policies = _fixture.Read<FmsPolicy>("$policies = Get-FmsPolicy -Detailed; $policies");
            var waf = policies.First(p => p.TypeValue == FmsPolicyType.WafV2);
            var rows = _fixture.Read<FmsComplianceStatus>("Get-FmsComplianceStatus");
            var remediate = rows.First(r => r.StatusValue == FmsComplianceState.NonCompliant && r.PolicyId != waf.PolicyId).PolicyId!;
            var deletable = policies.First(p => p.PolicyId != waf.PolicyId && p.PolicyId != remediate);
            _fixture.Set("waf", waf);
            _fixture.Set("remediate", remediate);
            _fixture.Set("deletable", deletable);
            _fixture.Set("files", _fixture.NewFolder());
            _fixture.Succeed("$topic = \"arn:aws:sns:us-east-1:$($sandbox.AdminAccountId):fms-alerts\"; $role = \"arn:aws:iam::$($sandbox.AdminAccountId):role/fms-sns\"; "
                             + "$vpc = 'arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcdef0'");
            const string deny = "'arn:aws:network-firewall:us-east-1:222222222222:stateful-rulegroup/deny-domains'";
            var update = (ChangeTargetType.Policy, ChangeOperations.UpdatePolicy);

            return new List<Case>
            {
                Create("New-FmsDnsFirewallPolicy", "-PreProcessRuleGroup 'rslvr-frg-0123456789abcdef'"),
                new Case("New-FmsImportNetworkFirewallPolicy", "New-FmsImportNetworkFirewallPolicy -Name journal-import -ResourceSetId $importSet.Id -StatefulRuleGroup " + deny,
                    (ChangeTargetType.Policy, ChangeOperations.CreatePolicy))
                {
                    Prepare = "$importSet = Set-FmsResourceSet -Name import-set -ResourceType AWS::EC2::VPC -PassThru",
                },
                Create("New-FmsNetworkAclPolicy", "-FirstEntry @{ Action = 'deny'; Protocol = 'tcp'; CidrBlock = '0.0.0.0/0'; Port = 22 }"),
                Create("New-FmsNetworkFirewallPolicy", "-StatefulRuleGroup " + deny),
                Create("New-FmsSecurityGroupPolicy", "-SecurityGroupId 'sg-0123456789abcdef0'"),
                Create("New-FmsShieldPolicy", "-ResourceType " + Alb),
                Create("New-FmsThirdPartyFirewallPolicy", "-Vendor PaloAltoCloudNgfw -FirewallPolicy global-rulestack-prod -AvailabilityZone us-east-1a"),
                Create("New-FmsWafClassicPolicy", "-RuleGroupId 'a1b2c3d4-5678-90ab-cdef-000000000002' -ResourceType " + Alb),
                Create("New-FmsWafPolicy", "-ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet' -ResourceType " + Alb),
                // The policy update and the tag change are separate calls, so separate entries.
                new Case("Set-FmsPolicy", "Set-FmsPolicy -PolicyId $waf.PolicyId -Description journaled -Tag @{ owner = 'journal-test' }",
                    update, (ChangeTargetType.Tags, ChangeOperations.TagResource)),
                new Case("Sync-FmsPolicy", "Sync-FmsPolicy -Path $files", update, (ChangeTargetType.Policy, ChangeOperations.CreatePolicy))
                {
                    Prepare = "$changed = Get-FmsPolicy -PolicyId $waf.PolicyId; $changed.Description = 'changed by a file'; $null = $changed | Export-FmsPolicy -Path $files; "
                              + $"$null = New-FmsShieldPolicy -Name from-file -ResourceType {Alb} -Offline -Region us-east-1 | Export-FmsPolicy -Path $files",
                },
                new Case("Sync-FmsConfiguration", "Sync-FmsConfiguration -Path $configuration -Kind AppsList", (ChangeTargetType.AppsList, ChangeOperations.CreateAppsList))
                {
                    Prepare = "$configuration = Join-Path $files 'configuration'; $null = New-Item -ItemType Directory -Force (Join-Path $configuration 'us-east-1/apps-lists'); "
                              + "'{ \"schema\": \"fmstools.appslist/v1\", \"name\": \"journal-config-apps\", \"apps\": [ { \"name\": \"https\", \"protocol\": \"tcp\", \"port\": 443 } ] }' "
                              + "| Set-Content (Join-Path $configuration 'us-east-1/apps-lists/journal-config-apps.fmsappslist.json')",
                },
                // Version 1 of the WAF policy is what Set-FmsPolicy left above.
                new Case("Restore-FmsPolicy", "Restore-FmsPolicy -PolicyId $waf.PolicyId -Version 1 -JournalPath $journal", (ChangeTargetType.Policy, ChangeOperations.Restore)),
                new Case("Invoke-FmsRemediation", "Invoke-FmsRemediation -PolicyId $remediate -Force", update)
                {
                    Prepare = "Set-FmsPolicy -PolicyId $remediate -RemediationEnabled:$false",
                },
                new Case("Remove-FmsPolicy", "Remove-FmsPolicy -PolicyId $deletable.PolicyId -Force", (ChangeTargetType.Policy, ChangeOperations.DeletePolicy)),
                new Case("Set-FmsAppsList", "Set-FmsAppsList -Name journal-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 }",
                    (ChangeTargetType.AppsList, ChangeOperations.CreateAppsList)),
                new Case("Remove-FmsAppsList", "Remove-FmsAppsList -ListId $apps.ListId -Force", (ChangeTargetType.AppsList, ChangeOperations.DeleteAppsList))
                {
                    Prepare = "$apps = Get-FmsAppsList -Name journal-apps",
                },
                new Case("Set-FmsProtocolsList", "Set-FmsProtocolsList -Name journal-protocols -Protocol tcp", (ChangeTargetType.ProtocolsList, ChangeOperations.CreateProtocolsList)),
                new Case("Remove-FmsProtocolsList", "Remove-FmsProtocolsList -ListId $protocols.ListId -Force", (ChangeTargetType.ProtocolsList, ChangeOperations.DeleteProtocolsList))
                {
                    Prepare = "$protocols = Get-FmsProtocolsList -Name journal-protocols",
                },
                new Case("Set-FmsResourceSet", "Set-FmsResourceSet -Name journal-set -ResourceType AWS::EC2::VPC", (ChangeTargetType.ResourceSet, ChangeOperations.CreateResourceSet)),
                new Case("Add-FmsResourceSetResource", "Add-FmsResourceSetResource -ResourceSetId $set.Id -Uri $vpc", (ChangeTargetType.ResourceSet, ChangeOperations.AssociateResources))
                {
                    Prepare = "$set = Get-FmsResourceSet -Name journal-set",
                },
                new Case("Remove-FmsResourceSetResource", "Remove-FmsResourceSetResource -ResourceSetId $set.Id -Uri $vpc",
                    (ChangeTargetType.ResourceSet, ChangeOperations.DisassociateResources)),
                new Case("Remove-FmsResourceSet", "Remove-FmsResourceSet -Id $set.Id -Force", (ChangeTargetType.ResourceSet, ChangeOperations.DeleteResourceSet)),
                new Case("Set-FmsNotificationChannel", "Set-FmsNotificationChannel -SnsTopicArn $topic -SnsRoleArn $role",
                    (ChangeTargetType.NotificationChannel, ChangeOperations.SetNotificationChannel)),
                new Case("Remove-FmsNotificationChannel", "Remove-FmsNotificationChannel -Force", (ChangeTargetType.NotificationChannel, ChangeOperations.DeleteNotificationChannel)),
                new Case("Set-FmsTag", "Set-FmsTag -ResourceArn $waf.Arn -Tag @{ env = 'prod' }", (ChangeTargetType.Tags, ChangeOperations.TagResource)),
                new Case("Remove-FmsTag", "Remove-FmsTag -ResourceArn $waf.Arn -Key env", (ChangeTargetType.Tags, ChangeOperations.UntagResource)),
                // FMS removes the default administrator's policies with it; the administrator removes itself.
                new Case("Remove-FmsAdminAccount", "Remove-FmsAdminAccount -Force", (ChangeTargetType.AdminAccount, ChangeOperations.DisassociateAdminAccount)),
                new Case("Set-FmsAdminAccount", "Set-FmsAdminAccount -AccountId $sandbox.AdminAccountId -Force", (ChangeTargetType.AdminAccount, ChangeOperations.AssociateAdminAccount))
                {
                    AsManagement = true,
                },
                new Case("Set-FmsAdminAccount", "Set-FmsAdminAccount -AccountId 310000000002 -ScopeRegion us-east-1 -Force", (ChangeTargetType.AdminAccount, ChangeOperations.PutAdminAccount))
                {
                    AsManagement = true,
                },
            };
        }

        private List<FmsChangeEntry> Journal()
        {
            var result = _fixture.Succeed("Get-FmsChangeHistory");
            Assert.Empty(result.Warnings); // a line that does not parse is a warning
            return result.OutputOf<FmsChangeEntry>().ToList();
        }

        [Fact]
        public void Every_mutating_cmdlet_journals_one_entry_per_state_changing_call_and_WhatIf_journals_nothing()
        {
            var mutating = CmdletFacts.All.Values.Where(f => f.SupportsShouldProcess).Select(f => f.Name).ToList();
            Assert.True(mutating.Count >= 30, $"Only {mutating.Count} cmdlets support ShouldProcess; Get-Command's metadata is not what the test expects.");
            var cases = Cases();
            var covered = new HashSet<string>(cases.Select(c => c.Name), StringComparer.Ordinal);
            var missing = mutating.Where(n => !covered.Contains(n) && !Excluded.ContainsKey(n)).ToList();
            Assert.True(missing.Count == 0, "Cmdlets that support -WhatIf with neither a journal case nor a reason to be excluded: " + string.Join(", ", missing));
            Assert.Empty(covered.Intersect(Excluded.Keys));
            var stale = covered.Concat(Excluded.Keys).Where(n => !mutating.Contains(n)).ToList();
            Assert.True(stale.Count == 0, "Cases or exclusions for cmdlets that do not support -WhatIf: " + string.Join(", ", stale));

            var failures = new List<string>();
            foreach (var @case in cases)
            {
                if (@case.Prepare != null) _fixture.Succeed(@case.Prepare);

                // -WhatIf: says what it would do, sends nothing, records nothing.
                var before = Journal().Count;
                var text = _fixture.Host.Text.Length;
                var preview = _fixture.Run(@case.Script(" -WhatIf"));
                if (preview.AllErrors().Count > 0) failures.Add($"{@case.Name} -WhatIf failed: {string.Join("; ", preview.AllErrors().Select(PowerShellResult.Describe))}");
                if (_fixture.Host.WhatIfLines(text).Count == 0) failures.Add($"{@case.Name} -WhatIf never said what it would do.");
                if (Journal().Count != before) failures.Add($"{@case.Name} -WhatIf wrote to the journal.");

                // For real.
                var known = new HashSet<string>(Journal().Select(e => e.Id), StringComparer.Ordinal);
                var prompts = _fixture.Host.Prompts.Count;
                var mark = _fixture.Mark;
                var run = _fixture.Run(@case.Script(""));
                if (run.AllErrors().Count > 0) failures.Add($"{@case.Name} failed: {string.Join("; ", run.AllErrors().Select(PowerShellResult.Describe))}");
                if (_fixture.Host.Prompts.Count != prompts) failures.Add($"{@case.Name} prompted.");
                var calls = _fixture.MutatingSince(mark).Where(e => e.Service != "sandbox").ToList();
                var added = Journal().Where(e => !known.Contains(e.Id)).ToList();

                var callIds = calls.Select(c => c.RequestId).OrderBy(i => i, StringComparer.Ordinal).ToList();
                var entryIds = added.Select(e => e.RequestId ?? "(none)").OrderBy(i => i, StringComparer.Ordinal).ToList();
                if (!callIds.SequenceEqual(entryIds))
                    failures.Add($"{@case.Name}: state-changing calls {Describe(calls.Select(c => c.Operation + " " + c.RequestId))} but journal entries {Describe(added.Select(e => e.Operation + " " + e.RequestId))}.");
                var expected = @case.Expected.Select(e => e.Type + "/" + e.Operation).OrderBy(s => s, StringComparer.Ordinal).ToList();
                var actual = added.Select(e => e.TargetType + "/" + e.Operation).OrderBy(s => s, StringComparer.Ordinal).ToList();
                if (!expected.SequenceEqual(actual)) failures.Add($"{@case.Name}: expected entries {Describe(expected)}, got {Describe(actual)}.");
                foreach (var entry in added)
                {
                    if (entry.OutcomeValue != ChangeOutcome.Succeeded) failures.Add($"{@case.Name}: {entry.Operation} recorded {entry.Outcome}: {entry.Error}");
                    if (string.IsNullOrEmpty(entry.TargetId)) failures.Add($"{@case.Name}: {entry.Operation} recorded no target id.");
                    if (entry.CallerArn == null || !entry.CallerArn.StartsWith("arn:aws:", StringComparison.Ordinal)) failures.Add($"{@case.Name}: {entry.Operation} recorded no caller ARN.");
                    if (entry.Region != _fixture.Sandbox.Region) failures.Add($"{@case.Name}: {entry.Operation} recorded region {entry.Region}.");
                    if (entry.BeforeDocument == null && entry.AfterDocument == null) failures.Add($"{@case.Name}: {entry.Operation} recorded no document.");
                }
            }
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        private static string Describe(IEnumerable<string> items)
        {
            var list = items.ToList();
            return list.Count == 0 ? "(none)" : "[" + string.Join(", ", list) + "]";
        }
    }
}
