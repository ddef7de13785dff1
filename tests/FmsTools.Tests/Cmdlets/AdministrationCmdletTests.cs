using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Commands;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Infrastructure;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Cmdlets
{
    public class AdministrationCmdletTests : IClassFixture<SandboxCmdletFixture>
    {
        private readonly SandboxCmdletFixture _sandbox;

        public AdministrationCmdletTests(SandboxCmdletFixture sandbox) { _sandbox = sandbox; }

        private static FmsApp App(string name, string protocol, long port) => new FmsApp(name, protocol, port);

        [Fact]
        public void Apps_list_create_read_update_and_delete_through_the_sandbox()
        {
            var created = _sandbox.Run(new SetFmsAppsList { Name = "corp-apps-crud", App = new[] { App("https", "tcp", 443) }, PassThruFlag = true })
                .OutputOf<FmsAppsList>().Single();
            Assert.NotNull(created.ListId);
            Assert.NotNull(created.UpdateToken);

            var read = _sandbox.Run(new GetFmsAppsList { Name = new[] { "corp-apps-c*" } }).OutputOf<FmsAppsList>().Single();
            Assert.Equal(created.ListId, read.ListId);
            Assert.Equal("https", read.Apps.Single().Name);

            // Updating by name finds the one list with that name instead of creating a second.
            var updated = _sandbox.Run(new SetFmsAppsList { Name = "corp-apps-crud", App = new[] { App("https", "tcp", 443), App("ssh", "tcp", 22) }, PassThruFlag = true })
                .OutputOf<FmsAppsList>().Single();
            Assert.Equal(created.ListId, updated.ListId);
            Assert.Equal(2, updated.Apps.Count);

            var removed = _sandbox.Run(new RemoveFmsAppsList { ListId = created.ListId, PassThruFlag = true });
            Assert.Empty(removed.Errors);
            var afterDelete = _sandbox.Run(new GetFmsAppsList { ListId = created.ListId });
            Assert.Equal("ResourceNotFoundException", Assert.Single(afterDelete.Errors).ErrorId);
        }

        [Fact]
        public void A_stale_update_token_is_a_conflict_that_names_both_versions_and_overwrites_nothing()
        {
            var mine = _sandbox.Run(new SetFmsAppsList { Name = "conflict-apps", App = new[] { App("web", "tcp", 80) }, PassThruFlag = true })
                .OutputOf<FmsAppsList>().Single();
            // Someone else changes the list after I read it.
            var theirs = _sandbox.Run(new GetFmsAppsList { ListId = mine.ListId }).OutputOf<FmsAppsList>().Single();
            theirs.Apps.Add(App("theirs", "tcp", 8443));
            _sandbox.Run(new SetFmsAppsList { InputObject = theirs });

            mine.Apps.Add(App("mine", "tcp", 9443));
            var result = _sandbox.Run(new SetFmsAppsList { InputObject = mine });

            var error = Assert.Single(result.Errors);
            Assert.Equal("ConcurrentModification", error.ErrorId);
            Assert.Equal(FmsErrorCategory.ResourceBusy, error.Category);
            var conflict = Assert.IsType<FmsConflictException>(error.Exception);
            Assert.Equal(mine.UpdateToken, conflict.YourToken);
            Assert.NotEqual(mine.UpdateToken, conflict.CurrentToken);
            Assert.Contains("theirs", error.Message);
            var stored = _sandbox.Run(new GetFmsAppsList { ListId = mine.ListId }).OutputOf<FmsAppsList>().Single();
            Assert.Contains(stored.Apps, a => a.Name == "theirs");
            Assert.DoesNotContain(stored.Apps, a => a.Name == "mine");
        }

        [Fact]
        public void Bad_input_is_reported_per_field_before_any_call()
        {
            var totalBefore = _sandbox.Host.RequestLog.TotalCount;
            var mark = _sandbox.Mark;
            var result = _sandbox.Run(new SetFmsAppsList { Name = "bad<name>", App = new[] { App("x", "tcp", 70000) } });
            var error = Assert.Single(result.Errors);
            var input = Assert.IsType<FmsInputException>(error.Exception);
            Assert.Contains(input.Findings, f => f.Field == "AppsList.Name" && f.Rule == "Name.Characters");
            Assert.Contains(input.Findings, f => f.Field == "AppsList.Apps[0].Port" && f.Rule == "Port.Range");
            Assert.Equal(0, _sandbox.MutatingCallsSince(mark));
            // Not even the read that looks the list up by name is made.
            Assert.Equal(totalBefore, _sandbox.Host.RequestLog.TotalCount);
        }

        public static IEnumerable<object[]> RefusedBeforeAnyCall => new[]
        {
            new object[] { "Set-FmsAppsList port 0", (Func<FmsConnectedCmdlet>)(() => new SetFmsAppsList { Name = "refused-apps", App = new[] { App("web", "tcp", 0) } }), "AppsList.Apps[0].Port", "Port.Reserved" },
            new object[] { "Set-FmsAppsList protocol", (Func<FmsConnectedCmdlet>)(() => new SetFmsAppsList { Name = "refused-apps", App = new[] { App("web", "tcpx", 80) } }), "AppsList.Apps[0].Protocol", "Protocol.Value" },
            new object[] { "Set-FmsProtocolsList", (Func<FmsConnectedCmdlet>)(() => new SetFmsProtocolsList { Name = "refused-protocols", Protocol = new[] { "tcp", "256" } }), "ProtocolsList.Protocols[1]", "Protocol.Value" },
            new object[] { "Set-FmsResourceSet -Id", (Func<FmsConnectedCmdlet>)(() => new SetFmsResourceSet { Id = "a1b2c3d4e5f6g7h8i9j0k1", Name = "refused-set", ResourceType = new[] { "AWS::Fake::Type" } }), "ResourceSet.ResourceTypes[0]", "ResourceType.NotSupported" },
            new object[] { "Set-FmsNotificationChannel topic", (Func<FmsConnectedCmdlet>)(() => new SetFmsNotificationChannel { SnsTopicArn = "arn:aws:iam::222222222222:role/fms-sns", SnsRoleArn = "arn:aws:iam::222222222222:role/fms-sns" }), "SnsTopicArn", "Arn.NotSnsTopic" },
            new object[] { "Set-FmsNotificationChannel role", (Func<FmsConnectedCmdlet>)(() => new SetFmsNotificationChannel { SnsTopicArn = "arn:aws:sns:us-east-1:222222222222:fms", SnsRoleArn = "arn:aws:sns:us-east-1:222222222222:fms" }), "SnsRoleArn", "Arn.NotIamRole" },
            new object[] { "Add-FmsResourceSetResource id", (Func<FmsConnectedCmdlet>)(() => new AddFmsResourceSetResource { ResourceSetId = "../../etc/passwd", Uri = new[] { "arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcdef0" } }), "ResourceSetId", "ResourceSetId.Format" },
            new object[] { "Add-FmsResourceSetResource uri", (Func<FmsConnectedCmdlet>)(() => new AddFmsResourceSetResource { ResourceSetId = "a1b2c3d4e5f6g7h8i9j0k1", Uri = new[] { "arn:aws:iam::310000000001:role/admin" } }), "Uri[0]", "ResourceUri.Service" },
            new object[] { "Remove-FmsResourceSetResource uri", (Func<FmsConnectedCmdlet>)(() => new RemoveFmsResourceSetResource { ResourceSetId = "a1b2c3d4e5f6g7h8i9j0k1", Uri = new[] { "not-an-arn" } }), "Uri[0]", "ResourceUri.Format" },
            new object[] { "Set-FmsTag", (Func<FmsConnectedCmdlet>)(() => new SetFmsTag { ResourceArn = "arn:aws:sns:us-east-1:222222222222:fms", Tag = new Hashtable { ["env"] = "prod" } }), "ResourceArn", "Arn.NotTaggable" },
            new object[] { "Get-FmsTag", (Func<FmsConnectedCmdlet>)(() => new GetFmsTag { ResourceArn = "arn:aws:fms:us-east-1:222222222222:policy/short" }), "ResourceArn", "Arn.NotTaggable" },
            new object[] { "Remove-FmsTag", (Func<FmsConnectedCmdlet>)(() => new RemoveFmsTag { ResourceArn = "arn:aws:fms:us-east-1:222222222222:notification-channel/x", Key = new[] { "env" } }), "ResourceArn", "Arn.NotTaggable" },
        };

        [Theory]
        [MemberData(nameof(RefusedBeforeAnyCall))]
        public void Malformed_values_are_refused_naming_the_field_before_any_call_even_a_read(string label, Func<FmsConnectedCmdlet> create, string field, string rule)
        {
            var totalBefore = _sandbox.Host.RequestLog.TotalCount;

            var result = _sandbox.Run(create());

            var input = Assert.IsType<FmsInputException>(Assert.Single(result.Errors).Exception);
            Assert.Contains(input.Findings, f => f.Field == field && f.Rule == rule);
            Assert.True(totalBefore == _sandbox.Host.RequestLog.TotalCount, label + " made a call before refusing its input.");
        }

        [Fact]
        public void WhatIf_makes_no_mutating_call_and_Remove_asks_even_when_forced_with_Confirm()
        {
            var list = _sandbox.Run(new SetFmsProtocolsList { Name = "whatif-protocols", Protocol = new[] { "tcp", "udp" }, PassThruFlag = true })
                .OutputOf<FmsProtocolsList>().Single();
            var mark = _sandbox.Mark;
            var whatIf = _sandbox.Run(new RemoveFmsProtocolsList { ListId = list.ListId }, new RecordingCommandHost { WhatIf = true });
            Assert.Single(whatIf.ShouldProcessCalls);
            Assert.Contains("whatif-protocols", whatIf.ShouldProcessCalls[0].Target);
            Assert.Equal(0, _sandbox.MutatingCallsSince(mark));

            var declined = _sandbox.Run(new RemoveFmsProtocolsList { ListId = list.ListId, ForceFlag = true },
                new RecordingCommandHost { ConfirmRequested = true, ConfirmAnswer = false });
            Assert.Single(declined.Prompts);
            Assert.Equal(0, _sandbox.MutatingCallsSince(mark));

            _sandbox.Run(new RemoveFmsProtocolsList { ListId = list.ListId, ForceFlag = true });
            Assert.Equal(1, _sandbox.MutatingCallsSince(mark));
        }

        [Fact]
        public void Resource_sets_hold_resources_and_report_failures_per_resource()
        {
            var set = _sandbox.Run(new SetFmsResourceSet { Name = "inspection-vpcs", ResourceType = new[] { "AWS::EC2::VPC" }, PassThruFlag = true })
                .OutputOf<FmsResourceSet>().Single();
            var arn = "arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcdef0";
            var add = _sandbox.Run(new AddFmsResourceSetResource { ResourceSetId = set.Id, Uri = new[] { arn } });
            Assert.Empty(add.Errors);
            Assert.True(add.OutputOf<FmsResourceSetChange>().Single().Succeeded);

            var members = _sandbox.Run(new GetFmsResourceSetResource { ResourceSetId = set.Id }).OutputOf<FmsResourceSetResource>().ToList();
            Assert.Equal(arn, Assert.Single(members).Uri);

            var remove = _sandbox.Run(new RemoveFmsResourceSetResource { ResourceSetId = set.Id, Uri = new[] { arn } });
            Assert.Empty(remove.Errors);
            Assert.Empty(_sandbox.Run(new GetFmsResourceSetResource { ResourceSetId = set.Id }).Output);
        }

        [Fact]
        public void Tags_are_set_listed_and_removed_on_an_fms_resource()
        {
            var list = _sandbox.Run(new SetFmsAppsList { Name = "tagged-apps", App = new[] { App("dns", "udp", 53) }, PassThruFlag = true })
                .OutputOf<FmsAppsList>().Single();
            _sandbox.Run(new SetFmsTag { ResourceArn = list.Arn, Tag = new Hashtable { ["owner"] = "secops", ["env"] = "prod" } });
            var tags = _sandbox.Run(new GetFmsTag { ResourceArn = list.Arn }).OutputOf<FmsTag>().ToList();
            Assert.Equal(new[] { "env=prod", "owner=secops" }, tags.Select(t => t.ToString()));

            _sandbox.Run(new RemoveFmsTag { ResourceArn = list.Arn, Key = new[] { "owner" } });
            Assert.Equal("env", _sandbox.Run(new GetFmsTag { ResourceArn = list.Arn }).OutputOf<FmsTag>().Single().Key);
        }

        [Fact]
        public void Tag_rules_are_checked_before_the_call()
        {
            var mark = _sandbox.Mark;
            var result = _sandbox.Run(new SetFmsTag { ResourceArn = "not-an-arn", Tag = new Hashtable { ["aws:reserved"] = "x" } });
            var input = Assert.IsType<FmsInputException>(Assert.Single(result.Errors).Exception);
            Assert.Contains(input.Findings, f => f.Rule == "Arn.Format");
            Assert.Contains(input.Findings, f => f.Rule == "Tag.ReservedPrefix");
            Assert.Equal(0, _sandbox.MutatingCallsSince(mark));
        }

        [Fact]
        public void The_notification_channel_round_trips()
        {
            var topic = "arn:aws:sns:us-east-1:222222222222:fms-findings";
            var role = "arn:aws:iam::222222222222:role/fms-sns";
            var set = _sandbox.Run(new SetFmsNotificationChannel { SnsTopicArn = topic, SnsRoleArn = role, PassThruFlag = true })
                .OutputOf<FmsNotificationChannel>().Single();
            Assert.Equal(topic, set.SnsTopicArn);
            Assert.Equal(role, _sandbox.Run(new GetFmsNotificationChannel()).OutputOf<FmsNotificationChannel>().Single().SnsRoleName);
            _sandbox.Run(new RemoveFmsNotificationChannel{ ForceFlag = true });
            Assert.False(_sandbox.Run(new GetFmsNotificationChannel()).OutputOf<FmsNotificationChannel>().Single().IsConfigured);
        }

        [Fact]
        public void The_default_administrator_and_all_administrators_are_listed_from_the_management_account()
        {
            var admin = _sandbox.Run(new GetFmsAdminAccount()).OutputOf<FmsAdminAccount>().Single();
            Assert.Equal(_sandbox.Host.AdminAccountId, admin.AccountId);
            Assert.True(admin.IsDefaultAdmin);

            var all = CmdletRunner.Run(_sandbox.ConnectAsManagement(new GetFmsAdminAccount{ AllFlag = true, IncludeScopeFlag = true }));
            Assert.Empty(all.Errors);
            var listed = Assert.Single(all.OutputOf<FmsAdminAccount>());
            Assert.Equal(_sandbox.Host.AdminAccountId, listed.AccountId);
            Assert.NotNull(listed.Scope);
        }
    
        [Fact]
        public void Resource_sets_and_protocols_lists_are_found_by_name_and_id()
        {
            var set = _sandbox.Run(new SetFmsResourceSet { Name = "findable-set", ResourceType = new[] { "AWS::EC2::VPC" }, PassThruFlag = true })
                .OutputOf<FmsResourceSet>().Single();
            Assert.Equal(set.Id, _sandbox.Run(new GetFmsResourceSet { Name = new[] { "findable-*" } }).OutputOf<FmsResourceSet>().Single().Id);
            Assert.Equal("findable-set", _sandbox.Run(new GetFmsResourceSet { Id = set.Id }).OutputOf<FmsResourceSet>().Single().Name);

            var list = _sandbox.Run(new SetFmsProtocolsList { Name = "findable-protocols", Protocol = new[] { "tcp" }, PassThruFlag = true })
                .OutputOf<FmsProtocolsList>().Single();
            Assert.Equal(list.ListId, _sandbox.Run(new GetFmsProtocolsList { Name = new[] { "findable-p*" } }).OutputOf<FmsProtocolsList>().Single().ListId);

            var removed = _sandbox.Run(new RemoveFmsResourceSet { Id = set.Id, ForceFlag = true, PassThruFlag = true });
            Assert.Equal(set.Id, removed.OutputOf<FmsResourceSet>().Single().Id);
            Assert.Empty(_sandbox.Run(new GetFmsResourceSet { Name = new[] { "findable-set" } }).Output);
        }

        [Fact]
        public void A_scoped_administrator_is_set_and_its_scope_read_back_from_the_management_account()
        {
            var delegated = _sandbox.Host.AccountIds.First(a => a != _sandbox.Host.AdminAccountId && a != _sandbox.Host.ManagementAccountId);
            var set = CmdletRunner.Run(_sandbox.ConnectAsManagement(new SetFmsAdminAccount
            {
                AccountId = delegated,
                ScopeRegion = new[] { "eu-west-1" },
                ScopePolicyType = new[] { "DNS_FIREWALL" },
                PassThruFlag = true,
            }));
            Assert.Empty(set.Errors);
            Assert.Contains($"account {delegated}", set.ShouldProcessCalls.Single().Target);
            var scope = CmdletRunner.Run(_sandbox.ConnectAsManagement(new GetFmsAdminScope { AdminAccount = delegated })).OutputOf<FmsAdminScope>().Single();
            Assert.False(scope.AllRegions);
            Assert.Equal(new[] { "eu-west-1" }, scope.Regions);
            Assert.Equal(new[] { "DNS_FIREWALL" }, scope.PolicyTypes);
        }

        [Fact]
        public void Bad_administrator_input_is_rejected_before_any_call()
        {
            var mark = _sandbox.Mark;
            var result = CmdletRunner.Run(_sandbox.ConnectAsManagement(new SetFmsAdminAccount { AccountId = "12345", ScopePolicyType = new[] { "NOT_A_TYPE" } }));
            var input = Assert.IsType<FmsInputException>(Assert.Single(result.Errors).Exception);
            Assert.Contains(input.Findings, f => f.Rule == "AccountId.Format");
            Assert.Contains(input.Findings, f => f.Rule == "PolicyType.Unknown");
            Assert.Equal(0, _sandbox.MutatingCallsSince(mark));
        }

        [Fact]
        public void Removing_the_administrator_names_it_and_WhatIf_keeps_it()
        {
            using var sandbox = FmsTools.Sandbox.SandboxHost.Start(new FmsTools.Sandbox.SandboxOptions { AccountCount = 2 });
            var fixtureLike = new SandboxCmdletFixtureView(sandbox);
            var whatIf = CmdletRunner.Run(fixtureLike.AsManagement(new RemoveFmsAdminAccount()), new RecordingCommandHost { WhatIf = true });
            Assert.Contains(sandbox.AdminAccountId, whatIf.ShouldProcessCalls.Single().Target);
            Assert.Equal(0, sandbox.RequestLog.Entries.Count(e => e.Mutating));

            var removed = CmdletRunner.Run(fixtureLike.AsManagement(new RemoveFmsAdminAccount { ForceFlag = true, PassThruFlag = true }));
            Assert.Empty(removed.Errors);
            Assert.Equal(sandbox.AdminAccountId, removed.OutputOf<FmsAdminAccount>().Single().AccountId);
            Assert.Equal("NoAdminAccount", Assert.Single(CmdletRunner.Run(fixtureLike.AsManagement(new GetFmsAdminAccount())).Errors).ErrorId);
        }

        /// <summary>Connection parameters for a sandbox that is not the class fixture's.</summary>
        private sealed class SandboxCmdletFixtureView
        {
            private readonly FmsTools.Sandbox.SandboxHost _host;
            public SandboxCmdletFixtureView(FmsTools.Sandbox.SandboxHost host) { _host = host; }

            public T AsManagement<T>(T cmdlet) where T : FmsTools.Infrastructure.FmsConnectedCmdlet
            {
                cmdlet.EndpointUrl = _host.Endpoint;
                cmdlet.AccessKey = _host.ManagementAccessKeyId;
                cmdlet.SecretKey = _host.ManagementSecretAccessKey;
                cmdlet.Region = _host.Region;
                return cmdlet;
            }
        }
}
}
