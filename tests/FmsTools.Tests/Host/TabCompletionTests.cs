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
    /// A demo sandbox with the objects the demo does not have (apps and protocols lists with names that need quoting, a
    /// resource set with a member, tags on a policy), a change journal in a temporary folder, and one PowerShell runspace
    /// connected to the sandbox (Connect-Fms) whose current location holds a file, so falling back to file names shows.
    /// </summary>
    public sealed class TabCompletionSandbox : IDisposable
    {
        public const string AppsListName = "corp web apps";
        public const string ProtocolsListName = "corp-protocols";
        public const string ResourceSetName = "inspected vpcs";
        public const string DecoyFile = "zz-not-a-value.txt";

        private readonly SandboxCmdletFixture _sandbox = new SandboxCmdletFixture();

        public TabCompletionSandbox()
        {
            Seed().GetAwaiter().GetResult();
            Folder = Path.Combine(Path.GetTempPath(), "fmstools-tab-" + Guid.NewGuid().ToString("N"));
            JournalFolder = Path.Combine(Folder, "journal");
            Directory.CreateDirectory(JournalFolder);
            File.WriteAllText(Path.Combine(Folder, DecoyFile), "");
            SeedJournal().GetAwaiter().GetResult();
            Session = new PowerShellSession();
            Session.Set("sandbox", _sandbox.Host);
            Session.Set("tabFolder", Folder);
            Session.Run("$null = $sandbox | Connect-Fms; Set-Location -LiteralPath $tabFolder").ShouldSucceed();
        }

        public FmsTools.Sandbox.SandboxHost Host => _sandbox.Host;
        public PowerShellSession Session { get; }
        public string Folder { get; }
        public string JournalFolder { get; }
        public string ResourceSetId { get; private set; } = "";
        public string ResourceSetMember { get; private set; } = "";
        public string TaggedPolicyArn { get; private set; } = "";
        public string JournalPolicyId => "11111111-2222-3333-4444-555555555555";
        public string DeletedPolicyId => "99999999-8888-7777-6666-555555555555";

        /// <summary>A session that talks to the sandbox directly, without FmsTools' completers (expected values).</summary>
        public AwsSession Direct(bool management = false) => SessionCache.GetOrCreate(ConnectionResolver.Resolve(new[]
        {
            new ConnectionSettings
            {
                Source = "test",
                EndpointUrl = Host.Endpoint,
                Region = Host.Region,
                AccessKey = management ? Host.ManagementAccessKeyId : Host.AccessKeyId,
                SecretKey = management ? Host.ManagementSecretAccessKey : Host.SecretAccessKey,
            },
        }).Options);

        private async Task Seed()
        {
            var fms = Direct().Fms;
            await fms.PutAppsListAsync(new PutAppsListRequest
            {
                AppsList = new AppsListData { ListName = AppsListName, AppsList = new List<App> { new App { AppName = "https", Protocol = "tcp", Port = 443 } } },
            });
            await fms.PutProtocolsListAsync(new PutProtocolsListRequest
            {
                ProtocolsList = new ProtocolsListData { ListName = ProtocolsListName, ProtocolsList = new List<string> { "tcp", "udp" } },
            });
            var set = await fms.PutResourceSetAsync(new PutResourceSetRequest
            {
                ResourceSet = new ResourceSet { Name = ResourceSetName, ResourceTypeList = new List<string> { "AWS::EC2::VPC" } },
            });
            ResourceSetId = set.ResourceSet!.Id!;
            await foreach (var vpc in fms.ListDiscoveredResourcesItemsAsync(new ListDiscoveredResourcesRequest
                           { MemberAccountIds = new List<string> { DemoOrganization.ProdEuWeb }, ResourceType = "AWS::EC2::VPC", MaxResults = 100 }))
            {
                ResourceSetMember = vpc.URI!;
                break;
            }
            await fms.BatchAssociateResourceAsync(new BatchAssociateResourceRequest { ResourceSetIdentifier = ResourceSetId, Items = new List<string> { ResourceSetMember } });
            await foreach (var policy in fms.ListPoliciesItemsAsync(new ListPoliciesRequest { MaxResults = 100 }))
            {
                if (policy.PolicyName != DemoOrganization.ShieldPolicyName) continue;
                TaggedPolicyArn = policy.PolicyArn!;
            }
            await fms.TagResourceAsync(new TagResourceRequest
            {
                ResourceArn = TaggedPolicyArn,
                TagList = new List<Tag> { new Tag { Key = "owner", Value = "network team" }, new Tag { Key = "cost-center", Value = "42" } },
            });
        }

        private async Task SeedJournal()
        {
            var store = new ChangeJournalStore(JournalFolder);
            var start = new DateTime(2030, 1, 1, 9, 0, 0, DateTimeKind.Utc);
            var document = "{\"kind\":\"fmstools.policy/v1\"}";
            async Task Add(int minutes, string operation, string policyId, string policyName, string caller, string? after, string? before = null)
                => await store.AppendAsync(new FmsChangeEntry
                {
                    Id = Guid.NewGuid().ToString("N"), Time = start.AddMinutes(minutes), CallerArn = caller, Operation = operation,
                    TargetTypeValue = ChangeTargetType.Policy, PolicyId = policyId, PolicyName = policyName, PolicyType = "WAFV2", Region = "us-east-1",
                    BeforeDocument = before, AfterDocument = after, OutcomeValue = ChangeOutcome.Succeeded,
                }, CancellationToken.None);
            await Add(0, ChangeOperations.CreatePolicy, JournalPolicyId, "journal-waf", "arn:aws:iam::222222222222:role/Deploy", document);
            await Add(5, ChangeOperations.UpdatePolicy, JournalPolicyId, "journal-waf", "arn:aws:sts::222222222222:assumed-role/Admin/alice", document, document);
            await Add(9, ChangeOperations.UpdatePolicy, JournalPolicyId, "journal-waf", "arn:aws:iam::222222222222:role/Deploy", document, document);
            await Add(20, ChangeOperations.DeletePolicy, DeletedPolicyId, "retired shield", "arn:aws:iam::222222222222:role/Deploy", null, document);
            await store.AppendAsync(new FmsChangeEntry
            {
                Id = Guid.NewGuid().ToString("N"), Time = start.AddMinutes(30), CallerArn = "arn:aws:iam::222222222222:role/Deploy",
                Operation = ChangeOperations.CreateAppsList, TargetTypeValue = ChangeTargetType.AppsList, TargetId = "list-0001", TargetName = "journal apps",
                AfterDocument = "{}", OutcomeValue = ChangeOutcome.Succeeded,
            }, CancellationToken.None);
        }

        public void Dispose()
        {
            Session.Dispose();
            _sandbox.Dispose();
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Tab completion as a user gets it: TabExpansion2 in a real runspace connected to a demo sandbox, one test per kind
    /// of value, with the expected values read from the sandbox's own API (or the journal written here), not from the
    /// completers. A completion whose list is still being fetched returns nothing and the next Tab uses the list, so
    /// <see cref="TabUntil"/> presses Tab again (each press waits at most the completer's two seconds) a bounded number of times.
    /// </summary>
    public sealed class TabCompletionTests : IClassFixture<TabCompletionSandbox>
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
            // ---- every parameter of every exported cmdlet ---------------------------------------------------------------

        /// <summary>What a string-like parameter takes, and so how Tab must behave for it.</summary>
        public enum ValueClass
        {
            /// <summary>Names a live object or a known value: an FmsTools completer, never file names.</summary>
            Completed,

            /// <summary>A file or folder: PowerShell's file-name completion.</summary>
            Path,

            /// <summary>Free text (a new name, a description, a secret, a document) or an object no FmsTools client can list.</summary>
            FreeText,
        }

        /// <summary>
        /// Every string, string[], object and object[] parameter of the exported cmdlets, by parameter name, with
        /// per-cmdlet entries where one name means different things. Enum and ValidateSet parameters need no entry
        /// (they complete their values); parameters of other types (numbers, dates, switches, hashtables, FmsTools
        /// objects) take no names. A new string-like parameter fails the walk until it is classified here.
        /// </summary>
        private static readonly Dictionary<string, ValueClass> Classes = new Dictionary<string, ValueClass>(StringComparer.OrdinalIgnoreCase)
        {
            // Connection parameters of every connected cmdlet.
            ["ProfileName"] = ValueClass.Completed,
            ["ProfileLocation"] = ValueClass.Path,
            ["ExceptionPath"] = ValueClass.Path,
            ["Region"] = ValueClass.Completed,
            ["EndpointUrl"] = ValueClass.Completed, // the sandboxes running in the process
            ["Credential"] = ValueClass.FreeText, // an AWSCredentials object
            ["AccessKey"] = ValueClass.FreeText,

            // Policies, accounts, OUs.
            ["PolicyName"] = ValueClass.Completed,
            ["PolicyId"] = ValueClass.Completed,
            ["AccountId"] = ValueClass.Completed,
            ["AdminAccount"] = ValueClass.Completed,
            ["IncludeAccount"] = ValueClass.Completed,
            ["ExcludeAccount"] = ValueClass.Completed,
            ["IncludeOrganizationalUnit"] = ValueClass.Completed,
            ["ExcludeOrganizationalUnit"] = ValueClass.Completed,
            ["ScopeAccount"] = ValueClass.Completed,
            ["ScopeOrganizationalUnit"] = ValueClass.Completed,
            ["ScopeRegion"] = ValueClass.Completed,
            ["ScopePolicyType"] = ValueClass.Completed,
            ["InspectionAccountId"] = ValueClass.Completed,
            ["Reason"] = ValueClass.Completed,
            ["MemberAccountRoleName"] = ValueClass.Completed,

            // Lists, resource sets, tags.
            ["ListId"] = ValueClass.Completed,
            ["ResourceSetId"] = ValueClass.Completed,
            ["Uri"] = ValueClass.Completed,
            ["ResourceArn"] = ValueClass.Completed,
            ["Key"] = ValueClass.Completed,
            ["Protocol"] = ValueClass.Completed,
            ["Get-FmsAppsList:Name"] = ValueClass.Completed,
            ["Set-FmsAppsList:Name"] = ValueClass.Completed,
            ["Get-FmsProtocolsList:Name"] = ValueClass.Completed,
            ["Set-FmsProtocolsList:Name"] = ValueClass.Completed,
            ["Get-FmsResourceSet:Name"] = ValueClass.Completed,
            ["Get-FmsResourceSet:Id"] = ValueClass.Completed,
            ["Remove-FmsResourceSet:Id"] = ValueClass.Completed,
            ["Set-FmsResourceSet:Id"] = ValueClass.Completed,
            ["Set-FmsResourceSet:Name"] = ValueClass.FreeText, // without -Id a new set is created
            ["Get-FmsPolicy:Name"] = ValueClass.Completed,

            // Policy settings.
            ["ResourceType"] = ValueClass.Completed,
            ["ManagedRuleGroup"] = ValueClass.Completed,
            ["RuleGroupArn"] = ValueClass.Completed,
            ["PostProcessRuleGroupArn"] = ValueClass.Completed,
            ["FirewallPolicy"] = ValueClass.Completed,
            ["StatelessDefaultAction"] = ValueClass.Completed,
            ["StatelessFragmentDefaultAction"] = ValueClass.Completed,
            ["StatefulDefaultAction"] = ValueClass.Completed,
            ["Name"] = ValueClass.FreeText, // the New-Fms*Policy builders: a new policy's name
            ["NewName"] = ValueClass.FreeText,
            ["Description"] = ValueClass.FreeText,
            ["Title"] = ValueClass.FreeText,
            ["TokenDomain"] = ValueClass.FreeText,
            ["AllowedIpv4Cidr"] = ValueClass.FreeText,
            // Objects of services FmsTools has no client for (EC2, Route 53 Resolver, Network Firewall, WAF Classic,
            // Firehose/S3/CloudWatch Logs, SNS, IAM): typed, never listed.
            ["AvailabilityZone"] = ValueClass.FreeText,
            ["InspectionVpcId"] = ValueClass.FreeText,
            ["SecurityGroupId"] = ValueClass.FreeText,
            ["AuditSecurityGroupId"] = ValueClass.FreeText,
            ["PreProcessRuleGroup"] = ValueClass.FreeText,
            ["PostProcessRuleGroup"] = ValueClass.FreeText,
            ["StatelessRuleGroup"] = ValueClass.FreeText,
            ["StatefulRuleGroup"] = ValueClass.FreeText,
            ["RuleGroupId"] = ValueClass.FreeText,
            ["LogDestination"] = ValueClass.FreeText,
            ["SnsTopicArn"] = ValueClass.FreeText,
            ["SnsRoleArn"] = ValueClass.FreeText,
            // Documents (hashtables or JSON).
            ["LoggingConfiguration"] = ValueClass.FreeText,
            ["CustomResponse"] = ValueClass.FreeText,
            ["CustomResponseBodies"] = ValueClass.FreeText,
            ["CustomRequestHandling"] = ValueClass.FreeText,
            ["ManagedAuditOption"] = ValueClass.FreeText,
            ["FirstEntry"] = ValueClass.FreeText,
            ["LastEntry"] = ValueClass.FreeText,

            // The change journal and the sandbox.
            ["Caller"] = ValueClass.Completed,
            ["Target"] = ValueClass.Completed,
            ["Get-FmsSandboxRequest:Operation"] = ValueClass.Completed,

            // Files and folders.
            ["Path"] = ValueClass.Path,
            ["JournalPath"] = ValueClass.Path,
            ["PriceTablePath"] = ValueClass.Path,
            ["SnapshotPath"] = ValueClass.Path,
        };

        /// <summary>Takes text: a string or object parameter, or one whose transformation attribute reads text into its type.</summary>
        private static bool IsStringLike(ParameterMetadata parameter)
        {
            var type = parameter.ParameterType;
            var element = type.IsArray ? type.GetElementType()! : type;
            return element == typeof(string) || element == typeof(object) || parameter.Attributes.OfType<FmsTools.Infrastructure.PolicyInputTransformationAttribute>().Any();
        }

        private static bool IsChoice(ParameterMetadata parameter)
        {
            var type = parameter.ParameterType.IsArray ? parameter.ParameterType.GetElementType()! : parameter.ParameterType;
            type = Nullable.GetUnderlyingType(type) ?? type;
            return type.IsEnum || parameter.Attributes.OfType<ValidateSetAttribute>().Any();
        }

        private static bool OffersFiles(IEnumerable<CompletionResult> results)
            => results.Any(r => r.ResultType == CompletionResultType.ProviderItem || r.ResultType == CompletionResultType.ProviderContainer);

        [Fact]
        public void Every_parameter_that_names_something_completes_it_and_none_falls_back_to_file_names_unless_it_is_a_path()
        {
            var commands = _fixture.Session.Run("Get-Command -Module FmsTools -CommandType Cmdlet").ShouldSucceed().OutputOf<CmdletInfo>().ToList();
            Assert.True(commands.Count >= 50, "the module exports its cmdlets");
            var common = new HashSet<string>(Cmdlet.CommonParameters.Concat(Cmdlet.OptionalCommonParameters), StringComparer.OrdinalIgnoreCase);
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var problems = new List<string>();
            var checkedCount = 0;
            foreach (var command in commands.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                foreach (var parameter in command.Parameters.Values.Where(p => !common.Contains(p.Name)))
                {
                    var where = command.Name + " -" + parameter.Name;
                    var completer = parameter.Attributes.OfType<ArgumentCompleterAttribute>().FirstOrDefault()?.Type;
                    if (IsChoice(parameter))
                    {
                        var values = Tab(where + " ");
                        if (values.Count == 0 || values.Any(r => r.ResultType != CompletionResultType.ParameterValue)) problems.Add(where + ": its enum/ValidateSet values do not complete");
                        if (OffersFiles(Tab(where + " zz"))) problems.Add(where + ": falls back to file names");
                        checkedCount++;
                        continue;
                    }
                    if (!IsStringLike(parameter))
                    {
                        if (completer != null && completer.Namespace != "FmsTools.Completers") problems.Add(where + ": a completer from outside FmsTools.Completers");
                        continue;
                    }
                    ValueClass valueClass;
                    if (Classes.TryGetValue(command.Name + ":" + parameter.Name, out valueClass)) used.Add(command.Name + ":" + parameter.Name);
                    else if (Classes.TryGetValue(parameter.Name, out valueClass)) used.Add(parameter.Name);
                    else
                    {
                        problems.Add(where + ": not classified (add it to TabCompletionTests.Classes: Completed, Path or FreeText)");
                        continue;
                    }
                    checkedCount++;
                    var answer = Tab(where + " zz");
                    switch (valueClass)
                    {
                        case ValueClass.Completed:
                            if (completer == null || completer.Namespace != "FmsTools.Completers") problems.Add(where + ": names something but has no FmsTools completer");
                            if (OffersFiles(answer)) problems.Add(where + ": falls back to file names");
                            break;
                        case ValueClass.Path:
                            if (!answer.Any(r => r.ResultType == CompletionResultType.ProviderItem && r.CompletionText.Contains(TabCompletionSandbox.DecoyFile)))
                                problems.Add(where + ": a path that does not complete file names");
                            break;
                        case ValueClass.FreeText:
                            if (completer != null) problems.Add(where + ": classified as free text but has a completer (classify it Completed)");
                            break;
                    }
                }
            }
            foreach (var stale in Classes.Keys.Where(k => !used.Contains(k))) problems.Add("TabCompletionTests.Classes names " + stale + ", which no exported cmdlet has as a string-like parameter");
            Assert.True(problems.Count == 0, string.Join("\n", problems));
            Assert.True(checkedCount > 150, $"checked {checkedCount} parameters");
        }
    }
}
