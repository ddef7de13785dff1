using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FmsTools.Commands;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Connection;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;
using FmsTools.Sandbox;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Reliability
{
    /// <summary>
    /// -WhatIf on every cmdlet that declares SupportsShouldProcess (found by reflection over FmsTools.dll): with valid
    /// parameters the cmdlet gets as far as asking, and the sandbox's request log shows no state-changing call.
    /// </summary>
    [Collection(FmsTools.Tests.Infrastructure.RunsAlone.Name)]
    public sealed class WhatIfTests : IDisposable
    {
        private const string Alb = "AWS::ElasticLoadBalancingV2::LoadBalancer";
        private readonly ReliabilitySandbox _sandbox = new ReliabilitySandbox();
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "fmstools-whatif", Guid.NewGuid().ToString("N"));

        public WhatIfTests() { Directory.CreateDirectory(_folder); }

        public void Dispose()
        {
            _sandbox.Dispose();
            Directory.Delete(_folder, recursive: true);
        }

        /// <summary>A case: the cmdlet with valid parameters, whether it signs as the management account, and a check of local effects.</summary>
        private sealed class Case
        {
            public Func<FmsCmdlet> Create = () => throw new InvalidOperationException();
            public bool AsManagement;
            public Action<RecordingCommandHost>? Prepare;
            public Action<RecordingCommandHost>? CheckNothingChanged;
        }

        private Dictionary<string, Case> Cases()
        {
            var policy = _sandbox.RunClean(new GetFmsPolicy { DetailedFlag = true }).Output.OfType<FmsPolicy>().First(p => p.TypeValue == FmsPolicyType.WafV2);
            var apps = _sandbox.RunClean(new SetFmsAppsList { Name = "whatif-apps", App = new[] { new FmsApp("https", "tcp", 443) }, PassThruFlag = true })
                .Output.OfType<FmsAppsList>().Single();
            var protocols = _sandbox.RunClean(new SetFmsProtocolsList { Name = "whatif-protocols", Protocol = new[] { "tcp" }, PassThruFlag = true })
                .Output.OfType<FmsProtocolsList>().Single();
            var set = _sandbox.RunClean(new SetFmsResourceSet { Name = "whatif-set", ResourceType = new[] { "AWS::EC2::VPC" }, PassThruFlag = true })
                .Output.OfType<FmsResourceSet>().Single();
            const string vpc = "arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcdef0";
            _sandbox.RunClean(new AddFmsResourceSetResource { ResourceSetId = set.Id, Uri = new[] { vpc } });
            _sandbox.RunClean(new SetFmsTag { ResourceArn = policy.Arn, Tag = new Hashtable { ["owner"] = "secops" } });

            // Files for Import/Sync: one deployed policy changed, one new policy; -DeleteMissing plans deletes of the rest.
            var changed = policy.Clone();
            changed.Description = "changed by a file";
            File.WriteAllText(Path.Combine(_folder, PolicyDocumentSerializer.SafeFileName(changed)), PolicyDocumentSerializer.Write(changed, includePolicyId: true));
            var added = _sandbox.RunClean(new NewFmsShieldPolicy { Name = "from-file", ResourceType = new[] { Alb }, OfflineFlag = true, Region = _sandbox.Host.Region })
                .Output.OfType<FmsPolicy>().Single();
            File.WriteAllText(Path.Combine(_folder, PolicyDocumentSerializer.SafeFileName(added)), PolicyDocumentSerializer.Write(added, includePolicyId: false));
            Assert.Equal(2, Directory.GetFiles(_folder, "*.fmspolicy.json").Length);
            var channelTopic = $"arn:aws:sns:us-east-1:{_sandbox.Host.AdminAccountId}:fms-alerts";
            var channelRole = $"arn:aws:iam::{_sandbox.Host.AdminAccountId}:role/fms-sns";
            _sandbox.RunClean(new SetFmsNotificationChannel { SnsTopicArn = channelTopic, SnsRoleArn = channelRole });
            var exportFolder = Path.Combine(_folder, "export");

            var sandboxCountBefore = SandboxSessions.All().Count;
            // A journal with two recorded versions of the policy, for Restore-FmsPolicy.
            var journal = Path.Combine(_folder, "journal");
            foreach (var description in new[] { "journaled change 1", "journaled change 2" })
            {
                var journaled = _sandbox.Connect(new SetFmsPolicy { PolicyId = policy.PolicyId, Description = description });
                journaled.JournalFolder = journal;
                Assert.Empty(CmdletRunner.Run(journaled).Errors);
            }
            var rows = _sandbox.RunClean(new GetFmsComplianceStatus()).Output.OfType<Engine.Compliance.FmsComplianceStatus>().ToArray();
            var nonCompliant = rows.First(r => r.StatusValue == Engine.Compliance.FmsComplianceState.NonCompliant);
            var reportFile = Path.Combine(_folder, "report.html");
            var connected = SandboxSessions.SettingsFor(_sandbox.Host, "Connect-Fms");

            FmsCmdlet Builder(FmsPolicyBuilderCmdlet cmdlet)
            {
                cmdlet.Name = "whatif-" + cmdlet.GetType().Name;
                return cmdlet;
            }

            return new Dictionary<string, Case>(StringComparer.Ordinal)
            {
                ["Add-FmsResourceSetResource"] = new Case { Create = () => new AddFmsResourceSetResource { ResourceSetId = set.Id, Uri = new[] { vpc.Replace("0123", "4567") } } },
                ["Connect-Fms"] = new Case
                {
                    Create = () => new ConnectFms { SandboxHost = _sandbox.Host },
                    CheckNothingChanged = host => Assert.Null(host.GetVariable(FmsConnectedCmdlet.SessionDefaultsVariable)),
                },
                ["Disconnect-Fms"] = new Case
                {
                    Create = () => new DisconnectFms { StopSandboxFlag = true },
                    Prepare = host => host.SetVariable(FmsConnectedCmdlet.SessionDefaultsVariable, connected),
                    CheckNothingChanged = host =>
                    {
                        Assert.Same(connected, host.GetVariable(FmsConnectedCmdlet.SessionDefaultsVariable));
                        Assert.Equal(200, Tests.Sandbox.SigV4TestClient.Admin(_sandbox.Host).CallAsync("GetAdminAccount").GetAwaiter().GetResult().Status);
                    },
                },
                ["Export-FmsComplianceReport"] = new Case
                {
                    Create = () => new ExportFmsComplianceReport { InputObject = rows, Path = reportFile },
                    CheckNothingChanged = host => Assert.False(File.Exists(reportFile)),
                },
                ["Invoke-FmsRemediation"] = new Case { Create = () => new InvokeFmsRemediation { PolicyId = new[] { nonCompliant.PolicyId! }, WaitFlag = true } },
                ["Export-FmsPolicy"] = new Case
                {
                    Create = () => new ExportFmsPolicy { InputObject = policy, Path = exportFolder },
                    CheckNothingChanged = host => Assert.False(Directory.Exists(exportFolder) && Directory.EnumerateFileSystemEntries(exportFolder).Any()),
                },
                ["Import-FmsPolicy"] = new Case { Create = () => new ImportFmsPolicy { Path = new[] { _folder } } },
                ["New-FmsDnsFirewallPolicy"] = new Case { Create = () => Builder(new NewFmsDnsFirewallPolicy { PreProcessRuleGroup = new object[] { "rslvr-frg-0123456789abcdef" } }) },
                ["New-FmsImportNetworkFirewallPolicy"] = new Case
                {
                    Create = () => Builder(new NewFmsImportNetworkFirewallPolicy
                    {
                        ResourceSetId = new[] { set.Id! },
                        StatefulRuleGroup = new object[] { "arn:aws:network-firewall:us-east-1:222222222222:stateful-rulegroup/deny-domains" },
                    }),
                },
                ["New-FmsNetworkAclPolicy"] = new Case
                {
                    Create = () => Builder(new NewFmsNetworkAclPolicy
                    {
                        FirstEntry = new object[] { new Hashtable { ["Action"] = "deny", ["Protocol"] = "tcp", ["CidrBlock"] = "0.0.0.0/0", ["Port"] = 22 } },
                    }),
                },
                ["New-FmsNetworkFirewallPolicy"] = new Case
                {
                    Create = () => Builder(new NewFmsNetworkFirewallPolicy
                    {
                        StatefulRuleGroup = new object[] { "arn:aws:network-firewall:us-east-1:222222222222:stateful-rulegroup/deny-domains" },
                    }),
                },
                ["New-FmsSecurityGroupPolicy"] = new Case { Create = () => Builder(new NewFmsSecurityGroupPolicy { SecurityGroupId = "sg-0123456789abcdef0" }) },
                ["New-FmsShieldPolicy"] = new Case { Create = () => Builder(new NewFmsShieldPolicy { ResourceType = new[] { Alb } }) },
                ["New-FmsThirdPartyFirewallPolicy"] = new Case
                {
                    Create = () => Builder(new NewFmsThirdPartyFirewallPolicy { Vendor = "PaloAltoCloudNgfw", FirewallPolicy = new[] { "global-rulestack-prod" }, AvailabilityZone = new[] { "us-east-1a" } }),
                },
                ["New-FmsWafClassicPolicy"] = new Case
                {
                    Create = () => Builder(new NewFmsWafClassicPolicy { RuleGroupId = new[] { "a1b2c3d4-5678-90ab-cdef-000000000002" }, ResourceType = new[] { Alb } }),
                },
                ["New-FmsWafPolicy"] = new Case
                {
                    Create = () => Builder(new NewFmsWafPolicy { ManagedRuleGroup = new object[] { "AWS/AWSManagedRulesCommonRuleSet" }, ResourceType = new[] { Alb } }),
                },
                ["Restore-FmsPolicy"] = new Case { Create = () => new RestoreFmsPolicy { PolicyId = policy.PolicyId, Version = 1, JournalPath = journal } },
                ["Remove-FmsAdminAccount"] = new Case { Create = () => new RemoveFmsAdminAccount(), AsManagement = true },
                ["Remove-FmsAppsList"] = new Case { Create = () => new RemoveFmsAppsList { ListId = apps.ListId } },
                ["Remove-FmsNotificationChannel"] = new Case { Create = () => new RemoveFmsNotificationChannel() },
                ["Remove-FmsPolicy"] = new Case { Create = () => new RemoveFmsPolicy { PolicyId = policy.PolicyId, DeleteAllPolicyResourcesFlag = true } },
                ["Remove-FmsProtocolsList"] = new Case { Create = () => new RemoveFmsProtocolsList { ListId = protocols.ListId } },
                ["Remove-FmsResourceSet"] = new Case { Create = () => new RemoveFmsResourceSet { Id = set.Id } },
                ["Remove-FmsResourceSetResource"] = new Case { Create = () => new RemoveFmsResourceSetResource { ResourceSetId = set.Id, Uri = new[] { vpc } } },
                ["Remove-FmsTag"] = new Case { Create = () => new RemoveFmsTag { ResourceArn = policy.Arn, Key = new[] { "owner" } } },
                ["Set-FmsAdminAccount"] = new Case
                {
                    Create = () => new SetFmsAdminAccount { AccountId = _sandbox.Host.AdminAccountId, ScopeRegion = new[] { "us-east-1" } },
                    AsManagement = true,
                },
                ["Set-FmsAppsList"] = new Case { Create = () => new SetFmsAppsList { Name = "whatif-apps", App = new[] { new FmsApp("ssh", "tcp", 22) } } },
                ["Set-FmsNotificationChannel"] = new Case
                {
                    Create = () => new SetFmsNotificationChannel
                    {
                        SnsTopicArn = channelTopic + "-2",
                        SnsRoleArn = channelRole,
                    },
                },
                ["Set-FmsPolicy"] = new Case { Create = () => new SetFmsPolicy { PolicyId = policy.PolicyId, Description = "what if" } },
                ["Set-FmsProtocolsList"] = new Case { Create = () => new SetFmsProtocolsList { Name = "whatif-protocols", Protocol = new[] { "udp" } } },
                ["Set-FmsResourceSet"] = new Case { Create = () => new SetFmsResourceSet { Name = "whatif-set", ResourceType = new[] { "AWS::EC2::Subnet" } } },
                ["Set-FmsTag"] = new Case { Create = () => new SetFmsTag { ResourceArn = policy.Arn, Tag = new Hashtable { ["env"] = "prod" } } },
                ["Start-FmsSandbox"] = new Case
                {
                    Create = () => new StartFmsSandbox { DemoFlag = true },
                    CheckNothingChanged = host => Assert.Equal(sandboxCountBefore, SandboxSessions.All().Count),
                },
                ["Stop-FmsSandbox"] = new Case
                {
                    Create = () => new StopFmsSandbox { InputObject = _sandbox.Host },
                    CheckNothingChanged = host => Assert.Equal(200, Tests.Sandbox.SigV4TestClient.Admin(_sandbox.Host).CallAsync("GetAdminAccount").GetAwaiter().GetResult().Status),
                },
                ["Sync-FmsPolicy"] = new Case { Create = () => new SyncFmsPolicy { Path = new[] { _folder }, DeleteMissingFlag = true } },
            };
        }

        [Fact]
        public void WhatIf_on_every_cmdlet_that_supports_ShouldProcess_makes_no_state_changing_call()
        {
            var mutating = CmdletCatalog.All().Where(c => c.SupportsShouldProcess).ToList();
            var cases = Cases();
            var missing = mutating.Where(c => !cases.ContainsKey(c.Name)).Select(c => c.Name).ToList();
            Assert.True(missing.Count == 0, "Cmdlets that support -WhatIf without a case here: " + string.Join(", ", missing));

            var failures = new List<string>();
            foreach (var cmdlet in mutating)
            {
                var @case = cases[cmdlet.Name];
                var host = new RecordingCommandHost { WhatIf = true };
                @case.Prepare?.Invoke(host);
                var instance = @case.Create();
                if (instance is FmsConnectedCmdlet connected && !(instance is ConnectFms))
                {
                    _sandbox.Connect(connected);
                    if (@case.AsManagement)
                    {
                        connected.AccessKey = _sandbox.Host.ManagementAccessKeyId;
                        connected.SecretKey = _sandbox.Host.ManagementSecretAccessKey;
                    }
                }
                var mark = _sandbox.Mark;
                CmdletRun run;
                try
                {
                    CmdletRunner.Run(instance, host);
                    run = new CmdletRun(host, null);
                }
                catch (TerminatingErrorException e)
                {
                    run = new CmdletRun(host, e.Error);
                }
                var changing = _sandbox.EntriesSince(mark).Where(e => e.Mutating).Select(e => e.Operation).ToList();
                if (changing.Count > 0) failures.Add($"{cmdlet.Name} -WhatIf made state-changing calls: {string.Join(", ", changing)}");
                if (run.AllErrors.Count > 0) failures.Add($"{cmdlet.Name} -WhatIf failed, so the case does not reach the decision: {string.Join("; ", run.AllErrors)}");
                else if (host.ShouldProcessCalls.Count == 0) failures.Add($"{cmdlet.Name} -WhatIf never asked ShouldProcess.");
                try
                {
                    @case.CheckNothingChanged?.Invoke(host);
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException)
                {
                    failures.Add($"{cmdlet.Name} -WhatIf changed local state: {e.Message}");
                }
            }
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
            Assert.True(mutating.Count >= 30, $"Only {mutating.Count} cmdlets declare SupportsShouldProcess; the reflection scan is broken.");
        }
    }
}
