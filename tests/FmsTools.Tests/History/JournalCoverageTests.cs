using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using FmsTools.Commands;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.History;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;
using FmsTools.Tests.Infrastructure;
using FmsTools.Tests.PolicyCmdlets;
using FmsTools.Tests.Reliability;
using Xunit;

namespace FmsTools.Tests.History
{
    /// <summary>
    /// Every cmdlet that declares SupportsShouldProcess (found by reflection) is run for real against the sandbox with
    /// its own journal folder mark: the journal must gain exactly one entry per state-changing call the sandbox served
    /// (matched by request id), with the expected target type and operation; -WhatIf must record nothing.
    /// </summary>
    public sealed class JournalCoverageTests : IDisposable
    {
        private const string Alb = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        private const string DemoMember = "310000000002";
        private const string Vpc = "arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcdef0";
        private readonly ReliabilitySandbox _sandbox = new ReliabilitySandbox();
        private readonly string _journal = TempFolder.Create();
        private readonly string _files = TempFolder.Create();

        public void Dispose() => _sandbox.Dispose();

        /// <summary>Cmdlets that support -WhatIf but make no FMS write, so they have nothing to journal.</summary>
        private static readonly Dictionary<string, string> Excluded = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Connect-Fms"] = "stores connection defaults in the session (and may start a local sandbox); it calls only STS GetCallerIdentity",
            ["Disconnect-Fms"] = "clears the session's connection defaults and optionally stops a local sandbox process; no FMS call",
            ["Start-FmsSandbox"] = "starts a local sandbox process; it changes nothing in FMS",
            ["Stop-FmsSandbox"] = "stops a local sandbox process; it changes nothing in FMS",
            ["Export-FmsPolicy"] = "writes policy files to disk; its only calls are reads",
            ["Export-FmsComplianceReport"] = "writes a report file from objects already read; it calls no service",
            ["Import-FmsPolicy"] = "reads policy files into objects; it calls no service (its ShouldProcess only lets -WhatIf list the files)",
        };

        /// <summary>One cmdlet run: prepared outside the measured window, then run, then the journal it must leave.</summary>
        private sealed class Case
        {
            public string Name = "";
            public Action? Prepare;
            public Func<FmsCmdlet> Create = () => throw new InvalidOperationException();
            public bool AsManagement;

            /// <summary>(target type, operation) of each entry the run must record, in any order.</summary>
            public (ChangeTargetType Type, string Operation)[] Expected = Array.Empty<(ChangeTargetType, string)>();
        }

        private FmsCmdlet Journaled(FmsCmdlet cmdlet, bool asManagement = false)
        {
            _sandbox.Connect(cmdlet);
            if (cmdlet is FmsConnectedCmdlet connected)
            {
                connected.JournalFolder = _journal;
                if (asManagement)
                {
                    connected.AccessKey = _sandbox.Host.ManagementAccessKeyId;
                    connected.SecretKey = _sandbox.Host.ManagementSecretAccessKey;
                }
            }
            return cmdlet;
        }

        /// <summary>Runs a cmdlet already connected (ReliabilitySandbox.Run would reconnect it as the administrator).</summary>
        private static CmdletRun Run(FmsCmdlet cmdlet, RecordingCommandHost host)
        {
            try
            {
                CmdletRunner.Run(cmdlet, host);
                return new CmdletRun(host, null);
            }
            catch (TerminatingErrorException e)
            {
                return new CmdletRun(host, e.Error);
            }
        }

        private List<FmsChangeEntry> Journal()
        {
            var bad = new List<string>();
            var entries = new ChangeJournalStore(_journal).ReadAllAsync(bad.Add, CancellationToken.None).GetAwaiter().GetResult();
            Assert.Empty(bad);
            return entries;
        }

        private List<Case> Cases()
        {
            var policies = _sandbox.RunClean(new GetFmsPolicy { DetailedFlag = true }).Output.OfType<FmsPolicy>().ToList();
            var waf = policies.First(p => p.TypeValue == FmsPolicyType.WafV2);
            var rows = _sandbox.RunClean(new GetFmsComplianceStatus()).Output.OfType<FmsComplianceStatus>().ToList();
            var remediate = rows.First(r => r.StatusValue == FmsComplianceState.NonCompliant && r.PolicyId != waf.PolicyId).PolicyId!;
            var deletable = policies.First(p => p.PolicyId != waf.PolicyId && p.PolicyId != remediate);
            FmsAppsList? apps = null;
            FmsProtocolsList? protocols = null;
            FmsResourceSet? set = null;
            string? importSet = null;
            var topic = $"arn:aws:sns:us-east-1:{_sandbox.Host.AdminAccountId}:fms-alerts";
            var role = $"arn:aws:iam::{_sandbox.Host.AdminAccountId}:role/fms-sns";

            FmsCmdlet Builder(FmsPolicyBuilderCmdlet cmdlet)
            {
                cmdlet.Name = "journal-" + cmdlet.GetType().Name;
                return cmdlet;
            }

            Case Create(string name, Func<FmsCmdlet> create) => new Case { Name = name, Create = create, Expected = new[] { (ChangeTargetType.Policy, ChangeOperations.CreatePolicy) } };

            return new List<Case>
            {
                Create("New-FmsDnsFirewallPolicy", () => Builder(new NewFmsDnsFirewallPolicy { PreProcessRuleGroup = new object[] { "rslvr-frg-0123456789abcdef" } })),
                new Case
                {
                    Name = "New-FmsImportNetworkFirewallPolicy",
                    Prepare = () => importSet = _sandbox.RunClean(new SetFmsResourceSet { Name = "import-set", ResourceType = new[] { "AWS::EC2::VPC" }, PassThruFlag = true })
                        .Output.OfType<FmsResourceSet>().Single().Id,
                    Create = () => Builder(new NewFmsImportNetworkFirewallPolicy
                    {
                        ResourceSetId = new[] { importSet! },
                        StatefulRuleGroup = new object[] { "arn:aws:network-firewall:us-east-1:222222222222:stateful-rulegroup/deny-domains" },
                    }),
                    Expected = new[] { (ChangeTargetType.Policy, ChangeOperations.CreatePolicy) },
                },
                Create("New-FmsNetworkAclPolicy", () => Builder(new NewFmsNetworkAclPolicy
                {
                    FirstEntry = new object[] { new Hashtable { ["Action"] = "deny", ["Protocol"] = "tcp", ["CidrBlock"] = "0.0.0.0/0", ["Port"] = 22 } },
                })),
                Create("New-FmsNetworkFirewallPolicy", () => Builder(new NewFmsNetworkFirewallPolicy
                {
                    StatefulRuleGroup = new object[] { "arn:aws:network-firewall:us-east-1:222222222222:stateful-rulegroup/deny-domains" },
                })),
                Create("New-FmsSecurityGroupPolicy", () => Builder(new NewFmsSecurityGroupPolicy { SecurityGroupId = "sg-0123456789abcdef0" })),
                Create("New-FmsShieldPolicy", () => Builder(new NewFmsShieldPolicy { ResourceType = new[] { Alb } })),
                Create("New-FmsThirdPartyFirewallPolicy", () => Builder(new NewFmsThirdPartyFirewallPolicy
                {
                    Vendor = "PaloAltoCloudNgfw", FirewallPolicy = new[] { "global-rulestack-prod" }, AvailabilityZone = new[] { "us-east-1a" },
                })),
                Create("New-FmsWafClassicPolicy", () => Builder(new NewFmsWafClassicPolicy { RuleGroupId = new[] { "a1b2c3d4-5678-90ab-cdef-000000000002" }, ResourceType = new[] { Alb } })),
                Create("New-FmsWafPolicy", () => Builder(new NewFmsWafPolicy { ManagedRuleGroup = new object[] { "AWS/AWSManagedRulesCommonRuleSet" }, ResourceType = new[] { Alb } })),
                new Case
                {
                    // The policy update and the tag change are separate calls, so separate entries.
                    Name = "Set-FmsPolicy",
                    Create = () => new SetFmsPolicy { PolicyId = waf.PolicyId, Description = "journaled", Tag = new Hashtable { ["owner"] = "journal-test" } },
                    Expected = new[] { (ChangeTargetType.Policy, ChangeOperations.UpdatePolicy), (ChangeTargetType.Tags, ChangeOperations.TagResource) },
                },
                new Case
                {
                    Name = "Sync-FmsPolicy",
                    Prepare = () =>
                    {
                        var changed = _sandbox.RunClean(new GetFmsPolicy { PolicyId = new[] { waf.PolicyId! }, DetailedFlag = true }).Output.OfType<FmsPolicy>().Single();
                        changed.Description = "changed by a file";
                        File.WriteAllText(Path.Combine(_files, PolicyDocumentSerializer.SafeFileName(changed)), PolicyDocumentSerializer.Write(changed, includePolicyId: true));
                        var added = _sandbox.RunClean(new NewFmsShieldPolicy { Name = "from-file", ResourceType = new[] { Alb }, OfflineFlag = true, Region = _sandbox.Host.Region })
                            .Output.OfType<FmsPolicy>().Single();
                        File.WriteAllText(Path.Combine(_files, PolicyDocumentSerializer.SafeFileName(added)), PolicyDocumentSerializer.Write(added, includePolicyId: false));
                    },
                    Create = () => new SyncFmsPolicy { Path = new[] { _files } },
                    Expected = new[] { (ChangeTargetType.Policy, ChangeOperations.UpdatePolicy), (ChangeTargetType.Policy, ChangeOperations.CreatePolicy) },
                },
                new Case
                {
                    // Version 1 of the WAF policy is what Set-FmsPolicy left above.
                    Name = "Restore-FmsPolicy",
                    Create = () => new RestoreFmsPolicy { PolicyId = waf.PolicyId, Version = 1, JournalPath = _journal },
                    Expected = new[] { (ChangeTargetType.Policy, ChangeOperations.Restore) },
                },
                new Case
                {
                    Name = "Invoke-FmsRemediation",
                    Prepare = () => _sandbox.RunClean(Journaled(new SetFmsPolicy { PolicyId = remediate, RemediationEnabledValue = false })),
                    Create = () => new InvokeFmsRemediation { PolicyId = new[] { remediate }, ForceFlag = true },
                    Expected = new[] { (ChangeTargetType.Policy, ChangeOperations.UpdatePolicy) },
                },
                new Case
                {
                    Name = "Remove-FmsPolicy",
                    Create = () => new RemoveFmsPolicy { PolicyId = deletable.PolicyId, ForceFlag = true },
                    Expected = new[] { (ChangeTargetType.Policy, ChangeOperations.DeletePolicy) },
                },
                new Case
                {
                    Name = "Set-FmsAppsList",
                    Create = () => new SetFmsAppsList { Name = "journal-apps", App = new[] { new FmsApp("https", "tcp", 443) } },
                    Expected = new[] { (ChangeTargetType.AppsList, ChangeOperations.CreateAppsList) },
                },
                new Case
                {
                    Name = "Remove-FmsAppsList",
                    Prepare = () => apps = _sandbox.RunClean(new GetFmsAppsList { Name = new[] { "journal-apps" } }).Output.OfType<FmsAppsList>().Single(),
                    Create = () => new RemoveFmsAppsList { ListId = apps!.ListId, ForceFlag = true },
                    Expected = new[] { (ChangeTargetType.AppsList, ChangeOperations.DeleteAppsList) },
                },
                new Case
                {
                    Name = "Set-FmsProtocolsList",
                    Create = () => new SetFmsProtocolsList { Name = "journal-protocols", Protocol = new[] { "tcp" } },
                    Expected = new[] { (ChangeTargetType.ProtocolsList, ChangeOperations.CreateProtocolsList) },
                },
                new Case
                {
                    Name = "Remove-FmsProtocolsList",
                    Prepare = () => protocols = _sandbox.RunClean(new GetFmsProtocolsList { Name = new[] { "journal-protocols" } }).Output.OfType<FmsProtocolsList>().Single(),
                    Create = () => new RemoveFmsProtocolsList { ListId = protocols!.ListId, ForceFlag = true },
                    Expected = new[] { (ChangeTargetType.ProtocolsList, ChangeOperations.DeleteProtocolsList) },
                },
                new Case
                {
                    Name = "Set-FmsResourceSet",
                    Create = () => new SetFmsResourceSet { Name = "journal-set", ResourceType = new[] { "AWS::EC2::VPC" } },
                    Expected = new[] { (ChangeTargetType.ResourceSet, ChangeOperations.CreateResourceSet) },
                },
                new Case
                {
                    Name = "Add-FmsResourceSetResource",
                    Prepare = () => set = _sandbox.RunClean(new GetFmsResourceSet { Name = new[] { "journal-set" } }).Output.OfType<FmsResourceSet>().Single(),
                    Create = () => new AddFmsResourceSetResource { ResourceSetId = set!.Id, Uri = new[] { Vpc } },
                    Expected = new[] { (ChangeTargetType.ResourceSet, ChangeOperations.AssociateResources) },
                },
                new Case
                {
                    Name = "Remove-FmsResourceSetResource",
                    Create = () => new RemoveFmsResourceSetResource { ResourceSetId = set!.Id, Uri = new[] { Vpc } },
                    Expected = new[] { (ChangeTargetType.ResourceSet, ChangeOperations.DisassociateResources) },
                },
                new Case
                {
                    Name = "Remove-FmsResourceSet",
                    Create = () => new RemoveFmsResourceSet { Id = set!.Id, ForceFlag = true },
                    Expected = new[] { (ChangeTargetType.ResourceSet, ChangeOperations.DeleteResourceSet) },
                },
                new Case
                {
                    Name = "Set-FmsNotificationChannel",
                    Create = () => new SetFmsNotificationChannel { SnsTopicArn = topic, SnsRoleArn = role },
                    Expected = new[] { (ChangeTargetType.NotificationChannel, ChangeOperations.SetNotificationChannel) },
                },
                new Case
                {
                    Name = "Remove-FmsNotificationChannel",
                    Create = () => new RemoveFmsNotificationChannel { ForceFlag = true },
                    Expected = new[] { (ChangeTargetType.NotificationChannel, ChangeOperations.DeleteNotificationChannel) },
                },
                new Case
                {
                    Name = "Set-FmsTag",
                    Create = () => new SetFmsTag { ResourceArn = waf.Arn, Tag = new Hashtable { ["env"] = "prod" } },
                    Expected = new[] { (ChangeTargetType.Tags, ChangeOperations.TagResource) },
                },
                new Case
                {
                    Name = "Remove-FmsTag",
                    Create = () => new RemoveFmsTag { ResourceArn = waf.Arn, Key = new[] { "env" } },
                    Expected = new[] { (ChangeTargetType.Tags, ChangeOperations.UntagResource) },
                },
                new Case
                {
                    // FMS removes the default administrator's policies with it; the administrator removes itself.
                    Name = "Remove-FmsAdminAccount",
                    Create = () => new RemoveFmsAdminAccount { ForceFlag = true },
                    Expected = new[] { (ChangeTargetType.AdminAccount, ChangeOperations.DisassociateAdminAccount) },
                },
                new Case
                {
                    Name = "Set-FmsAdminAccount",
                    Create = () => new SetFmsAdminAccount { AccountId = _sandbox.Host.AdminAccountId, ForceFlag = true },
                    AsManagement = true,
                    Expected = new[] { (ChangeTargetType.AdminAccount, ChangeOperations.AssociateAdminAccount) },
                },
                new Case
                {
                    Name = "Set-FmsAdminAccount",
                    Create = () => new SetFmsAdminAccount { AccountId = DemoMember, ScopeRegion = new[] { "us-east-1" }, ForceFlag = true },
                    AsManagement = true,
                    Expected = new[] { (ChangeTargetType.AdminAccount, ChangeOperations.PutAdminAccount) },
                },
            };
        }

        [Fact]
        public void Every_mutating_cmdlet_journals_one_entry_per_state_changing_call_and_WhatIf_journals_nothing()
        {
            var mutating = CmdletCatalog.All().Where(c => c.SupportsShouldProcess).Select(c => c.Name).ToList();
            Assert.True(mutating.Count >= 30, $"Only {mutating.Count} cmdlets declare SupportsShouldProcess; the reflection scan is broken.");
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
                @case.Prepare?.Invoke();

                // -WhatIf: asks, sends nothing, records nothing.
                var before = Journal().Count;
                var preview = new RecordingCommandHost { WhatIf = true };
                var previewRun = Run(Journaled(@case.Create(), @case.AsManagement), preview);
                if (previewRun.AllErrors.Count > 0) failures.Add($"{@case.Name} -WhatIf failed: {string.Join("; ", previewRun.AllErrors)}");
                if (preview.ShouldProcessCalls.Count == 0) failures.Add($"{@case.Name} -WhatIf never asked ShouldProcess.");
                if (Journal().Count != before) failures.Add($"{@case.Name} -WhatIf wrote to the journal.");

                // For real.
                var known = new HashSet<string>(Journal().Select(e => e.Id), StringComparer.Ordinal);
                var mark = _sandbox.Mark;
                var run = Run(Journaled(@case.Create(), @case.AsManagement), new RecordingCommandHost());
                if (run.AllErrors.Count > 0) failures.Add($"{@case.Name} failed: {string.Join("; ", run.AllErrors)}");
                var calls = _sandbox.EntriesSince(mark).Where(e => e.Mutating && e.Service != "sandbox").ToList();
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
                    if (entry.Region != _sandbox.Host.Region) failures.Add($"{@case.Name}: {entry.Operation} recorded region {entry.Region}.");
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
