using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Ec2;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.History;
using FmsTools.Engine.Remediation;
using Xunit;

namespace FmsTools.Tests.Remediation
{
    /// <summary>A member account's EC2 in memory: route tables and network ACLs, every call recorded, failures injected by call.</summary>
    internal sealed class FakeEc2 : IEc2Client
    {
        public Dictionary<string, Ec2RouteTable> Tables { get; } = new Dictionary<string, Ec2RouteTable>();
        public Dictionary<string, Ec2NetworkAcl> Acls { get; } = new Dictionary<string, Ec2NetworkAcl>();
        public List<string> Calls { get; } = new List<string>();
        public List<string> Tokens { get; } = new List<string>();

        /// <summary>Failures by call ("CreateRoute", "CreateNetworkAclEntry" ...), each used once.</summary>
        public Dictionary<string, Queue<Exception>> Fail { get; } = new Dictionary<string, Queue<Exception>>();

        private int _next = 1;

        public FakeEc2()
        {
            Tables["rtb-main"] = new Ec2RouteTable
            {
                RouteTableId = "rtb-main", VpcId = "vpc-1",
                Routes = { new Ec2Route { DestinationCidrBlock = "10.0.0.0/16", Target = "local", TargetMember = "GatewayId", Origin = "CreateRouteTable" } },
                Associations = { new Ec2RouteTableAssociation { AssociationId = "rtbassoc-subnet-1", SubnetId = "subnet-1" } },
            };
            Acls["acl-1"] = new Ec2NetworkAcl { NetworkAclId = "acl-1", VpcId = "vpc-1", Associations = { new Ec2NetworkAclAssociation { AssociationId = "aclassoc-1", SubnetId = "subnet-1" } } };
        }

        private void Call(string name, string text)
        {
            Calls.Add(name + " " + text);
            if (Fail.TryGetValue(name, out var queue) && queue.Count > 0) throw queue.Dequeue();
        }

        private static Ec2RouteTable Copy(Ec2RouteTable t) => new Ec2RouteTable
        {
            RouteTableId = t.RouteTableId, VpcId = t.VpcId,
            Routes = t.Routes.Select(r => new Ec2Route { DestinationCidrBlock = r.DestinationCidrBlock, Target = r.Target, TargetMember = r.TargetMember, Origin = r.Origin }).ToList(),
            Associations = t.Associations.Select(a => new Ec2RouteTableAssociation { AssociationId = a.AssociationId, SubnetId = a.SubnetId, Main = a.Main }).ToList(),
        };

        public Task<IReadOnlyList<Ec2RouteTable>> DescribeRouteTablesAsync(IReadOnlyCollection<string>? ids, string? filterName = null, string? filterValue = null,
            CancellationToken cancellationToken = default)
        {
            IEnumerable<Ec2RouteTable> found = ids != null && ids.Count > 0 ? Tables.Values.Where(t => ids.Contains(t.RouteTableId))
                : filterName == "association.route-table-association-id" ? Tables.Values.Where(t => t.Associations.Any(a => a.AssociationId == filterValue)) : Tables.Values;
            return Task.FromResult<IReadOnlyList<Ec2RouteTable>>(found.Select(Copy).ToList());
        }

        public Task<IReadOnlyList<Ec2NetworkAcl>> DescribeNetworkAclsAsync(IReadOnlyCollection<string>? ids, string? filterName = null, string? filterValue = null,
            CancellationToken cancellationToken = default)
        {
            IEnumerable<Ec2NetworkAcl> found = ids != null && ids.Count > 0 ? Acls.Values.Where(a => ids.Contains(a.NetworkAclId))
                : filterName == "association.association-id" ? Acls.Values.Where(a => a.Associations.Any(x => x.AssociationId == filterValue)) : Acls.Values;
            return Task.FromResult<IReadOnlyList<Ec2NetworkAcl>>(found.Select(a => new Ec2NetworkAcl
            {
                NetworkAclId = a.NetworkAclId, VpcId = a.VpcId, Entries = a.Entries.ToList(), Associations = a.Associations.ToList(),
            }).ToList());
        }

        public Task CreateRouteAsync(Ec2RouteSpec route, CancellationToken cancellationToken = default)
        {
            Call("CreateRoute", route.ToString());
            var table = Tables[route.RouteTableId];
            if (table.Routes.Any(r => r.DestinationCidrBlock == route.DestinationCidrBlock)) throw new AwsServiceException("RouteAlreadyExists", "exists", HttpStatusCode.BadRequest, "r", "CreateRoute");
            table.Routes.Add(new Ec2Route { DestinationCidrBlock = route.DestinationCidrBlock, Target = route.Target, TargetMember = route.TargetMemberOrByPrefix, Origin = "CreateRoute" });
            return Task.CompletedTask;
        }

        public Task ReplaceRouteAsync(Ec2RouteSpec route, CancellationToken cancellationToken = default)
        {
            Call("ReplaceRoute", route.ToString());
            Tables[route.RouteTableId].Routes.Single(r => r.DestinationCidrBlock == route.DestinationCidrBlock).Target = route.Target;
            return Task.CompletedTask;
        }

        public Task DeleteRouteAsync(Ec2RouteSpec route, CancellationToken cancellationToken = default)
        {
            Call("DeleteRoute", route.ToString());
            Tables[route.RouteTableId].Routes.RemoveAll(r => r.DestinationCidrBlock == route.DestinationCidrBlock);
            return Task.CompletedTask;
        }

        public Task<string> CreateRouteTableAsync(string vpcId, string clientToken, CancellationToken cancellationToken = default)
        {
            Tokens.Add(clientToken);
            Call("CreateRouteTable", vpcId);
            var existing = Tables.Values.FirstOrDefault(t => t.VpcId == vpcId && t.RouteTableId == "rtb-new-" + clientToken);
            if (existing != null) return Task.FromResult(existing.RouteTableId);
            var id = "rtb-new-" + clientToken;
            Tables[id] = new Ec2RouteTable { RouteTableId = id, VpcId = vpcId };
            return Task.FromResult(id);
        }

        public Task DeleteRouteTableAsync(string routeTableId, CancellationToken cancellationToken = default)
        {
            Call("DeleteRouteTable", routeTableId);
            Tables.Remove(routeTableId);
            return Task.CompletedTask;
        }

        public Task<string> ReplaceRouteTableAssociationAsync(string associationId, string routeTableId, CancellationToken cancellationToken = default)
        {
            Call("ReplaceRouteTableAssociation", associationId + " -> " + routeTableId);
            var from = Tables.Values.Single(t => t.Associations.Any(a => a.AssociationId == associationId));
            var association = from.Associations.Single(a => a.AssociationId == associationId);
            from.Associations.Remove(association);
            var id = "rtbassoc-" + _next++;
            Tables[routeTableId].Associations.Add(new Ec2RouteTableAssociation { AssociationId = id, SubnetId = association.SubnetId });
            return Task.FromResult(id);
        }

        public Task<string> AssociateRouteTableAsync(string routeTableId, string? subnetId, string? gatewayId, CancellationToken cancellationToken = default)
        {
            Call("AssociateRouteTable", routeTableId + " " + (subnetId ?? gatewayId));
            var id = "rtbassoc-" + _next++;
            Tables[routeTableId].Associations.Add(new Ec2RouteTableAssociation { AssociationId = id, SubnetId = subnetId, GatewayId = gatewayId });
            return Task.FromResult(id);
        }

        public Task DisassociateRouteTableAsync(string associationId, CancellationToken cancellationToken = default)
        {
            Call("DisassociateRouteTable", associationId);
            foreach (var t in Tables.Values) t.Associations.RemoveAll(a => a.AssociationId == associationId);
            return Task.CompletedTask;
        }

        public Task<string> CreateNetworkAclAsync(string vpcId, string clientToken, CancellationToken cancellationToken = default)
        {
            Tokens.Add(clientToken);
            Call("CreateNetworkAcl", vpcId);
            var id = "acl-new-" + clientToken;
            Acls[id] = new Ec2NetworkAcl { NetworkAclId = id, VpcId = vpcId };
            return Task.FromResult(id);
        }

        public Task DeleteNetworkAclAsync(string networkAclId, CancellationToken cancellationToken = default)
        {
            Call("DeleteNetworkAcl", networkAclId);
            Acls.Remove(networkAclId);
            return Task.CompletedTask;
        }

        public Task CreateNetworkAclEntryAsync(string networkAclId, Ec2NetworkAclEntry entry, CancellationToken cancellationToken = default)
        {
            Call("CreateNetworkAclEntry", networkAclId + " " + entry.RuleNumber);
            Acls[networkAclId].Entries.Add(entry);
            return Task.CompletedTask;
        }

        public Task DeleteNetworkAclEntryAsync(string networkAclId, int ruleNumber, bool egress, CancellationToken cancellationToken = default)
        {
            Call("DeleteNetworkAclEntry", networkAclId + " " + ruleNumber);
            Acls[networkAclId].Entries.RemoveAll(e => e.RuleNumber == ruleNumber && e.Egress == egress);
            return Task.CompletedTask;
        }

        public Task<string> ReplaceNetworkAclAssociationAsync(string associationId, string networkAclId, CancellationToken cancellationToken = default)
        {
            Call("ReplaceNetworkAclAssociation", associationId + " -> " + networkAclId);
            var from = Acls.Values.Single(a => a.Associations.Any(x => x.AssociationId == associationId));
            var association = from.Associations.Single(x => x.AssociationId == associationId);
            from.Associations.Remove(association);
            var id = "aclassoc-" + _next++;
            Acls[networkAclId].Associations.Add(new Ec2NetworkAclAssociation { AssociationId = id, SubnetId = association.SubnetId });
            return Task.FromResult(id);
        }
    }

    internal sealed class RecordingJournal : IChangeJournal
    {
        public List<ChangeRecord> Records { get; } = new List<ChangeRecord>();
        public Task RecordAsync(PolicyChange change, CancellationToken ct) => throw new System.InvalidOperationException("no policy changes expected");
        public Task RecordAsync(ChangeRecord change, CancellationToken ct) { Records.Add(change); return Task.CompletedTask; }
    }

    public class Ec2RemediationRunnerTests
    {
        private static ActionTarget T(string id) => new ActionTarget { ResourceId = id };

        /// <summary>A violation whose FMS action sets are the given wire actions (each list one set, in order); the first set is FMS's default.</summary>
        internal static FmsViolation Violation(string account, params RemediationAction[][] sets)
        {
            var options = ComplianceMapping.ToOptions(new PossibleRemediationActions
            {
                Actions = sets.Select((actions, i) => new PossibleRemediationAction
                {
                    IsDefaultAction = i == 0, Description = "set " + i,
                    OrderedRemediationActions = actions.Select((a, n) => new RemediationActionWithOrder { Order = n + 1, RemediationAction = a }).ToList(),
                }).ToList(),
            });
            return new FmsViolation
            {
                PolicyId = "p1", PolicyName = "nfw", PolicyType = "NETWORK_FIREWALL", Region = "us-east-1", AccountId = account, AccountName = "member",
                ResourceId = "vpc-1", ResourceType = "AWS::EC2::VPC", Reason = "INTERNET_TRAFFIC_NOT_INSPECTED", PossibleRemediationActions = options.ToList(), IsEnriched = true,
            };
        }

        private static List<Ec2StepWork> Work(FmsViolation violation, int? actionSet = null)
        {
            var plan = new RemediationPlanner().Plan(new PolicyReference[0], new[] { violation }, new RemediationPlanningOptions { ExecuteEc2Actions = true, ActionSet = actionSet });
            return plan.Steps.Where(s => s.KindValue == RemediationStepKind.Ec2Action).Select(s => new Ec2StepWork(s, s.Ec2Operations)).ToList();
        }

        private static RemediationAction CreateTable() => new RemediationAction { EC2CreateRouteTableAction = new EC2CreateRouteTableAction { VpcId = T("vpc-1") } };

        private static RemediationAction CreateRoute(string? table, string cidr, string target)
            => new RemediationAction { EC2CreateRouteAction = new EC2CreateRouteAction { RouteTableId = table == null ? null : T(table), DestinationCidrBlock = cidr, VpcEndpointId = T(target) } };

        private static RemediationAction ReplaceAssociation(string association, string? table)
            => new RemediationAction { EC2ReplaceRouteTableAssociationAction = new EC2ReplaceRouteTableAssociationAction { AssociationId = T(association), RouteTableId = table == null ? null : T(table) } };

        private static RemediationAction CreateEntry(string acl, int rule)
            => new RemediationAction
            {
                CreateNetworkAclEntriesAction = new CreateNetworkAclEntriesAction
                {
                    NetworkAclId = T(acl),
                    NetworkAclEntriesToBeCreated = new List<EntryDescription>
                    {
                        new EntryDescription { EntryRuleNumber = rule, EntryType = "FMS_MANAGED_FIRST_ENTRY", EntryDetail = new NetworkAclEntry { Protocol = "6", RuleAction = "deny", CidrBlock = "198.51.100.0/24", Egress = false, PortRange = new NetworkAclPortRange { From = 22, To = 22 } } },
                    },
                },
            };

        [Fact]
        public async Task Steps_run_in_FMS_order_on_the_table_an_earlier_step_created_and_every_change_is_journaled_with_before_and_after()
        {
            var ec2 = new FakeEc2();
            var journal = new RecordingJournal();
            var violation = Violation("111122223333", new[] { CreateTable(), CreateRoute(null, "0.0.0.0/0", "vpce-fw"), ReplaceAssociation("rtbassoc-subnet-1", null) });
            var results = await new Ec2RemediationRunner(null, () => "t1") { Journal = journal }.RunAsync(ec2, Work(violation));

            Assert.Equal(new[] { "CreateRouteTable vpc-1", "CreateRoute rtb-new-t1 0.0.0.0/0 -> vpce-fw", "ReplaceRouteTableAssociation rtbassoc-subnet-1 -> rtb-new-t1" }, ec2.Calls);
            Assert.All(results, r => Assert.Equal("Remediated", r.Outcome));
            Assert.Equal(new[] { "EC2CreateRouteTableAction", "EC2CreateRouteAction", "EC2ReplaceRouteTableAssociationAction" }, results.Select(r => r.Action));
            Assert.All(results, r => Assert.Equal("111122223333", r.AccountId));
            Assert.Equal("CreateRoute the route table (created by an earlier step) 0.0.0.0/0 -> vpce-fw (VpcEndpointId)", results[1].Ec2Call);
            Assert.Equal("rtb-new-t1", results[0].ChangedResourceId);
            Assert.Contains(ec2.Tables["rtb-new-t1"].Routes, r => r.DestinationCidrBlock == "0.0.0.0/0" && r.Target == "vpce-fw");

            Assert.Equal(new[] { "CreateRouteTable", "CreateRoute", "ReplaceRouteTableAssociation" }, journal.Records.Select(r => r.Operation));
            Assert.All(journal.Records, r => { Assert.Equal(ChangeTargetType.Ec2RouteTable, r.TargetType); Assert.Equal("account 111122223333", r.TargetName); Assert.Null(r.Error); });
            var route = journal.Records[1];
            Assert.Equal("rtb-new-t1", route.TargetId);
            Assert.DoesNotContain("0.0.0.0/0", route.BeforeDocument);
            Assert.Contains("0.0.0.0/0", route.AfterDocument);
            Assert.Contains("vpce-fw", route.AfterDocument);
            var association = journal.Records[2];
            Assert.Contains("rtb-main", association.BeforeDocument);
            Assert.Contains("subnet-1", association.AfterDocument);
        }

        [Fact]
        public async Task A_refused_step_stops_the_rest_and_the_applied_steps_are_undone_last_first()
        {
            var ec2 = new FakeEc2();
            ec2.Fail["CreateNetworkAclEntry"] = new Queue<Exception>(new[] { new AwsServiceException("NetworkAclEntryLimitExceeded", "too many entries", HttpStatusCode.BadRequest, "req-1", "CreateNetworkAclEntry") });
            var journal = new RecordingJournal();
            var violation = Violation("111122223333", new[]
            {
                CreateRoute("rtb-main", "0.0.0.0/0", "vpce-fw"), ReplaceAssociation("rtbassoc-subnet-1", "rtb-other"), CreateEntry("acl-1", 100), CreateRoute("rtb-main", "10.9.0.0/16", "vpce-fw"),
            });
            ec2.Tables["rtb-other"] = new Ec2RouteTable { RouteTableId = "rtb-other", VpcId = "vpc-1" };
            var results = await new Ec2RemediationRunner { Journal = journal }.RunAsync(ec2, Work(violation));

            Assert.Equal(new[] { "Undone", "Undone", "Failed", "Skipped" }, results.Select(r => r.Outcome));
            Assert.Equal("NetworkAclEntryLimitExceeded", results[2].ErrorCode);
            Assert.Contains("too many entries", results[2].Message);
            Assert.Contains("step 3 (CreateNetworkAclEntriesAction) failed", results[3].Message);
            Assert.StartsWith("Undone with DeleteRoute rtb-main 0.0.0.0/0", results[0].Undo);
            Assert.StartsWith("Undone with ReplaceRouteTableAssociation rtbassoc-1 -> rtb-main", results[1].Undo);
            // Undo runs after the failure, in reverse: the association first, then the route; the fourth step is never sent.
            Assert.Equal(new[]
            {
                "CreateRoute rtb-main 0.0.0.0/0 -> vpce-fw", "ReplaceRouteTableAssociation rtbassoc-subnet-1 -> rtb-other", "CreateNetworkAclEntry acl-1 100",
                "ReplaceRouteTableAssociation rtbassoc-1 -> rtb-main", "DeleteRoute rtb-main 0.0.0.0/0",
            }, ec2.Calls);
            Assert.DoesNotContain(ec2.Tables["rtb-main"].Routes, r => r.DestinationCidrBlock == "0.0.0.0/0");
            Assert.Contains(ec2.Tables["rtb-main"].Associations, a => a.SubnetId == "subnet-1");
            // The failed call and the undo calls are journaled too.
            var failed = journal.Records.Single(r => r.Operation == "CreateNetworkAclEntry");
            Assert.NotNull(failed.Error);
            Assert.Equal(ChangeTargetType.Ec2NetworkAcl, failed.TargetType);
            Assert.Contains(journal.Records, r => r.Operation == "DeleteRoute" && r.Error == null);
        }

        [Fact]
        public async Task A_lost_answer_is_reported_as_may_have_been_applied_never_resent_and_nothing_is_undone()
        {
            var ec2 = new FakeEc2();
            var lost = new AwsTransportException("ReplaceRouteTableAssociation", new Uri("http://127.0.0.1:1"), 1, new System.IO.IOException("connection reset"), mayHaveBeenApplied: true);
            ec2.Fail["ReplaceRouteTableAssociation"] = new Queue<Exception>(new Exception[] { lost });
            ec2.Tables["rtb-other"] = new Ec2RouteTable { RouteTableId = "rtb-other", VpcId = "vpc-1" };
            var journal = new RecordingJournal();
            var violation = Violation("111122223333", new[] { CreateRoute("rtb-main", "0.0.0.0/0", "vpce-fw"), ReplaceAssociation("rtbassoc-subnet-1", "rtb-other"), CreateEntry("acl-1", 100) });
            var results = await new Ec2RemediationRunner { Journal = journal }.RunAsync(ec2, Work(violation));

            Assert.Equal(new[] { "Remediated", "MayHaveBeenApplied", "Skipped" }, results.Select(r => r.Outcome));
            Assert.Equal(1, ec2.Calls.Count(c => c.StartsWith("ReplaceRouteTableAssociation", StringComparison.Ordinal)));
            Assert.DoesNotContain(ec2.Calls, c => c.StartsWith("DeleteRoute", StringComparison.Ordinal));
            Assert.StartsWith("Left in place", results[0].Undo);
            Assert.Contains("may have been applied", results[1].Message);
            Assert.Equal(ChangeOutcome.Unknown, ChangeJournal.OutcomeOf(journal.Records.Single(r => r.Operation == "ReplaceRouteTableAssociation").Error));
        }

        [Fact]
        public async Task A_client_token_call_whose_answer_is_lost_is_sent_again_with_the_same_token()
        {
            var ec2 = new FakeEc2();
            ec2.Fail["CreateRouteTable"] = new Queue<Exception>(new Exception[] { new TimeoutException("no answer") });
            var results = await new Ec2RemediationRunner(null, () => "tok").RunAsync(ec2, Work(Violation("111122223333", new[] { CreateTable() })));
            Assert.Equal("Remediated", Assert.Single(results).Outcome);
            Assert.Equal(new[] { "tok", "tok" }, ec2.Tokens);
            Assert.Single(ec2.Tables.Keys, k => k.StartsWith("rtb-new", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Changes_already_in_place_are_skipped_without_a_call()
        {
            var ec2 = new FakeEc2();
            ec2.Tables["rtb-main"].Routes.Add(new Ec2Route { DestinationCidrBlock = "0.0.0.0/0", Target = "vpce-fw", TargetMember = "VpcEndpointId", Origin = "CreateRoute" });
            var results = await new Ec2RemediationRunner().RunAsync(ec2, Work(Violation("111122223333", new[] { CreateRoute("rtb-main", "0.0.0.0/0", "vpce-fw") })));
            Assert.Equal("Skipped", Assert.Single(results).Outcome);
            Assert.Empty(ec2.Calls);
        }

        [Fact]
        public void The_planner_takes_the_chosen_action_set_and_runs_none_of_a_set_with_a_step_it_cannot_make()
        {
            var firewallConfig = new RemediationAction { FMSPolicyUpdateFirewallCreationConfigAction = new FMSPolicyUpdateFirewallCreationConfigAction { Description = "x" } };
            var violation = Violation("111122223333", new[] { CreateRoute("rtb-main", "0.0.0.0/0", "vpce-fw"), firewallConfig }, new[] { CreateRoute("rtb-main", "0.0.0.0/0", "vpce-other") });
            var planner = new RemediationPlanner();

            var byDefault = planner.Plan(new PolicyReference[0], new[] { violation }, new RemediationPlanningOptions { ExecuteEc2Actions = true });
            Assert.All(byDefault.Steps.Where(s => s.PolicyId == "p1" && s.Reason.Length > 0), s => Assert.False(s.CanExecute));
            var blocked = byDefault.Steps.Single(s => s.Action == "EC2CreateRouteAction");
            Assert.Contains("step 2 (FMSPolicyUpdateFirewallCreationConfigAction) cannot be carried out by FmsTools", blocked.MissingCapability);
            Assert.Contains("Set-FmsPolicy", blocked.MissingCapability);
            Assert.NotEqual("", blocked.AwsCliCommand);

            var second = planner.Plan(new PolicyReference[0], new[] { violation }, new RemediationPlanningOptions { ExecuteEc2Actions = true, ActionSet = 1 });
            var step = second.Steps.Single(s => s.KindValue == RemediationStepKind.Ec2Action);
            Assert.True(step.CanExecute);
            Assert.Equal(new[] { "CreateRoute rtb-main 0.0.0.0/0 -> vpce-other (VpcEndpointId)" }, step.Ec2Calls);

            var none = planner.Plan(new PolicyReference[0], new[] { violation }, new RemediationPlanningOptions { ExecuteEc2Actions = true, ActionSet = 2 });
            var missing = none.Steps.Single(s => s.Action == "ActionSet");
            Assert.False(missing.CanExecute);
            Assert.Contains("-ActionSet 2 names no action set of this violation: FMS offers 2 (0-1)", missing.Description);

            // Without a member role the EC2 steps stay manual, with their commands, as before.
            var manual = planner.Plan(new PolicyReference[0], new[] { violation }, new RemediationPlanningOptions { ActionSet = 1 });
            var printed = manual.Steps.Single(s => s.Action == "EC2CreateRouteAction");
            Assert.Equal(RemediationStepKind.ManualAction, printed.KindValue);
            Assert.Contains("-MemberRoleName", printed.MissingCapability);
            Assert.Contains("aws ec2 create-route", printed.AwsCliCommand);
        }
    }
}
