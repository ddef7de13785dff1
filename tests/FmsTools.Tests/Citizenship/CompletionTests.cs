using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Organizations;
using FmsTools.Aws.Wafv2;
using FmsTools.Completers;
using FmsTools.Engine.Connection;
using FmsTools.Infrastructure;
using FmsTools.Sandbox;
using FmsTools.Tests.Cmdlets;
using Xunit;

namespace FmsTools.Tests.Citizenship
{
    /// <summary>
    /// Tab completion from live data, run against a demo sandbox through the host-free CompletionEngine the
    /// argument completers adapt. Expected values are read from the sandbox with the wire clients directly.
    /// </summary>
    public sealed class CompletionTests : IClassFixture<SandboxCmdletFixture>
    {
        private readonly SandboxCmdletFixture _sandbox;

        public CompletionTests(SandboxCmdletFixture sandbox) { _sandbox = sandbox; }

        private static object? NoVariables(string name) => null;

        private Hashtable OnCommandLine(bool management = false) => new Hashtable(StringComparer.OrdinalIgnoreCase)
        {
            ["EndpointUrl"] = _sandbox.Host.Endpoint,
            ["AccessKey"] = management ? _sandbox.Host.ManagementAccessKeyId : _sandbox.Host.AccessKeyId,
            ["SecretKey"] = management ? _sandbox.Host.ManagementSecretAccessKey : _sandbox.Host.SecretAccessKey,
            ["Region"] = _sandbox.Host.Region,
        };

        private FmsTools.Aws.AwsSession DirectSession(bool management = false)
            => SessionCache.GetOrCreate(ConnectionResolver.Resolve(new[] { Settings(management) }).Options);

        private ConnectionSettings Settings(bool management = false) => new ConnectionSettings
        {
            Source = "test",
            EndpointUrl = _sandbox.Host.Endpoint,
            Region = _sandbox.Host.Region,
            AccessKey = management ? _sandbox.Host.ManagementAccessKeyId : _sandbox.Host.AccessKeyId,
            SecretKey = management ? _sandbox.Host.ManagementSecretAccessKey : _sandbox.Host.SecretAccessKey,
        };

        private static CompletionEngine NewEngine() => new CompletionEngine(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(20));

        private async Task<List<PolicySummary>> PoliciesInSandbox()
        {
            var result = new List<PolicySummary>();
            await foreach (var p in DirectSession().Fms.ListPoliciesItemsAsync(new ListPoliciesRequest()))
                result.Add(p);
            return result;
        }

        [Fact]
        public async Task Policy_names_complete_from_the_connection_on_the_command_line()
        {
            var expected = (await PoliciesInSandbox()).Select(p => p.PolicyName!).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
            Assert.True(expected.Count >= 3, "the demo sandbox has policies");

            var all = NewEngine().Complete(FmsCompletionKind.PolicyName, "", OnCommandLine(), NoVariables);
            Assert.Equal(expected, all.Select(c => c.ListItemText).ToList());

            var prefix = expected[0].Substring(0, 6);
            var some = NewEngine().Complete(FmsCompletionKind.PolicyName, prefix, OnCommandLine(), NoVariables);
            Assert.Equal(expected.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)), some.Select(c => c.ListItemText));
            Assert.All(some, c => Assert.Contains("policy", c.ToolTip));
        }

        [Fact]
        public async Task Policy_ids_complete_listed_with_their_names_and_are_found_by_name()
        {
            var policies = await PoliciesInSandbox();
            var target = policies.First(p => p.PolicyName == FmsTools.Sandbox.World.DemoOrganization.ShieldPolicyName);

            var byName = NewEngine().Complete(FmsCompletionKind.PolicyId, target.PolicyName, OnCommandLine(), NoVariables);
            var candidate = Assert.Single(byName);
            Assert.Equal(target.PolicyId, candidate.CompletionText);
            Assert.Contains(target.PolicyName!, candidate.ListItemText);

            var byId = NewEngine().Complete(FmsCompletionKind.PolicyId, target.PolicyId!.Substring(0, 8), OnCommandLine(), NoVariables);
            Assert.Contains(byId, c => c.CompletionText == target.PolicyId);
        }

        [Fact]
        public void Session_defaults_from_Connect_Fms_are_used_when_the_command_line_names_no_connection()
        {
            var defaults = Settings();
            defaults.Source = "Connect-Fms";
            object? Read(string name) => name == FmsConnectedCmdlet.SessionDefaultsVariable ? defaults : null;

            var names = NewEngine().Complete(FmsCompletionKind.PolicyName, "demo-", new Hashtable(), Read);
            Assert.Contains(names, c => c.ListItemText == FmsTools.Sandbox.World.DemoOrganization.WafPolicyName);
        }

        [Fact]
        public void The_command_line_wins_over_session_defaults_as_for_the_cmdlets()
        {
            // Session defaults point at a closed port; the command line at the sandbox. The cmdlets' precedence
            // means the sandbox answers.
            var broken = Settings();
            broken.EndpointUrl = "http://127.0.0.1:" + ClosedPort();
            object? Read(string name) => name == FmsConnectedCmdlet.SessionDefaultsVariable ? broken : null;

            var names = NewEngine().Complete(FmsCompletionKind.PolicyName, "", OnCommandLine(), Read);
            Assert.NotEmpty(names);
        }

        [Fact]
        public void Lists_are_cached_per_connection_and_refreshed_after_their_lifetime()
        {
            var now = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            var engine = new CompletionEngine(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20), () => now);
            var calls = _sandbox.Mark;

            engine.Complete(FmsCompletionKind.PolicyName, "", OnCommandLine(), NoVariables);
            var served = _sandbox.Mark - calls;
            Assert.True(served >= 1);
            Assert.Equal(1, engine.FetchCount);

            // Names and ids share one list; a second Tab within the lifetime calls nothing.
            engine.Complete(FmsCompletionKind.PolicyId, "", OnCommandLine(), NoVariables);
            engine.Complete(FmsCompletionKind.PolicyName, "demo", OnCommandLine(), NoVariables);
            Assert.Equal(1, engine.FetchCount);
            Assert.Equal(served, _sandbox.Mark - calls);

            // Another connection (another region) is another cache entry.
            var otherRegion = OnCommandLine();
            otherRegion["Region"] = "eu-west-1";
            engine.Complete(FmsCompletionKind.PolicyName, "", otherRegion, NoVariables);
            Assert.Equal(2, engine.FetchCount);

            now = now.AddSeconds(61);
            engine.Complete(FmsCompletionKind.PolicyName, "", OnCommandLine(), NoVariables);
            Assert.Equal(3, engine.FetchCount);
        }

        [Fact]
        public async Task Account_ids_complete_with_their_names_for_the_management_account()
        {
            var expected = new List<Account>();
            await foreach (var a in DirectSession(management: true).Organizations.ListAccountsItemsAsync(new ListAccountsRequest()))
                expected.Add(a);

            var candidates = NewEngine().Complete(FmsCompletionKind.AccountId, "", OnCommandLine(management: true), NoVariables);
            Assert.Equal(expected.Select(a => a.Id).OrderBy(i => i, StringComparer.Ordinal), candidates.Select(c => c.CompletionText));
            var first = expected.First(a => a.Name != null);
            var listed = candidates.Single(c => c.CompletionText == first.Id);
            Assert.Contains(first.Name!, listed.ListItemText);

            // Typing part of an account's name finds its id.
            var byName = NewEngine().Complete(FmsCompletionKind.AccountId, first.Name!, OnCommandLine(management: true), NoVariables);
            Assert.Contains(byName, c => c.CompletionText == first.Id);
        }

        [Fact]
        public async Task Account_ids_complete_for_the_FMS_administrator_even_without_organization_access()
        {
            var members = new List<string>();
            await foreach (var id in DirectSession().Fms.ListMemberAccountsItemsAsync(new ListMemberAccountsRequest()))
                members.Add(id);

            var candidates = NewEngine().Complete(FmsCompletionKind.AccountId, "", OnCommandLine(), NoVariables);
            Assert.NotEmpty(candidates);
            Assert.All(candidates, c => Assert.Matches("^[0-9]{12}$", c.CompletionText));
            Assert.Subset(candidates.Select(c => c.CompletionText).ToHashSet(), members.ToHashSet());
        }

        [Fact]
        public async Task Organizational_unit_ids_complete_with_their_paths()
        {
            var org = DirectSession(management: true).Organizations;
            var rootId = "";
            await foreach (var r in org.ListRootsItemsAsync(new ListRootsRequest())) rootId = r.Id!;
            var topLevel = new List<OrganizationalUnit>();
            await foreach (var ou in org.ListOrganizationalUnitsForParentItemsAsync(new ListOrganizationalUnitsForParentRequest { ParentId = rootId }))
                topLevel.Add(ou);
            Assert.NotEmpty(topLevel);

            var candidates = NewEngine().Complete(FmsCompletionKind.OrganizationalUnitId, "", OnCommandLine(management: true), NoVariables);
            foreach (var ou in topLevel)
            {
                var c = Assert.Single(candidates, x => x.CompletionText == ou.Id);
                Assert.EndsWith("/" + ou.Name, c.ToolTip);
            }
            Assert.All(candidates, c => Assert.StartsWith("ou-", c.CompletionText));
        }

        [Fact]
        public async Task Managed_rule_groups_complete_as_vendor_and_name()
        {
            var expected = new List<string>();
            await foreach (var g in DirectSession().Wafv2.ListAvailableManagedRuleGroupsItemsAsync(new ListAvailableManagedRuleGroupsRequest { Scope = "REGIONAL" }))
                expected.Add(g.VendorName + "/" + g.Name);
            Assert.NotEmpty(expected);

            var candidates = NewEngine().Complete(FmsCompletionKind.ManagedRuleGroup, "", OnCommandLine(), NoVariables);
            Assert.Equal(expected.OrderBy(x => x, StringComparer.OrdinalIgnoreCase), candidates.Select(c => c.ListItemText));

            // The rule group's own name is enough to find it.
            var name = expected[0].Split('/')[1];
            Assert.Contains(NewEngine().Complete(FmsCompletionKind.ManagedRuleGroup, name, OnCommandLine(), NoVariables),
                c => c.ListItemText == expected[0]);
        }

        [Fact]
        public void Regions_complete_from_a_static_list_without_any_connection()
        {
            var engine = NewEngine();
            var eu = engine.Complete(FmsCompletionKind.Region, "eu-w", null, NoVariables);
            Assert.Equal(new[] { "eu-west-1", "eu-west-2", "eu-west-3" }, eu.Select(c => c.CompletionText));
            Assert.Equal("Europe (Ireland)", eu[0].ToolTip);
            Assert.Contains(engine.Complete(FmsCompletionKind.Region, "", null, NoVariables), c => c.CompletionText == "us-east-1");
            Assert.Equal(0, engine.FetchCount);
        }

        [Fact]
        public void A_service_that_does_not_answer_completes_nothing_within_the_wait_bound()
        {
            using var silent = new TcpListener(IPAddress.Loopback, 0);
            silent.Start();
            var port = ((IPEndPoint)silent.LocalEndpoint).Port;
            var accepted = new List<TcpClient>();
            using var stop = new CancellationTokenSource();
            var acceptor = Task.Run(async () =>
            {
                // Accept connections and never answer them.
                while (!stop.IsCancellationRequested)
                {
                    try { accepted.Add(await silent.AcceptTcpClientAsync(stop.Token)); }
                    catch (OperationCanceledException) { break; }
                    catch (SocketException) { break; }
                }
            });
            var commandLine = OnCommandLine();
            commandLine["EndpointUrl"] = "http://127.0.0.1:" + port;
            var engine = new CompletionEngine(TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(300));

            var watch = Stopwatch.StartNew();
            var result = engine.Complete(FmsCompletionKind.PolicyName, "", commandLine, NoVariables);
            watch.Stop();

            Assert.Empty(result);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"completion held the prompt for {watch.Elapsed}");
            stop.Cancel();
            silent.Stop();
            foreach (var c in accepted) c.Dispose();
        }

        [Fact]
        public void Errors_complete_nothing_and_are_not_retried_on_every_key_press()
        {
            var commandLine = OnCommandLine();
            commandLine["SecretKey"] = "not-the-sandbox-secret";
            var engine = NewEngine();

            Assert.Empty(engine.Complete(FmsCompletionKind.PolicyName, "", commandLine, NoVariables));
            Assert.Empty(engine.Complete(FmsCompletionKind.PolicyName, "d", commandLine, NoVariables));
            Assert.Equal(1, engine.FetchCount);
        }

        [Fact]
        public async Task A_policy_name_that_matches_nothing_narrows_nothing_and_a_matching_one_narrows_to_its_accounts()
        {
            var members = new List<string>();
            await foreach (var id in DirectSession().Fms.ListMemberAccountsItemsAsync(new ListMemberAccountsRequest())) members.Add(id);
            var engine = NewEngine();

            var unknown = OnCommandLine();
            unknown["PolicyName"] = "no-such-policy";
            Assert.Equal(members.OrderBy(i => i, StringComparer.Ordinal), engine.Complete(FmsCompletionKind.PolicyAccountId, "", unknown, NoVariables).Select(c => c.CompletionText));

            var shield = OnCommandLine();
            shield["PolicyName"] = new[] { "demo-shield*" };
            var policyId = (await PoliciesInSandbox()).Single(p => p.PolicyName == FmsTools.Sandbox.World.DemoOrganization.ShieldPolicyName).PolicyId;
            var inScope = new List<string>();
            await foreach (var s in DirectSession().Fms.ListComplianceStatusItemsAsync(new ListComplianceStatusRequest { PolicyId = policyId }))
                inScope.Add(s.MemberAccount!);
            Assert.Equal(inScope.Distinct().OrderBy(i => i, StringComparer.Ordinal), engine.Complete(FmsCompletionKind.PolicyAccountId, "", shield, NoVariables).Select(c => c.CompletionText));
        }

        [Theory]
        [InlineData("New-FmsDnsFirewallPolicy", "AWS::EC2::VPC")]
        [InlineData("New-FmsWafClassicPolicy", "AWS::ApiGateway::Stage,AWS::CloudFront::Distribution,AWS::ElasticLoadBalancingV2::LoadBalancer")]
        public void Known_values_need_no_connection_and_fetch_nothing(string command, string types)
        {
            var engine = NewEngine();
            // A command line whose connection could not work: known values do not look at it.
            var commandLine = new Hashtable { ["EndpointUrl"] = "http://127.0.0.1:" + ClosedPort() };
            var request = new CompletionRequest { CommandName = command };
            Assert.Equal(types.Split(','), engine.Complete(FmsCompletionKind.PolicyResourceType, "", commandLine, NoVariables, request).Select(c => c.CompletionText).OrderBy(t => t, StringComparer.Ordinal));
            Assert.NotEmpty(engine.Complete(FmsCompletionKind.ViolationReason, "RESOURCE_", commandLine, NoVariables));
            Assert.NotEmpty(engine.Complete(FmsCompletionKind.PolicyType, "", commandLine, NoVariables));
            Assert.Equal(0, engine.FetchCount);
        }

        [Fact]
        public async Task The_journal_is_read_once_until_it_changes()
        {
            var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fmstools-completion-" + Guid.NewGuid().ToString("N"));
            try
            {
                var store = new FmsTools.Engine.History.ChangeJournalStore(folder);
                Task Record(string id) => store.AppendAsync(new FmsTools.Engine.History.FmsChangeEntry
                {
                    Id = Guid.NewGuid().ToString("N"), Time = DateTime.UtcNow, Operation = "CreatePolicy", PolicyId = id, PolicyName = "p-" + id,
                    AfterDocument = "{}", OutcomeValue = FmsTools.Engine.History.ChangeOutcome.Succeeded,
                }, CancellationToken.None);
                await Record("one");
                var engine = NewEngine();
                var commandLine = new Hashtable { ["JournalPath"] = folder };
                Assert.Equal(new[] { "one" }, engine.Complete(FmsCompletionKind.JournalPolicyId, "", commandLine, NoVariables).Select(c => c.CompletionText));
                Assert.Equal(new[] { "p-one" }, engine.Complete(FmsCompletionKind.JournalPolicyName, "", commandLine, NoVariables).Select(c => c.CompletionText));
                Assert.Equal(1, engine.FetchCount);

                await Record("two");
                Assert.Equal(new[] { "one", "two" }, engine.Complete(FmsCompletionKind.JournalPolicyId, "", commandLine, NoVariables).Select(c => c.CompletionText));
                Assert.Equal(2, engine.FetchCount);
            }
            finally
            {
                if (System.IO.Directory.Exists(folder)) System.IO.Directory.Delete(folder, recursive: true);
            }
        }

        [Theory]
        [InlineData("demo-waf", "demo-waf")]
        [InlineData("prod waf", "'prod waf'")]
        [InlineData("it's", "'it''s'")]
        [InlineData("$cost", "'$cost'")]
        [InlineData("it\u2019s", "'it\u2019\u2019s'")] // PowerShell also ends a single-quoted string at a typographic quote
        public void Values_that_need_quotes_on_a_command_line_are_quoted(string value, string expected)
        {
            Assert.Equal(expected, CompletionEngine.Quote(value));
            Assert.Equal(value, CompletionEngine.Unquote(expected));
        }

        [Fact]
        public void Every_connected_cmdlet_completes_Region_and_the_listed_parameters_have_completers()
        {
            var expected = new Dictionary<(Type, string), Type>
            {
                [(typeof(FmsConnectedCmdlet), "Region")] = typeof(FmsRegionCompleter),
                [(typeof(FmsTools.Commands.GetFmsPolicy), "Name")] = typeof(FmsPolicyNameCompleter),
                [(typeof(FmsTools.Commands.GetFmsPolicy), "PolicyId")] = typeof(FmsPolicyIdCompleter),
                [(typeof(FmsTools.Commands.SetFmsPolicy), "PolicyId")] = typeof(FmsPolicyIdCompleter),
                [(typeof(FmsTools.Commands.RemoveFmsPolicy), "PolicyId")] = typeof(FmsPolicyIdCompleter),
                // Declared once for the builders and Set-FmsPolicy.
                [(typeof(FmsPolicyScopeCmdlet), "IncludeAccount")] = typeof(FmsAccountIdCompleter),
                [(typeof(FmsPolicyScopeCmdlet), "ExcludeAccount")] = typeof(FmsAccountIdCompleter),
                [(typeof(FmsPolicyScopeCmdlet), "IncludeOrganizationalUnit")] = typeof(FmsOrganizationalUnitCompleter),
                [(typeof(FmsPolicyScopeCmdlet), "ExcludeOrganizationalUnit")] = typeof(FmsOrganizationalUnitCompleter),
                [(typeof(FmsTools.Commands.SetFmsAdminAccount), "AccountId")] = typeof(FmsAccountIdCompleter),
                [(typeof(FmsTools.Commands.NewFmsWafPolicy), "ManagedRuleGroup")] = typeof(FmsManagedRuleGroupCompleter),
                [(typeof(FmsTools.Commands.StartFmsSandbox), "Region")] = typeof(FmsRegionCompleter),
                // Declared once for Get-FmsComplianceStatus and Test-/Assert-FmsCompliance; -AccountId (also of
                // Get-FmsComplianceReport and Watch-FmsCompliance) narrows to the policies typed.
                [(typeof(FmsPolicySelectionCmdlet), "PolicyName")] = typeof(FmsPolicyNameCompleter),
                [(typeof(FmsAccountFilterCmdlet), "AccountId")] = typeof(FmsPolicyAccountIdCompleter),
                [(typeof(FmsPolicyScopeCmdlet), "ResourceType")] = typeof(FmsPolicyResourceTypeCompleter),
                [(typeof(FmsConnectedCmdlet), "ProfileName")] = typeof(FmsProfileNameCompleter),
            };
            foreach (var pair in expected)
            {
                var property = pair.Key.Item1.GetProperty(pair.Key.Item2, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)!;
                var attribute = property.GetCustomAttributesData().SingleOrDefault(a => a.AttributeType.Name == "ArgumentCompleterAttribute");
                Assert.True(attribute != null, $"{pair.Key.Item1.Name}.{pair.Key.Item2} has no [ArgumentCompleter]");
                Assert.Equal(pair.Value, attribute!.ConstructorArguments[0].Value);
            }
        }

        private static int ClosedPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
