using System;
using System.Linq;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Sandbox;
using FmsTools.Tests.Host;
using Xunit;

namespace FmsTools.Tests.Cmdlets
{
    /// <summary>
    /// Apps lists, protocols lists, resource sets, tags, the notification channel and administrators, as a user manages
    /// them in a session connected to the demo sandbox (as the FMS administrator; <c>@mgmt</c> for the management account).
    /// </summary>
    public sealed class AdministrationCmdletTests : IClassFixture<DemoRunspace>
    {
        private readonly SandboxRunspace _env;

        public AdministrationCmdletTests(DemoRunspace fixture) { _env = fixture.Env; }

        private PowerShellResult Run(string script) => _env.Run(script);

        [Fact]
        public void Apps_list_create_read_update_and_delete_through_the_sandbox()
        {
            var created = Run("Set-FmsAppsList -Name corp-apps-crud -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 } -PassThru")
                .ShouldSucceed().OutputOf<FmsAppsList>().Single();
            Assert.NotNull(created.ListId);
            Assert.NotNull(created.UpdateToken);

            var read = Run("Get-FmsAppsList -Name 'corp-apps-c*'").ShouldSucceed().OutputOf<FmsAppsList>().Single();
            Assert.Equal(created.ListId, read.ListId);
            Assert.Equal("https", read.Apps.Single().Name);

            // Updating by name finds the one list with that name instead of creating a second.
            var updated = Run("Set-FmsAppsList -Name corp-apps-crud -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 }, @{ Name = 'ssh'; Protocol = 'tcp'; Port = 22 } -PassThru")
                .ShouldSucceed().OutputOf<FmsAppsList>().Single();
            Assert.Equal(created.ListId, updated.ListId);
            Assert.Equal(2, updated.Apps.Count);

            Run($"Remove-FmsAppsList -ListId {created.ListId} -Force").ShouldSucceed();
            var afterDelete = Run($"Get-FmsAppsList -ListId {created.ListId}");
            Assert.Empty(afterDelete.Output);
            Assert.Equal("ResourceNotFoundException", Assert.Single(afterDelete.Errors).ErrorId());
            Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, afterDelete.Error.CategoryInfo.Category);
        }

        [Fact]
        public void A_stale_update_token_is_a_conflict_that_names_both_versions_and_overwrites_nothing()
        {
            var mine = Run("$mine = Set-FmsAppsList -Name conflict-apps -App @{ Name = 'web'; Protocol = 'tcp'; Port = 80 } -PassThru; $mine")
                .ShouldSucceed().OutputOf<FmsAppsList>().Single();
            // Someone else changes the list after I read it.
            Run("$theirs = Get-FmsAppsList -ListId $mine.ListId; $theirs.Apps.Add([FmsTools.Engine.Administration.FmsApp]::new('theirs', 'tcp', 8443)); $theirs | Set-FmsAppsList")
                .ShouldSucceed();

            var result = Run("$mine.Apps.Add([FmsTools.Engine.Administration.FmsApp]::new('mine', 'tcp', 9443)); $mine | Set-FmsAppsList");

            var error = Assert.Single(result.Errors);
            Assert.Equal("ConcurrentModification,FmsTools.Commands.SetFmsAppsList", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
            var conflict = Assert.IsType<FmsConflictException>(error.Exception);
            Assert.Equal(mine.UpdateToken, conflict.YourToken);
            Assert.NotEqual(mine.UpdateToken, conflict.CurrentToken);
            Assert.Contains("theirs", error.Message());
            Assert.NotNull(error.ErrorDetails?.RecommendedAction);
            var stored = Run("Get-FmsAppsList -ListId $mine.ListId").ShouldSucceed().OutputOf<FmsAppsList>().Single();
            Assert.Contains(stored.Apps, a => a.Name == "theirs");
            Assert.DoesNotContain(stored.Apps, a => a.Name == "mine");
        }

        [Fact]
        public void Bad_input_is_reported_per_field_before_any_call()
        {
            var mark = _env.Mark;
            var result = Run("Set-FmsAppsList -Name 'bad<name>' -App @{ Name = 'x'; Protocol = 'tcp'; Port = 70000 }");
            var error = Assert.Single(result.Errors);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            var input = Assert.IsType<FmsInputException>(error.Exception);
            Assert.Contains(input.Findings, f => f.Field == "AppsList.Name" && f.Rule == "Name.Characters");
            Assert.Contains(input.Findings, f => f.Field == "AppsList.Apps[0].Port" && f.Rule == "Port.Range");
            // Not even the read that looks the list up by name is made.
            Assert.Empty(_env.RequestsSince(mark));
        }

        public static TheoryData<string, string, string> RefusedBeforeAnyCall => new TheoryData<string, string, string>
        {
            { "Set-FmsAppsList -Name refused-apps -App @{ Name = 'web'; Protocol = 'tcp'; Port = 0 }", "AppsList.Apps[0].Port", "Port.Reserved" },
            { "Set-FmsAppsList -Name refused-apps -App @{ Name = 'web'; Protocol = 'tcpx'; Port = 80 }", "AppsList.Apps[0].Protocol", "Protocol.Value" },
            { "Set-FmsProtocolsList -Name refused-protocols -Protocol tcp, 256", "ProtocolsList.Protocols[1]", "Protocol.Value" },
            { "Set-FmsResourceSet -Id a1b2c3d4e5f6g7h8i9j0k1 -Name refused-set -ResourceType AWS::Fake::Type", "ResourceSet.ResourceTypes[0]", "ResourceType.NotSupported" },
            { "Set-FmsNotificationChannel -SnsTopicArn arn:aws:iam::222222222222:role/fms-sns -SnsRoleArn arn:aws:iam::222222222222:role/fms-sns", "SnsTopicArn", "Arn.NotSnsTopic" },
            { "Set-FmsNotificationChannel -SnsTopicArn arn:aws:sns:us-east-1:222222222222:fms -SnsRoleArn arn:aws:sns:us-east-1:222222222222:fms", "SnsRoleArn", "Arn.NotIamRole" },
            { "Add-FmsResourceSetResource -ResourceSetId a1b2c3d4e5f6g7h8i9j0k1 -Uri arn:aws:iam::310000000001:role/admin", "Uri[0]", "ResourceUri.Service" },
            { "Remove-FmsResourceSetResource -ResourceSetId a1b2c3d4e5f6g7h8i9j0k1 -Uri not-an-arn -Confirm:$false", "Uri[0]", "ResourceUri.Format" },
            { "Set-FmsTag -ResourceArn arn:aws:sns:us-east-1:222222222222:fms -Tag @{ env = 'prod' }", "ResourceArn", "Arn.NotTaggable" },
            { "Get-FmsTag -ResourceArn arn:aws:fms:us-east-1:222222222222:policy/short", "ResourceArn", "Arn.NotTaggable" },
            { "Remove-FmsTag -ResourceArn arn:aws:fms:us-east-1:222222222222:notification-channel/x -Key env -Confirm:$false", "ResourceArn", "Arn.NotTaggable" },
        };

        [Theory]
        [MemberData(nameof(RefusedBeforeAnyCall))]
        public void Malformed_values_are_refused_naming_the_field_before_any_call_even_a_read(string command, string field, string rule)
        {
            var mark = _env.Mark;

            var result = Run(command);

            var error = Assert.Single(result.Errors);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            var input = Assert.IsType<FmsInputException>(error.Exception);
            Assert.Contains(input.Findings, f => f.Field == field && f.Rule == rule);
            Assert.Contains(field, error.Message());
            Assert.True(_env.RequestsSince(mark).Count == 0, command + " made a call before refusing its input.");
        }

        [Fact]
        public void WhatIf_on_Remove_names_the_list_it_resolved_and_changes_nothing()
        {
            var list = Run("Set-FmsProtocolsList -Name whatif-protocols -Protocol tcp, udp -PassThru").ShouldSucceed().OutputOf<FmsProtocolsList>().Single();
            var mark = _env.Mark;
            var text = _env.Host.Text.Length;
            Run($"Remove-FmsProtocolsList -ListId {list.ListId} -WhatIf").ShouldSucceed();
            var (target, action) = Assert.Single(_env.Host.WhatIfSince(text));
            Assert.Contains("whatif-protocols", target);
            Assert.Contains(list.ListId!, target);
            Assert.StartsWith("Delete the protocols list", action);
            Assert.Empty(_env.MutatingSince(mark));
            Assert.Single(Run("Get-FmsProtocolsList -Name whatif-protocols").ShouldSucceed().OutputOf<FmsProtocolsList>());
        }

        [Fact]
        public void Resource_sets_hold_resources_and_report_each_change_and_Remove_PassThru_writes_the_removed_set()
        {
            var set = Run("$set = Set-FmsResourceSet -Name inspection-vpcs -ResourceType AWS::EC2::VPC -PassThru; $set").ShouldSucceed().OutputOf<FmsResourceSet>().Single();
            const string arn = "arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcdef0";
            var add = Run($"$set | Add-FmsResourceSetResource -Uri {arn}").ShouldSucceed();
            var change = add.OutputOf<FmsResourceSetChange>().Single();
            Assert.True(change.Succeeded);
            Assert.Equal(arn, change.Uri);

            Assert.Equal(arn, Assert.Single(Run("$set | Get-FmsResourceSetResource").ShouldSucceed().OutputOf<FmsResourceSetResource>()).Uri);

            Run($"Remove-FmsResourceSetResource -ResourceSetId $set.Id -Uri {arn} -Confirm:$false").ShouldSucceed();
            Assert.Empty(Run("$set | Get-FmsResourceSetResource").ShouldSucceed().Output);

            Assert.Equal(set.Id, Run("Get-FmsResourceSet -Name 'inspection-*'").ShouldSucceed().OutputOf<FmsResourceSet>().Single().Id);
            var removed = Run("Remove-FmsResourceSet -Id $set.Id -Force -PassThru").ShouldSucceed();
            Assert.Equal(set.Id, removed.OutputOf<FmsResourceSet>().Single().Id);
            Assert.Empty(Run("Get-FmsResourceSet -Name inspection-vpcs").ShouldSucceed().Output);
        }

        [Fact]
        public void Tags_are_set_listed_and_removed_on_an_fms_resource()
        {
            Run("$tagged = Set-FmsAppsList -Name tagged-apps -App @{ Name = 'dns'; Protocol = 'udp'; Port = 53 } -PassThru").ShouldSucceed();
            Run("Set-FmsTag -ResourceArn $tagged.Arn -Tag @{ owner = 'secops'; env = 'prod' }").ShouldSucceed();
            var tags = Run("Get-FmsTag -ResourceArn $tagged.Arn").ShouldSucceed().OutputOf<FmsTag>().ToList();
            Assert.Equal(new[] { "env=prod", "owner=secops" }, tags.Select(t => t.ToString()));

            Run("Remove-FmsTag -ResourceArn $tagged.Arn -Key owner -Confirm:$false").ShouldSucceed();
            Assert.Equal("env", Run("Get-FmsTag -ResourceArn $tagged.Arn").ShouldSucceed().OutputOf<FmsTag>().Single().Key);
        }

        [Fact]
        public void Tag_rules_are_checked_before_the_call()
        {
            Run("$policy = Get-FmsPolicy -Name demo-waf-baseline").ShouldSucceed();
            var mark = _env.Mark;
            var result = Run("Set-FmsTag -ResourceArn $policy.Arn -Tag @{ 'aws:reserved' = 'x' }");
            var input = Assert.IsType<FmsInputException>(Assert.Single(result.Errors).Exception);
            Assert.Contains(input.Findings, f => f.Rule == "Tag.ReservedPrefix");
            Assert.Empty(_env.RequestsSince(mark));
        }

        [Fact]
        public void The_notification_channel_round_trips()
        {
            const string topic = "arn:aws:sns:us-east-1:222222222222:fms-findings";
            const string role = "arn:aws:iam::222222222222:role/fms-sns";
            var set = Run($"Set-FmsNotificationChannel -SnsTopicArn {topic} -SnsRoleArn {role} -PassThru").ShouldSucceed().OutputOf<FmsNotificationChannel>().Single();
            Assert.Equal(topic, set.SnsTopicArn);
            Assert.Equal(role, Run("Get-FmsNotificationChannel").ShouldSucceed().OutputOf<FmsNotificationChannel>().Single().SnsRoleName);
            Run("Remove-FmsNotificationChannel -Force").ShouldSucceed();
            Assert.False(Run("Get-FmsNotificationChannel").ShouldSucceed().OutputOf<FmsNotificationChannel>().Single().IsConfigured);
        }

        [Fact]
        public void A_scoped_administrator_is_named_in_the_question_and_its_scope_read_back_from_the_management_account()
        {
            var delegated = _env.Sandbox.AccountIds.First(a => a != _env.Sandbox.AdminAccountId && a != _env.Sandbox.ManagementAccountId);
            var set = $"Set-FmsAdminAccount @mgmt -AccountId {delegated} -ScopeRegion eu-west-1 -ScopePolicyType DNS_FIREWALL";
            var mark = _env.Mark;
            var text = _env.Host.Text.Length;
            Run(set + " -WhatIf").ShouldSucceed();
            Assert.Contains($"account {delegated}", Assert.Single(_env.Host.WhatIfSince(text)).Target);
            Assert.Empty(_env.MutatingSince(mark));

            var admin = Run(set + " -Force -PassThru").ShouldSucceed().OutputOf<FmsAdminAccount>().Single();
            Assert.Equal(delegated, admin.AccountId);
            var scope = Run($"Get-FmsAdminScope @mgmt -AdminAccount {delegated}").ShouldSucceed().OutputOf<FmsAdminScope>().Single();
            Assert.False(scope.AllRegions);
            Assert.Equal(new[] { "eu-west-1" }, scope.Regions);
            Assert.Equal(new[] { "DNS_FIREWALL" }, scope.PolicyTypes);
        }

        [Fact]
        public void An_unknown_policy_type_in_an_administrator_scope_is_rejected_before_any_call()
        {
            var other = _env.Sandbox.AccountIds.Last(a => a != _env.Sandbox.AdminAccountId && a != _env.Sandbox.ManagementAccountId);
            var mark = _env.Mark;
            var result = Run($"Set-FmsAdminAccount @mgmt -AccountId {other} -ScopePolicyType NOT_A_TYPE -Force");
            var input = Assert.IsType<FmsInputException>(Assert.Single(result.Errors).Exception);
            Assert.Contains(input.Findings, f => f.Rule == "PolicyType.Unknown");
            Assert.Empty(_env.MutatingSince(mark));
        }

        [Fact]
        public void Removing_the_administrator_names_it_and_WhatIf_keeps_it()
        {
            // An organization of its own: the class's sandbox keeps its administrator.
            using var env = new SandboxRunspace(management: true, options: () => new SandboxOptions { AccountCount = 2 });
            var text = env.Host.Text.Length;
            env.Run("Remove-FmsAdminAccount -WhatIf").ShouldSucceed();
            Assert.Contains(env.Sandbox.AdminAccountId, Assert.Single(env.Host.WhatIfSince(text)).Target);
            Assert.Empty(env.MutatingSince(0));

            var removed = env.Run("Remove-FmsAdminAccount -Force -PassThru").ShouldSucceed();
            Assert.Equal(env.Sandbox.AdminAccountId, removed.OutputOf<FmsAdminAccount>().Single().AccountId);
            var after = env.Run("Get-FmsAdminAccount");
            Assert.Equal("NoAdminAccount", Assert.Single(after.Errors).ErrorId());
        }
    }
}
