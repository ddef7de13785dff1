using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Wafv2;
using FmsTools.Engine.Connection;
using FmsTools.Engine.History;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Cmdlets;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Tab completion as a user gets it: TabExpansion2 in a real runspace connected to a demo sandbox, one test per kind
    /// of value, with the expected values read from the sandbox's own API (or the journal written here), not from the
    /// completers. A completion whose list is still being fetched returns nothing and the next Tab uses the list, so
    /// <see cref="TabUntil"/> presses Tab again (each press waits at most the completer's two seconds) a bounded number of times.
    /// </summary>
    public sealed partial class TabCompletionTests : IClassFixture<TabCompletionSandbox>
    {
        private readonly TabCompletionSandbox _fixture;

        public TabCompletionTests(TabCompletionSandbox fixture) { _fixture = fixture; }

        private List<CompletionResult> Tab(string line)
        {
            _fixture.Session.Set("tabLine", line);
            var result = _fixture.Session.Run("TabExpansion2 -inputScript $tabLine -cursorColumn $tabLine.Length").ShouldSucceed();
            var completion = Assert.IsType<CommandCompletion>(Assert.Single(result.Output).BaseObject);
            return completion.CompletionMatches.ToList();
        }

        /// <summary>Presses Tab until the texts offered satisfy <paramref name="done"/>, at most ten times; returns the last answer.</summary>
        private List<CompletionResult> TabUntil(string line, Func<List<string>, bool> done)
        {
            var answer = Tab(line);
            for (var press = 1; press < 10 && !done(Texts(answer)); press++) answer = Tab(line);
            return answer;
        }

        private List<CompletionResult> TabUntilEqual(string line, IEnumerable<string> expected)
        {
            var want = expected.ToList();
            return TabUntil(line, texts => texts.SequenceEqual(want));
        }

        private static List<string> Texts(IEnumerable<CompletionResult> results) => results.Select(r => r.CompletionText).ToList();

        private static string Quoted(string value) => value.Contains(' ') ? "'" + value + "'" : value;

        private async Task<List<PolicySummary>> Policies()
        {
            var list = new List<PolicySummary>();
            await foreach (var p in _fixture.Direct().Fms.ListPoliciesItemsAsync(new ListPoliciesRequest { MaxResults = 100 })) list.Add(p);
            return list;
        }

        // ---- policies and accounts on the compliance commands ---------------------------------------------------------

        [Theory]
        [InlineData("Get-FmsComplianceStatus")]
        [InlineData("Test-FmsCompliance")]
        [InlineData("Assert-FmsCompliance")]
        [InlineData("Watch-FmsCompliance")]
        public async Task Policy_names_complete_on_the_compliance_commands(string command)
        {
            var expected = (await Policies()).Select(p => p.PolicyName!).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
            var answer = TabUntilEqual(command + " -PolicyName ", expected);
            Assert.Equal(expected, Texts(answer));
            Assert.All(answer, r => Assert.Equal(CompletionResultType.ParameterValue, r.ResultType));
            Assert.All(answer, r => Assert.Contains("policy", r.ToolTip));

            // What is typed filters, wildcards included.
            Assert.Equal(expected.Where(n => n.Contains("-sg-")), Texts(Tab(command + " -PolicyName *-sg-")));
        }

        [Theory]
        [InlineData("Get-FmsComplianceStatus -PolicyId ")]
        [InlineData("Get-FmsViolation -PolicyId ")]
        [InlineData("Test-FmsCompliance -PolicyId ")]
        [InlineData("Assert-FmsCompliance -PolicyId ")]
        [InlineData("Get-FmsComplianceReport -PolicyId ")]
        [InlineData("Invoke-FmsRemediation -PolicyId ")]
        public async Task Policy_ids_complete_listed_with_their_names(string line)
        {
            var policies = await Policies();
            var expected = policies.Select(p => p.PolicyId!).OrderBy(i => i, StringComparer.OrdinalIgnoreCase).ToList();
            var answer = TabUntilEqual(line, expected);
            Assert.Equal(expected, Texts(answer));
            foreach (var policy in policies)
            {
                var item = answer.Single(r => r.CompletionText == policy.PolicyId);
                Assert.Contains(policy.PolicyName!, item.ListItemText);
                Assert.Contains(policy.PolicyName!, item.ToolTip);
            }

            // Typing part of a name finds the id.
            var shield = policies.Single(p => p.PolicyName == DemoOrganization.ShieldPolicyName);
            Assert.Equal(new[] { shield.PolicyId }, Texts(Tab(line + "demo-shield")));
        }

        [Theory]
        [InlineData("Get-FmsComplianceStatus -PolicyName " + DemoOrganization.WafPolicyName + " -AccountId ")]
        [InlineData("Test-FmsCompliance -PolicyName demo-waf-base* -AccountId ")]
        [InlineData("Watch-FmsCompliance -PolicyName " + DemoOrganization.WafPolicyName + " -AccountId ")]
        [InlineData("Get-FmsViolation -PolicyId {id} -AccountId ")]
        [InlineData("Invoke-FmsRemediation -PolicyId {id} -AccountId ")]
        [InlineData("Get-FmsComplianceReport -PolicyId {id} -AccountId ")]
        public async Task Account_ids_narrow_to_the_accounts_in_scope_of_the_policy_on_the_command_line(string line)
        {
            var policy = (await Policies()).Single(p => p.PolicyName == DemoOrganization.WafPolicyName);
            var inScope = new List<string>();
            await foreach (var status in _fixture.Direct().Fms.ListComplianceStatusItemsAsync(new ListComplianceStatusRequest { PolicyId = policy.PolicyId, MaxResults = 100 }))
                inScope.Add(status.MemberAccount!);
            var members = new List<string>();
            await foreach (var id in _fixture.Direct().Fms.ListMemberAccountsItemsAsync(new ListMemberAccountsRequest { MaxResults = 100 })) members.Add(id);
            var expected = inScope.Distinct().OrderBy(a => a, StringComparer.Ordinal).ToList();
            Assert.NotEmpty(expected);
            Assert.True(members.Count > expected.Count, "the demo has accounts outside the WAF policy's scope");

            var answer = TabUntilEqual(line.Replace("{id}", policy.PolicyId), expected);
            Assert.Equal(expected, Texts(answer));
            Assert.All(answer, r => Assert.Contains(DemoOrganization.WafPolicyName, r.ToolTip));
        }

        [Fact]
        public async Task Account_ids_without_a_policy_are_every_member_account()
        {
            var members = new List<string>();
            await foreach (var id in _fixture.Direct().Fms.ListMemberAccountsItemsAsync(new ListMemberAccountsRequest { MaxResults = 100 })) members.Add(id);
            var expected = members.Distinct().OrderBy(a => a, StringComparer.Ordinal).ToList();
            Assert.Equal(expected, Texts(TabUntilEqual("Get-FmsComplianceStatus -AccountId ", expected)));
            Assert.Equal(expected.Where(a => a.StartsWith("31", StringComparison.Ordinal)), Texts(Tab("Get-FmsViolation -InputObject $null -AccountId 31")));
        }

        [Fact]
        public async Task The_administrator_completes_the_default_administrator_and_the_management_account_every_administrator()
        {
            var mine = TabUntil("Get-FmsAdminScope -AdminAccount ", t => t.Count > 0);
            Assert.Equal(new[] { DemoOrganization.FmsAdministratorAccountId }, Texts(mine));
            Assert.Contains("default administrator", mine[0].ToolTip);

            var admins = new List<string>();
            await foreach (var a in _fixture.Direct(management: true).Fms.ListAdminAccountsForOrganizationItemsAsync(new ListAdminAccountsForOrganizationRequest { MaxResults = 100 }))
                admins.Add(a.AdminAccount!);
            // The management account's keys on the command line: the completer signs as the cmdlet would.
            var line = $"Get-FmsAdminScope -EndpointUrl {_fixture.Host.Endpoint} -Region {_fixture.Host.Region} -AccessKey {_fixture.Host.ManagementAccessKeyId} "
                       + $"-SecretKey {_fixture.Host.ManagementSecretAccessKey} -AdminAccount ";
            var expected = admins.OrderBy(a => a, StringComparer.Ordinal).ToList();
            Assert.Equal(expected, Texts(TabUntilEqual(line, expected)));
        }

        // ---- lists, resource sets, tags -------------------------------------------------------------------------------

        [Theory]
        [InlineData("Get-FmsAppsList -Name ", "apps")]
        [InlineData("Set-FmsAppsList -Name ", "apps")]
        [InlineData("Get-FmsProtocolsList -Name ", "protocols")]
        [InlineData("Set-FmsProtocolsList -Name ", "protocols")]
        public async Task List_names_complete_and_are_quoted_when_they_need_it(string line, string kind)
        {
            var fms = _fixture.Direct().Fms;
            var names = new List<string>();
            if (kind == "apps")
                await foreach (var l in fms.ListAppsListsItemsAsync(new ListAppsListsRequest { MaxResults = 100 })) names.Add(l.ListName!);
            else
                await foreach (var l in fms.ListProtocolsListsItemsAsync(new ListProtocolsListsRequest { MaxResults = 100 })) names.Add(l.ListName!);
            var expected = names.OrderBy(n => n, StringComparer.OrdinalIgnoreCase).Select(Quoted).ToList();
            Assert.NotEmpty(expected);
            var answer = TabUntilEqual(line, expected);
            Assert.Equal(expected, Texts(answer));
            Assert.Equal(names.OrderBy(n => n, StringComparer.OrdinalIgnoreCase), answer.Select(r => r.ListItemText));
        }

        [Fact]
        public async Task Default_lists_complete_with_Default()
        {
            var names = new List<string>();
            await foreach (var l in _fixture.Direct().Fms.ListAppsListsItemsAsync(new ListAppsListsRequest { MaxResults = 100, DefaultLists = true })) names.Add(l.ListName!);
            var expected = names.OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, Texts(TabUntilEqual("Get-FmsAppsList -Default -Name ", expected)));
        }

        [Theory]
        [InlineData("Get-FmsAppsList -ListId ", "apps")]
        [InlineData("Remove-FmsAppsList -ListId ", "apps")]
        [InlineData("Set-FmsAppsList -ListId ", "apps")]
        [InlineData("Get-FmsProtocolsList -ListId ", "protocols")]
        [InlineData("Remove-FmsProtocolsList -ListId ", "protocols")]
        [InlineData("Set-FmsProtocolsList -ListId ", "protocols")]
        public async Task List_ids_complete_listed_with_their_names(string line, string kind)
        {
            var fms = _fixture.Direct().Fms;
            var lists = new Dictionary<string, string>();
            if (kind == "apps")
                await foreach (var l in fms.ListAppsListsItemsAsync(new ListAppsListsRequest { MaxResults = 100 })) lists[l.ListId!] = l.ListName!;
            else
                await foreach (var l in fms.ListProtocolsListsItemsAsync(new ListProtocolsListsRequest { MaxResults = 100 })) lists[l.ListId!] = l.ListName!;
            var expected = lists.Keys.OrderBy(i => i, StringComparer.OrdinalIgnoreCase).ToList();
            var answer = TabUntilEqual(line, expected);
            Assert.Equal(expected, Texts(answer));
            Assert.All(answer, r => Assert.Contains(lists[r.CompletionText], r.ListItemText));
        }

        [Theory]
        [InlineData("Get-FmsResourceSet -Id ")]
        [InlineData("Remove-FmsResourceSet -Id ")]
        [InlineData("Set-FmsResourceSet -Id ")]
        [InlineData("Get-FmsResourceSetResource -ResourceSetId ")]
        [InlineData("Add-FmsResourceSetResource -ResourceSetId ")]
        [InlineData("Remove-FmsResourceSetResource -ResourceSetId ")]
        [InlineData("New-FmsNetworkFirewallPolicy -Name x -ResourceSetId ")]
        [InlineData("Set-FmsPolicy -PolicyId x -ResourceSetId ")]
        public async Task Resource_set_ids_complete_listed_with_their_names(string line)
        {
            var sets = new Dictionary<string, string>();
            await foreach (var s in _fixture.Direct().Fms.ListResourceSetsItemsAsync(new ListResourceSetsRequest { MaxResults = 100 })) sets[s.Id!] = s.Name!;
            var expected = sets.Keys.OrderBy(i => i, StringComparer.OrdinalIgnoreCase).ToList();
            var answer = TabUntilEqual(line, expected);
            Assert.Equal(expected, Texts(answer));
            Assert.All(answer, r => Assert.Contains(sets[r.CompletionText], r.ListItemText));
            // The name finds the id.
            Assert.Equal(new[] { _fixture.ResourceSetId }, Texts(Tab(line + "'inspected")));
        }

        [Fact]
        public void Resource_set_names_complete_quoted()
        {
            Assert.Equal(new[] { "'" + TabCompletionSandbox.ResourceSetName + "'" }, Texts(TabUntil("Get-FmsResourceSet -Name insp", t => t.Count > 0)));
        }

        [Fact]
        public async Task Resources_to_remove_are_the_sets_members_and_resources_to_add_are_the_others_of_its_types()
        {
            var members = new List<string>();
            await foreach (var r in _fixture.Direct().Fms.ListResourceSetResourcesItemsAsync(new ListResourceSetResourcesRequest { Identifier = _fixture.ResourceSetId, MaxResults = 100 }))
                members.Add(r.URI!);
            Assert.Equal(new[] { _fixture.ResourceSetMember }, members);
            var remove = $"Remove-FmsResourceSetResource -ResourceSetId {_fixture.ResourceSetId} -Uri ";
            Assert.Equal(members, Texts(TabUntilEqual(remove, members)));

            // Add: the VPCs of the account typed (as far as the account), less the set's members.
            async Task<List<string>> Vpcs(string account)
            {
                var list = new List<string>();
                await foreach (var r in _fixture.Direct().Fms.ListDiscoveredResourcesItemsAsync(new ListDiscoveredResourcesRequest
                               { MemberAccountIds = new List<string> { account }, ResourceType = "AWS::EC2::VPC", MaxResults = 100 }))
                    list.Add(r.URI!);
                return list.OrderBy(v => v, StringComparer.OrdinalIgnoreCase).ToList();
            }
            var add = $"Add-FmsResourceSetResource -ResourceSetId {_fixture.ResourceSetId} -Uri arn:aws:ec2:{_fixture.Host.Region}:";
            var prodWeb = await Vpcs(DemoOrganization.ProdWeb);
            Assert.NotEmpty(prodWeb);
            Assert.Equal(prodWeb, Texts(TabUntilEqual(add + DemoOrganization.ProdWeb + ":", prodWeb)));
            var euWeb = await Vpcs(DemoOrganization.ProdEuWeb);
            Assert.Contains(_fixture.ResourceSetMember, euWeb);
            var expected = euWeb.Where(v => v != _fixture.ResourceSetMember).ToList();
            Assert.NotEmpty(expected);
            var answer = TabUntilEqual(add + DemoOrganization.ProdEuWeb + ":", expected);
            Assert.Equal(expected, Texts(answer));
            Assert.DoesNotContain(_fixture.ResourceSetMember, Texts(answer));
        }

        [Theory]
        [InlineData("Get-FmsTag -ResourceArn ")]
        [InlineData("Set-FmsTag -ResourceArn ")]
        [InlineData("Remove-FmsTag -ResourceArn ")]
        public async Task Resource_arns_complete_for_everything_FMS_tags(string line)
        {
            var fms = _fixture.Direct().Fms;
            var arns = new List<string>();
            await foreach (var p in fms.ListPoliciesItemsAsync(new ListPoliciesRequest { MaxResults = 100 })) arns.Add(p.PolicyArn!);
            await foreach (var l in fms.ListAppsListsItemsAsync(new ListAppsListsRequest { MaxResults = 100 })) arns.Add(l.ListArn!);
            await foreach (var l in fms.ListProtocolsListsItemsAsync(new ListProtocolsListsRequest { MaxResults = 100 })) arns.Add(l.ListArn!);
            arns.Add((await fms.GetResourceSetAsync(new GetResourceSetRequest { Identifier = _fixture.ResourceSetId })).ResourceSetArn!);
            var expected = arns.OrderBy(a => a, StringComparer.OrdinalIgnoreCase).ToList();
            var answer = TabUntilEqual(line, expected);
            Assert.Equal(expected, Texts(answer));
            // A policy's name finds its ARN.
            Assert.Equal(new[] { _fixture.TaggedPolicyArn }, Texts(Tab(line + DemoOrganization.ShieldPolicyName)));
        }

        [Fact]
        public async Task Tag_keys_complete_from_the_resource_on_the_command_line()
        {
            var response = await _fixture.Direct().Fms.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = _fixture.TaggedPolicyArn });
            var expected = response.TagList!.Select(t => t.Key!).OrderBy(k => k, StringComparer.OrdinalIgnoreCase).ToList();
            Assert.Equal(2, expected.Count);
            var answer = TabUntilEqual($"Remove-FmsTag -ResourceArn {_fixture.TaggedPolicyArn} -Key ", expected);
            Assert.Equal(expected, Texts(answer));
            Assert.Contains("network team", answer.Single(r => r.CompletionText == "owner").ToolTip);
            // Without a resource there are no keys, and no file names either.
            Assert.Empty(Tab("Remove-FmsTag -Key zz"));
        }

        // ---- rule groups and vendor policies ---------------------------------------------------------------------------

        [Theory]
        [InlineData("New-FmsWafPolicy -Name x -RuleGroupArn ")]
        [InlineData("New-FmsWafPolicy -Name x -PostProcessRuleGroupArn ")]
        public async Task Waf_rule_group_arns_complete(string line)
        {
            var expected = new List<string>();
            await foreach (var g in _fixture.Direct().Wafv2.ListRuleGroupsItemsAsync(new ListRuleGroupsRequest { Scope = "REGIONAL", Limit = 100 })) expected.Add(g.ARN!);
            Assert.NotEmpty(expected);
            expected = expected.OrderBy(a => a, StringComparer.OrdinalIgnoreCase).ToList();
            Assert.Equal(expected, Texts(TabUntilEqual(line, expected)));
            // The rule group's name finds its ARN.
            Assert.Equal(expected.Where(a => a.Contains("/fms-custom-rules/")), Texts(Tab(line + "fms-custom")));
        }

        [Fact]
        public async Task Third_party_firewall_policies_complete_for_the_vendor_on_the_command_line()
        {
            var expected = new List<string>();
            await foreach (var p in _fixture.Direct().Fms.ListThirdPartyFirewallFirewallPoliciesItemsAsync(new ListThirdPartyFirewallFirewallPoliciesRequest
                           { ThirdPartyFirewall = ThirdPartyFirewallValues.PaloAltoNetworksCloudNgfw, MaxResults = 100 }))
                expected.Add(p.FirewallPolicyName!);
            expected = expected.OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, Texts(TabUntilEqual("New-FmsThirdPartyFirewallPolicy -Name x -Vendor PaloAltoCloudNgfw -FirewallPolicy ", expected)));
            // The administrator has not onboarded Fortigate: nothing, and no file names.
            Assert.Empty(TabUntil("New-FmsThirdPartyFirewallPolicy -Name x -Vendor FortigateCloudNativeFirewall -FirewallPolicy zz", t => false));
        }

        // ---- known value sets --------------------------------------------------------------------------------------

        // From the FMS API reference's Policy.ResourceType and the developer guide, per policy type.
        [Theory]
        [InlineData("New-FmsShieldPolicy -Name x", "AWS::ElasticLoadBalancingV2::LoadBalancer,AWS::ElasticLoadBalancing::LoadBalancer,AWS::EC2::EIP,AWS::CloudFront::Distribution")]
        [InlineData("New-FmsWafPolicy -Name x", "AWS::ApiGateway::Stage,AWS::ElasticLoadBalancingV2::LoadBalancer,AWS::CloudFront::Distribution")]
        [InlineData("New-FmsDnsFirewallPolicy -Name x", "AWS::EC2::VPC")]
        [InlineData("New-FmsNetworkAclPolicy -Name x", "AWS::EC2::Subnet")]
        [InlineData("New-FmsSecurityGroupPolicy -Name x -UsageAudit", "AWS::EC2::SecurityGroup")]
        [InlineData("New-FmsSecurityGroupPolicy -Name x -SecurityGroupId sg-1", "AWS::EC2::Instance,AWS::EC2::NetworkInterface")]
        [InlineData("New-FmsSecurityGroupPolicy -Name x -AuditSecurityGroupId sg-1", "AWS::EC2::SecurityGroup,AWS::EC2::NetworkInterface,AWS::EC2::Instance")]
        public void Resource_types_are_those_of_the_builders_policy_type(string command, string types)
        {
            var expected = types.Split(',').OrderBy(t => t, StringComparer.Ordinal).ToList();
            var answer = Tab(command + " -ResourceType ");
            Assert.Equal(expected, Texts(answer).OrderBy(t => t, StringComparer.Ordinal));
            Assert.Equal(expected.Where(t => t.StartsWith("AWS::EC2::", StringComparison.Ordinal)), Texts(Tab(command + " -ResourceType AWS::EC2::")).OrderBy(t => t, StringComparer.Ordinal));
        }

        [Fact]
        public void Every_offered_resource_type_passes_the_builders_validation()
        {
            foreach (var type in Texts(Tab("New-FmsShieldPolicy -Name x -ResourceType ")))
            {
                _fixture.Session.Set("resourceType", type);
                var result = _fixture.Session.Run("New-FmsShieldPolicy -Name tab-check -ResourceType $resourceType -Offline");
                Assert.True(result.Errors.Count == 0 && result.Terminating == null, type + ": " + string.Join("; ", result.Errors.Select(PowerShellResult.Describe)));
            }
        }

        [Fact]
        public async Task Set_FmsPolicy_offers_the_resource_types_of_the_policy_it_changes()
        {
            var waf = (await Policies()).Single(p => p.PolicyName == DemoOrganization.WafPolicyName);
            var expected = new[] { "AWS::ApiGateway::Stage", "AWS::CloudFront::Distribution", "AWS::ElasticLoadBalancingV2::LoadBalancer" };
            var answer = TabUntil($"Set-FmsPolicy -PolicyId {waf.PolicyId} -ResourceType ", t => t.OrderBy(x => x, StringComparer.Ordinal).SequenceEqual(expected));
            Assert.Equal(expected, Texts(answer).OrderBy(t => t, StringComparer.Ordinal));
        }

        [Fact]
        public void Resource_set_types_are_every_type_a_policy_can_scope_to()
        {
            var answer = Texts(Tab("Set-FmsResourceSet -Name x -ResourceType "));
            foreach (var type in new[] { "AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::CloudFront::Distribution", "AWS::ApiGateway::Stage", "AWS::EC2::EIP", "AWS::NetworkFirewall::Firewall" })
                Assert.Contains(type, answer);
        }

        [Fact]
        public void Policy_types_and_violation_reasons_are_the_services_own_values()
        {
            Assert.Equal(SecurityServiceTypeValues.All.OrderBy(v => v, StringComparer.Ordinal), Texts(Tab("Set-FmsAdminAccount -AccountId 1 -ScopePolicyType ")).OrderBy(v => v, StringComparer.Ordinal));

            var reasons = typeof(ViolationReasonValues).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).OrderBy(v => v, StringComparer.Ordinal).ToList();
            var answer = Tab("Get-FmsViolation -PolicyId x -AccountId 1 -Reason ");
            Assert.Equal(reasons, Texts(answer).OrderBy(v => v, StringComparer.Ordinal));
            Assert.All(answer, r => Assert.DoesNotContain("no description", r.ToolTip));
            Assert.Equal(reasons.Where(r => r.StartsWith("SECURITY_GROUP_", StringComparison.Ordinal)), Texts(Tab("Get-FmsViolation -PolicyId x -AccountId 1 -Reason SECURITY_GROUP_")).OrderBy(v => v, StringComparer.Ordinal));
        }

        [Fact]
        public void Firewall_actions_protocols_and_roles_complete()
        {
            Assert.Equal(new[] { "aws:forward_to_sfe", "aws:pass", "aws:drop" }, Texts(Tab("New-FmsNetworkFirewallPolicy -Name x -StatelessDefaultAction ")));
            Assert.Equal(new[] { "aws:forward_to_sfe", "aws:pass", "aws:drop" }, Texts(Tab("New-FmsImportNetworkFirewallPolicy -Name x -StatelessFragmentDefaultAction ")));
            Assert.Equal(new[] { "aws:drop_strict", "aws:drop_established" }, Texts(Tab("New-FmsNetworkFirewallPolicy -Name x -StatefulDefaultAction aws:drop")));
            Assert.Equal(new[] { "tcp", "udp", "icmp", "'-1'" }, Texts(Tab("Set-FmsProtocolsList -Name x -Protocol ")));
            Assert.Equal(new[] { "AWSControlTowerExecution", "OrganizationAccountAccessRole" }, Texts(Tab("Connect-Fms -MemberAccountRoleName ")));
        }

        [Fact]
        public void Regions_complete_on_Get_FmsComplianceReport_which_takes_several()
        {
            Assert.Equal(new[] { "eu-west-1", "eu-west-2", "eu-west-3" }, Texts(Tab("Get-FmsComplianceReport -Region eu-w")));
        }

        // ---- local objects: credential profiles, sandboxes, the change journal --------------------------------------

        [Fact]
        public void Profile_names_complete_from_the_profiles_file_on_the_command_line()
        {
            var file = Path.Combine(_fixture.Folder, "credentials");
            File.WriteAllText(file, "[tab-alpha]\naws_access_key_id = AKIAEXAMPLEALPHA\naws_secret_access_key = x\n\n[tab-beta]\naws_access_key_id = AKIAEXAMPLEBETA\naws_secret_access_key = y\nregion = eu-west-1\n");
            // Relative to the runspace's location, as the cmdlet resolves it.
            var answer = Tab("Get-FmsPolicy -ProfileLocation ./credentials -ProfileName tab-");
            Assert.Equal(new[] { "tab-alpha", "tab-beta" }, Texts(answer));
            Assert.Contains("eu-west-1", answer[1].ToolTip);
        }

        [Fact]
        public void Endpoints_complete_from_the_sandboxes_running_in_this_process()
        {
            var started = _fixture.Session.Run("Start-FmsSandbox -Demo").ShouldSucceed();
            var host = Assert.IsType<FmsTools.Sandbox.SandboxHost>(Assert.Single(started.Output).BaseObject);
            try
            {
                _fixture.Session.Set("started", host);
                Assert.Contains(host.Endpoint, Texts(Tab("Get-FmsPolicy -EndpointUrl ")));
                Assert.Equal(new[] { host.Endpoint }, Texts(Tab("Get-FmsPolicy -EndpointUrl " + host.Endpoint)));
            }
            finally
            {
                _fixture.Session.Run("Stop-FmsSandbox -InputObject $started").ShouldSucceed();
            }
        }

        [Fact]
        public void Sandbox_operations_complete_from_the_sandboxes_request_log()
        {
            var expected = _fixture.Host.RequestLog.Entries.Select(e => e.Operation).Where(o => o.StartsWith("ListP", StringComparison.Ordinal))
                .Distinct().OrderBy(o => o, StringComparer.OrdinalIgnoreCase).ToList();
            Assert.Contains("ListPolicies", expected);
            Assert.Equal(expected, Texts(Tab("Get-FmsSandboxRequest -Sandbox $sandbox -Operation ListP")));
        }

        [Fact]
        public void Change_history_completes_policies_callers_and_targets_from_the_journal_on_the_command_line()
        {
            var j = "Get-FmsChangeHistory -JournalPath ./journal ";
            var ids = Tab(j + "-PolicyId ");
            Assert.Equal(new[] { _fixture.JournalPolicyId, _fixture.DeletedPolicyId }.OrderBy(i => i, StringComparer.Ordinal), Texts(ids));
            Assert.Contains("journal-waf", ids.Single(r => r.CompletionText == _fixture.JournalPolicyId).ListItemText);

            Assert.Equal(new[] { "journal-waf", "'retired shield'" }, Texts(Tab(j + "-PolicyName ")));
            Assert.Equal(new[] { "arn:aws:iam::222222222222:role/Deploy", "arn:aws:sts::222222222222:assumed-role/Admin/alice" }, Texts(Tab(j + "-Caller ")));
            // Targets are ids of every kind of object, found by their names too.
            Assert.Equal(new[] { _fixture.JournalPolicyId, "list-0001" }.OrderBy(i => i, StringComparer.OrdinalIgnoreCase), Texts(Tab(j + "-Target journal")));
            Assert.Equal(3, Tab(j + "-Target ").Count);
        }

        [Fact]
        public void Restore_completes_recorded_policies_and_their_versions_newest_first()
        {
            var r = "Restore-FmsPolicy -JournalPath ./journal ";
            Assert.Equal(new[] { _fixture.JournalPolicyId, _fixture.DeletedPolicyId }.OrderBy(i => i, StringComparer.Ordinal), Texts(Tab(r + "-PolicyId ")));
            var versions = Tab(r + $"-PolicyId {_fixture.JournalPolicyId} -Version ");
            Assert.Equal(new[] { "3", "2", "1" }, Texts(versions));
            Assert.Contains("CreatePolicy", versions[2].ToolTip);
            Assert.Contains("alice", versions[1].ToolTip);
        }

        [Fact]
        public async Task A_new_journal_entry_completes_at_the_next_Tab()
        {
            var folder = Path.Combine(_fixture.Folder, "journal-fresh");
            var store = new ChangeJournalStore(folder);
            Task Write(string id) => store.AppendAsync(new FmsChangeEntry
            {
                Id = Guid.NewGuid().ToString("N"), Time = DateTime.UtcNow, Operation = ChangeOperations.CreatePolicy, TargetTypeValue = ChangeTargetType.Policy,
                PolicyId = id, PolicyName = "fresh-" + id.Substring(0, 4), AfterDocument = "{}", OutcomeValue = ChangeOutcome.Succeeded,
            }, CancellationToken.None);
            await Write("aaaaaaaa-0000-0000-0000-000000000000");
            var line = "Get-FmsChangeHistory -JournalPath ./journal-fresh -PolicyId ";
            Assert.Equal(new[] { "aaaaaaaa-0000-0000-0000-000000000000" }, Texts(Tab(line)));
            await Write("bbbbbbbb-0000-0000-0000-000000000000");
            Assert.Equal(new[] { "aaaaaaaa-0000-0000-0000-000000000000", "bbbbbbbb-0000-0000-0000-000000000000" }, Texts(Tab(line)));
        }
    }
}
