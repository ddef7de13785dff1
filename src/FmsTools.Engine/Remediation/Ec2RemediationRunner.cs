using System.Text.Json;
using FmsTools.Aws.Ec2;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.History;

namespace FmsTools.Engine.Remediation
{
    /// <summary>
    /// Carries out one resource's EC2 remediation steps in a member account, in FMS's order: reads the state each call
    /// changes first (Describe*), makes the call, reads it again, and journals the change with before and after. A
    /// step EC2 refuses stops the resource's remaining steps and undoes the steps already applied, last first, where EC2
    /// allows it (a created route deleted, a replaced association put back, a created entry deleted ...); what cannot be
    /// undone is reported as left in place. A call whose answer is lost (timeout, lost connection, server error) is
    /// reported as MayHaveBeenApplied and never resent, except calls with a client token (CreateRouteTable,
    /// CreateNetworkAcl), which are idempotent and retried once with the same token; nothing is undone then, since the
    /// state is unknown.
    /// </summary>
    public sealed class Ec2RemediationRunner
    {
        private static readonly JsonSerializerOptions Json = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        };

        private readonly IOperationReporter _reporter;
        private readonly Func<string> _newClientToken;

        public Ec2RemediationRunner(IOperationReporter? reporter = null, Func<string>? newClientToken = null)
        {
            _reporter = reporter ?? NullOperationReporter.Instance;
            _newClientToken = newClientToken ?? (() => "fmstools-" + Guid.NewGuid().ToString("N"));
        }

        /// <summary>Where every EC2 change is recorded, with the state before and after; null records nothing.</summary>
        public IChangeJournal? Journal { get; set; }

        /// <summary>The results of every call as planned, without making one (-WhatIf, not confirmed).</summary>
        public static IReadOnlyList<Ec2StepResult> Plan(IReadOnlyList<Ec2StepWork> steps, string message)
        {
            var results = new List<Ec2StepResult>();
            foreach (var work in steps.OrderBy(s => s.Step.Order))
                foreach (var operation in work.Operations)
                    results.Add(NewResult(work.Step, operation, Ec2StepOutcome.Planned, message));
            return results;
        }

        public async Task<IReadOnlyList<Ec2StepResult>> RunAsync(IEc2Client ec2, IReadOnlyList<Ec2StepWork> steps, CancellationToken cancellationToken = default)
        {
            if (ec2 == null) throw new ArgumentNullException(nameof(ec2));
            if (steps == null) throw new ArgumentNullException(nameof(steps));
            var results = new List<Ec2StepResult>();
            var undo = new List<(Ec2StepResult Result, Undo Action)>();
            var context = new RunContext();
            string? stopReason = null;
            var stopUndoes = true;
            foreach (var work in steps.OrderBy(s => s.Step.Order))
            {
                foreach (var operation in work.Operations)
                {
                    if (stopReason != null)
                    {
                        results.Add(NewResult(work.Step, operation, Ec2StepOutcome.Skipped, stopReason));
                        continue;
                    }
                    var call = new Call(ec2, work.Step, operation, context, cancellationToken, this);
                    IReadOnlyList<(Ec2StepResult Result, Undo? Action)> done;
                    try
                    {
                        done = await call.RunAsync().ConfigureAwait(false);
                    }
                    catch (Exception e) when (!(e is ArgumentNullException))
                    {
                        done = new[] { (call.Failure(e), (Undo?)null) };
                    }
                    foreach (var (result, action) in done)
                    {
                        results.Add(result);
                        if (result.OutcomeValue == Ec2StepOutcome.Remediated && action != null) undo.Add((result, action));
                        else if (result.OutcomeValue == Ec2StepOutcome.Remediated) undo.Add((result, Undo.None("EC2 has no call that reverses " + operation.Name)));
                        if (result.OutcomeValue == Ec2StepOutcome.Failed)
                            stopReason = $"Not made: step {work.Step.Order} ({work.Step.Action}) failed: {result.ErrorCode} {result.Message}".TrimEnd();
                        else if (result.OutcomeValue == Ec2StepOutcome.MayHaveBeenApplied)
                        {
                            stopReason = $"Not made: the answer to step {work.Step.Order} ({result.Ec2Call}) was lost, so whether it was applied is unknown.";
                            stopUndoes = false;
                        }
                    }
                }
            }
            if (stopReason != null && undo.Count > 0)
            {
                undo.Reverse();
                foreach (var (result, action) in undo)
                {
                    if (!stopUndoes)
                    {
                        result.Undo = "Left in place: a later call's outcome is unknown; check the current state before undoing by hand ("
                                      + (action.Text.Length > 0 ? action.Text : "no EC2 call reverses it") + ").";
                        continue;
                    }
                    if (action.Run == null)
                    {
                        result.Undo = "Left in place: " + action.Text + ".";
                        continue;
                    }
                    try
                    {
                        _reporter.Verbose($"Undoing {result.Ec2Call} in account {result.AccountId}: {action.Text}.");
                        await action.Run(cancellationToken).ConfigureAwait(false);
                        result.OutcomeValue = Ec2StepOutcome.Undone;
                        result.Undo = "Undone with " + action.Text + ".";
                    }
                    catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
                    {
                        result.Undo = $"Left in place: undoing with {action.Text} failed: {Describe(e)}";
                    }
                }
            }
            return results;
        }

        private static Ec2StepResult NewResult(RemediationStep step, Ec2Operation operation, Ec2StepOutcome outcome, string message) => new Ec2StepResult
        {
            AccountId = step.AccountId, Region = step.Region, PolicyName = step.PolicyName, ResourceId = step.ResourceId, Order = step.Order, Action = step.Action,
            Ec2Call = operation.Text, OutcomeValue = outcome, Message = message,
        };

        internal static bool MayHaveBeenApplied(Exception e)
            => e is TimeoutException || e is OperationCanceledException || (e is AwsTransportException transport && transport.MayHaveBeenApplied)
               || (e is AwsServiceException service && (int)service.StatusCode >= 500 && !IsThrottled(service.ErrorCode));

        /// <summary>EC2 answers a throttled call with HTTP 503 RequestLimitExceeded: the call was refused, not applied.</summary>
        private static bool IsThrottled(string code) => code == "RequestLimitExceeded" || code == "Throttling" || code == "ThrottlingException";

        private static string Describe(Exception e) => e is AwsServiceException s ? s.ErrorCode + ": " + s.Message : e.Message;

        private static string Document(object? state) => state == null ? "" : JsonSerializer.Serialize(state, state.GetType(), Json);

        /// <summary>How an applied call is reversed: the call's text and the call, or only why it cannot be.</summary>
        private sealed class Undo
        {
            public Undo(string text, Func<CancellationToken, Task>? run)
            {
                Text = text;
                Run = run;
            }

            public string Text { get; }
            public Func<CancellationToken, Task>? Run { get; }

            public static Undo None(string why) => new Undo(why, null);
        }

        /// <summary>What the earlier steps of the same resource created, for the steps that name it with an empty id.</summary>
        private sealed class RunContext
        {
            public string? NewRouteTableId { get; set; }
            public string? NewNetworkAclId { get; set; }
        }

        /// <summary>One EC2 operation: read before, call, read after, journal; with its undo.</summary>
        private sealed class Call
        {
            private readonly IEc2Client _ec2;
            private readonly RemediationStep _step;
            private readonly Ec2Operation _op;
            private readonly RunContext _context;
            private readonly CancellationToken _ct;
            private readonly Ec2RemediationRunner _runner;
            private bool _sent;

            public Call(IEc2Client ec2, RemediationStep step, Ec2Operation op, RunContext context, CancellationToken ct, Ec2RemediationRunner runner)
            {
                _ec2 = ec2;
                _step = step;
                _op = op;
                _context = context;
                _ct = ct;
                _runner = runner;
            }

            private string Account => _step.AccountId;

            public Ec2StepResult Failure(Exception e)
            {
                // Only a change that was sent can have been applied: a failed read before it is a plain failure.
                var result = NewResult(_step, _op, _sent && MayHaveBeenApplied(e) ? Ec2StepOutcome.MayHaveBeenApplied : Ec2StepOutcome.Failed, Describe(e));
                if (e is AwsServiceException service) result.ErrorCode = service.ErrorCode;
                if (result.OutcomeValue == Ec2StepOutcome.MayHaveBeenApplied)
                    result.Message = "The request was sent but its answer was lost; it may have been applied and was not sent again. " + result.Message;
                return result;
            }

            private string Table(string? id) => !string.IsNullOrEmpty(id) ? id!
                : _context.NewRouteTableId ?? throw new InvalidOperationException("The step names the route table an earlier step creates, and no earlier step created one.");

            private string Acl(string? id) => !string.IsNullOrEmpty(id) ? id!
                : _context.NewNetworkAclId ?? throw new InvalidOperationException("The step names the network ACL an earlier step creates, and no earlier step created one.");

            public async Task<IReadOnlyList<(Ec2StepResult, Undo?)>> RunAsync()
            {
                switch (_op.Name)
                {
                    case "CreateRoute":
                    case "ReplaceRoute":
                    case "DeleteRoute":
                        return new[] { await RouteAsync(Resolve(_op.Route!)).ConfigureAwait(false) };
                    case "CreateRouteTable":
                        return new[] { await CreateTableAsync().ConfigureAwait(false) };
                    case "CopyRouteTable":
                        return await CopyTableAsync().ConfigureAwait(false);
                    case "ReplaceRouteTableAssociation":
                        return new[] { await ReplaceTableAssociationAsync().ConfigureAwait(false) };
                    case "AssociateRouteTable":
                        return new[] { await AssociateTableAsync().ConfigureAwait(false) };
                    case "CreateNetworkAcl":
                        return new[] { await CreateAclAsync().ConfigureAwait(false) };
                    case "CreateNetworkAclEntry":
                    case "DeleteNetworkAclEntry":
                        return new[] { await EntryAsync().ConfigureAwait(false) };
                    case "ReplaceNetworkAclAssociation":
                        return new[] { await ReplaceAclAssociationAsync().ConfigureAwait(false) };
                    default:
                        throw new InvalidOperationException("FmsTools has no EC2 call for " + _op.Name + ".");
                }
            }

            private Ec2RouteSpec Resolve(Ec2RouteSpec spec) => new Ec2RouteSpec
            {
                RouteTableId = Table(spec.RouteTableId), DestinationCidrBlock = spec.DestinationCidrBlock, DestinationIpv6CidrBlock = spec.DestinationIpv6CidrBlock,
                DestinationPrefixListId = spec.DestinationPrefixListId, Target = spec.Target, TargetMember = spec.TargetMember,
            };

            private async Task<Ec2RouteTable?> ReadTableAsync(string id)
                => (await _ec2.DescribeRouteTablesAsync(new[] { id }, null, null, _ct).ConfigureAwait(false)).FirstOrDefault();

            private async Task<Ec2NetworkAcl?> ReadAclAsync(string id)
                => (await _ec2.DescribeNetworkAclsAsync(new[] { id }, null, null, _ct).ConfigureAwait(false)).FirstOrDefault();

            /// <summary>Makes the call and journals it with before and after (after read again on success; for a failure, what was attempted).</summary>
            private async Task<T> ChangeAsync<T>(string operation, ChangeTargetType targetType, string targetId, object? before, Func<Task<T>> call,
                Func<T, Task<object?>> after, bool clientToken = false)
            {
                _runner._reporter.Verbose($"EC2 {_op.Name} in account {Account} ({_step.Region}): {_op.Text}.");
                T value;
                _sent = true;
                var ids = AwsRequestIdScope.Begin();
                try
                {
                    try
                    {
                        value = await call().ConfigureAwait(false);
                    }
                    catch (Exception e) when (clientToken && MayHaveBeenApplied(e) && !_ct.IsCancellationRequested)
                    {
                        // Idempotent through its client token: the same request again cannot apply the change twice.
                        _runner._reporter.Verbose($"EC2 {operation}: the answer was lost ({e.Message}); sending it again with the same client token.");
                        value = await call().ConfigureAwait(false);
                    }
                }
                catch (Exception e)
                {
                    ids.Dispose();
                    await RecordAsync(operation, targetType, targetId, before, new { attempted = _op.Text }, e).ConfigureAwait(false);
                    throw;
                }
                var requestId = ids.LastRequestId;
                ids.Dispose();
                object? afterState;
                try
                {
                    afterState = await after(value).ConfigureAwait(false);
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    afterState = new { applied = _op.Text, afterNotRead = e.Message };
                }
                try
                {
                    await RecordAsync(operation, targetType, targetId, before, afterState, null, requestId).ConfigureAwait(false);
                }
                catch (FmsItemException e) when (e.Error.ErrorId == "ChangeJournalWriteFailed")
                {
                    // The change was made: the step stays applied (and undoable); the journal failure is reported, not the change.
                    _runner._reporter.Warning(e.Message);
                }
                return value;
            }

            private Task RecordAsync(string operation, ChangeTargetType targetType, string targetId, object? before, object? after, Exception? error, string? requestId = null)
                => ChangeRecorder.RecordAsync(_runner.Journal, new ChangeRecord
                {
                    TargetType = targetType, Operation = operation, TargetId = targetId, TargetName = "account " + Account, Region = _step.Region,
                    Account = Account, RequestId = requestId,
                    BeforeDocument = before == null ? null : Document(before), AfterDocument = after == null ? null : Document(after), Error = error,
                }, _ct);

            private Ec2StepResult Done(string message, string changed = "") { var r = NewResult(_step, _op, Ec2StepOutcome.Remediated, message); r.ChangedResourceId = changed; return r; }

            private Ec2StepResult Skip(string message) => NewResult(_step, _op, Ec2StepOutcome.Skipped, message);

            private static bool SameDestination(Ec2Route route, Ec2RouteSpec spec)
                => (spec.DestinationCidrBlock != null && route.DestinationCidrBlock == spec.DestinationCidrBlock)
                   || (spec.DestinationIpv6CidrBlock != null && route.DestinationIpv6CidrBlock == spec.DestinationIpv6CidrBlock)
                   || (spec.DestinationPrefixListId != null && route.DestinationPrefixListId == spec.DestinationPrefixListId);

            private async Task<(Ec2StepResult, Undo?)> RouteAsync(Ec2RouteSpec spec)
            {
                var before = await ReadTableAsync(spec.RouteTableId).ConfigureAwait(false)
                             ?? throw new AwsServiceException("InvalidRouteTableID.NotFound", $"DescribeRouteTables does not return {spec.RouteTableId}.", System.Net.HttpStatusCode.BadRequest, null, "DescribeRouteTables");
                var existing = before.Routes.FirstOrDefault(r => SameDestination(r, spec));
                Func<object, Task<object?>> after = async _ => await ReadTableAsync(spec.RouteTableId).ConfigureAwait(false);
                switch (_op.Name)
                {
                    case "CreateRoute":
                        if (existing != null && existing.Target == spec.Target) return (Skip($"{spec.RouteTableId} already routes {spec.Destination} to {spec.Target}."), null);
                        await ChangeAsync<object>("CreateRoute", ChangeTargetType.Ec2RouteTable, spec.RouteTableId, before,
                            async () => { await _ec2.CreateRouteAsync(spec, _ct).ConfigureAwait(false); return spec; }, after).ConfigureAwait(false);
                        var removal = new Ec2RouteSpec { RouteTableId = spec.RouteTableId, DestinationCidrBlock = spec.DestinationCidrBlock,
                            DestinationIpv6CidrBlock = spec.DestinationIpv6CidrBlock, DestinationPrefixListId = spec.DestinationPrefixListId };
                        return (Done($"Created the route {spec.Destination} -> {spec.Target} in {spec.RouteTableId}.", spec.RouteTableId),
                            new Undo($"DeleteRoute {spec.RouteTableId} {spec.Destination}", ct => Reverse("DeleteRoute", spec.RouteTableId, () => _ec2.DeleteRouteAsync(removal, ct))));
                    case "ReplaceRoute":
                        if (existing != null && existing.Target == spec.Target) return (Skip($"{spec.RouteTableId} already routes {spec.Destination} to {spec.Target}."), null);
                        await ChangeAsync<object>("ReplaceRoute", ChangeTargetType.Ec2RouteTable, spec.RouteTableId, before,
                            async () => { await _ec2.ReplaceRouteAsync(spec, _ct).ConfigureAwait(false); return spec; }, after).ConfigureAwait(false);
                        var back = existing?.Target == null ? null : new Ec2RouteSpec { RouteTableId = spec.RouteTableId, DestinationCidrBlock = spec.DestinationCidrBlock,
                            DestinationIpv6CidrBlock = spec.DestinationIpv6CidrBlock, DestinationPrefixListId = spec.DestinationPrefixListId, Target = existing.Target, TargetMember = existing.TargetMember };
                        return (Done($"Replaced the route {spec.Destination} in {spec.RouteTableId}: {existing?.Target ?? "(none)"} -> {spec.Target}.", spec.RouteTableId),
                            back == null ? Undo.None($"the route's previous target was not read") 
                                : new Undo($"ReplaceRoute {spec.RouteTableId} {spec.Destination} -> {back.Target}", ct => Reverse("ReplaceRoute", spec.RouteTableId, () => _ec2.ReplaceRouteAsync(back, ct))));
                    default:
                        if (existing == null) return (Skip($"{spec.RouteTableId} has no route to {spec.Destination}."), null);
                        await ChangeAsync<object>("DeleteRoute", ChangeTargetType.Ec2RouteTable, spec.RouteTableId, before,
                            async () => { await _ec2.DeleteRouteAsync(spec, _ct).ConfigureAwait(false); return spec; }, after).ConfigureAwait(false);
                        var restore = existing.Target == null || existing.Origin != "CreateRoute" ? null : new Ec2RouteSpec { RouteTableId = spec.RouteTableId,
                            DestinationCidrBlock = existing.DestinationCidrBlock, DestinationIpv6CidrBlock = existing.DestinationIpv6CidrBlock,
                            DestinationPrefixListId = existing.DestinationPrefixListId, Target = existing.Target, TargetMember = existing.TargetMember };
                        return (Done($"Deleted the route {spec.Destination} -> {existing.Target} from {spec.RouteTableId}.", spec.RouteTableId),
                            restore == null ? Undo.None("the deleted route was not created with CreateRoute, so it cannot be recreated")
                                : new Undo($"CreateRoute {spec.RouteTableId} {restore.Destination} -> {restore.Target}", ct => Reverse("CreateRoute", spec.RouteTableId, () => _ec2.CreateRouteAsync(restore, ct))));
                }
            }

            /// <summary>An undo call, journaled like any change.</summary>
            private async Task Reverse(string operation, string targetId, Func<Task> call)
            {
                string? requestId;
                using (var ids = AwsRequestIdScope.Begin())
                {
                    try
                    {
                        await call().ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        await RecordAsync(operation, TargetOf(targetId), targetId, null, new { undoing = _op.Text }, e).ConfigureAwait(false);
                        throw;
                    }
                    requestId = ids.LastRequestId;
                }
                await RecordAsync(operation, TargetOf(targetId), targetId, new { undoing = _op.Text }, null, null, requestId).ConfigureAwait(false);
            }

            private static ChangeTargetType TargetOf(string id) => id.StartsWith("acl", StringComparison.Ordinal) ? ChangeTargetType.Ec2NetworkAcl : ChangeTargetType.Ec2RouteTable;

            private async Task<(Ec2StepResult, Undo?)> CreateTableAsync()
            {
                var token = _runner._newClientToken();
                var id = await ChangeAsync("CreateRouteTable", ChangeTargetType.Ec2RouteTable, _op.VpcId!, null,
                    () => _ec2.CreateRouteTableAsync(_op.VpcId!, token, _ct), async created => (object?)await ReadTableAsync(created).ConfigureAwait(false), clientToken: true)
                    .ConfigureAwait(false);
                _context.NewRouteTableId = id;
                return (Done($"Created the route table {id} in {_op.VpcId}.", id),
                    new Undo($"DeleteRouteTable {id}", ct => Reverse("DeleteRouteTable", id, () => _ec2.DeleteRouteTableAsync(id, ct))));
            }

            private async Task<IReadOnlyList<(Ec2StepResult, Undo?)>> CopyTableAsync()
            {
                var source = await ReadTableAsync(_op.SourceRouteTableId!).ConfigureAwait(false)
                             ?? throw new AwsServiceException("InvalidRouteTableID.NotFound", $"DescribeRouteTables does not return {_op.SourceRouteTableId}.", System.Net.HttpStatusCode.BadRequest, null, "DescribeRouteTables");
                var results = new List<(Ec2StepResult, Undo?)> { await CreateTableAsync().ConfigureAwait(false) };
                var table = _context.NewRouteTableId!;
                foreach (var route in source.Routes.Where(r => r.Origin == "CreateRoute" && r.Target != null))
                {
                    var spec = new Ec2RouteSpec { RouteTableId = table, DestinationCidrBlock = route.DestinationCidrBlock, DestinationIpv6CidrBlock = route.DestinationIpv6CidrBlock,
                        DestinationPrefixListId = route.DestinationPrefixListId, Target = route.Target, TargetMember = route.TargetMember };
                    var copy = new Call(_ec2, _step, new Ec2Operation("CreateRoute") { Route = spec, RouteTableId = table }, _context, _ct, _runner);
                    try
                    {
                        results.Add(await copy.RouteAsync(spec).ConfigureAwait(false));
                    }
                    catch (Exception e) when (!(e is ArgumentNullException))
                    {
                        results.Add((copy.Failure(e), null));
                        break;
                    }
                }
                return results;
            }

            private async Task<(Ec2StepResult, Undo?)> ReplaceTableAssociationAsync()
            {
                var table = Table(_op.RouteTableId);
                var association = _op.AssociationId!;
                var before = (await _ec2.DescribeRouteTablesAsync(null, "association.route-table-association-id", association, _ct).ConfigureAwait(false)).FirstOrDefault();
                if (before != null && before.RouteTableId == table) return (Skip($"{association} already associates {table}."), null);
                var newAssociation = await ChangeAsync("ReplaceRouteTableAssociation", ChangeTargetType.Ec2RouteTable, table, before,
                    () => _ec2.ReplaceRouteTableAssociationAsync(association, table, _ct), async _ => (object?)await ReadTableAsync(table).ConfigureAwait(false)).ConfigureAwait(false);
                var previous = before?.RouteTableId;
                return (Done($"Replaced association {association}: {previous ?? "(unknown)"} -> {table} (new association {newAssociation}).", newAssociation),
                    previous == null ? Undo.None("the association's previous route table was not found by DescribeRouteTables")
                        : new Undo($"ReplaceRouteTableAssociation {newAssociation} -> {previous}",
                            ct => Reverse("ReplaceRouteTableAssociation", previous, () => _ec2.ReplaceRouteTableAssociationAsync(newAssociation, previous, ct))));
            }

            private async Task<(Ec2StepResult, Undo?)> AssociateTableAsync()
            {
                var table = Table(_op.RouteTableId);
                var before = await ReadTableAsync(table).ConfigureAwait(false);
                if (before != null && before.Associations.Any(a => (_op.SubnetId != null && a.SubnetId == _op.SubnetId) || (_op.GatewayId != null && a.GatewayId == _op.GatewayId)))
                    return (Skip($"{table} is already associated with {_op.SubnetId ?? _op.GatewayId}."), null);
                var association = await ChangeAsync("AssociateRouteTable", ChangeTargetType.Ec2RouteTable, table, before,
                    () => _ec2.AssociateRouteTableAsync(table, _op.SubnetId, _op.GatewayId, _ct), async _ => (object?)await ReadTableAsync(table).ConfigureAwait(false)).ConfigureAwait(false);
                return (Done($"Associated {table} with {_op.SubnetId ?? _op.GatewayId} ({association}).", association),
                    new Undo($"DisassociateRouteTable {association}", ct => Reverse("DisassociateRouteTable", table, () => _ec2.DisassociateRouteTableAsync(association, ct))));
            }

            private async Task<(Ec2StepResult, Undo?)> CreateAclAsync()
            {
                var token = _runner._newClientToken();
                var id = await ChangeAsync("CreateNetworkAcl", ChangeTargetType.Ec2NetworkAcl, _op.VpcId!, null,
                    () => _ec2.CreateNetworkAclAsync(_op.VpcId!, token, _ct), async created => (object?)await ReadAclAsync(created).ConfigureAwait(false), clientToken: true)
                    .ConfigureAwait(false);
                _context.NewNetworkAclId = id;
                return (Done($"Created the network ACL {id} in {_op.VpcId}.", id),
                    new Undo($"DeleteNetworkAcl {id}", ct => Reverse("DeleteNetworkAcl", id, () => _ec2.DeleteNetworkAclAsync(id, ct))));
            }

            private async Task<(Ec2StepResult, Undo?)> EntryAsync()
            {
                var acl = Acl(_op.NetworkAclId);
                var entry = _op.Entry!;
                var before = await ReadAclAsync(acl).ConfigureAwait(false)
                             ?? throw new AwsServiceException("InvalidNetworkAclID.NotFound", $"DescribeNetworkAcls does not return {acl}.", System.Net.HttpStatusCode.BadRequest, null, "DescribeNetworkAcls");
                var existing = before.Entries.FirstOrDefault(e => e.RuleNumber == entry.RuleNumber && e.Egress == entry.Egress);
                Func<object, Task<object?>> after = async _ => await ReadAclAsync(acl).ConfigureAwait(false);
                if (_op.Name == "CreateNetworkAclEntry")
                {
                    if (existing != null && Same(existing, entry)) return (Skip($"{acl} already has {Ec2Operation.Describe(entry)}."), null);
                    await ChangeAsync<object>("CreateNetworkAclEntry", ChangeTargetType.Ec2NetworkAcl, acl, before,
                        async () => { await _ec2.CreateNetworkAclEntryAsync(acl, entry, _ct).ConfigureAwait(false); return entry; }, after).ConfigureAwait(false);
                    return (Done($"Created {Ec2Operation.Describe(entry)} in {acl}.", acl),
                        new Undo($"DeleteNetworkAclEntry {acl} {(entry.Egress ? "egress" : "ingress")} rule {entry.RuleNumber}",
                            ct => Reverse("DeleteNetworkAclEntry", acl, () => _ec2.DeleteNetworkAclEntryAsync(acl, entry.RuleNumber, entry.Egress, ct))));
                }
                if (existing == null) return (Skip($"{acl} has no {(entry.Egress ? "egress" : "ingress")} rule {entry.RuleNumber}."), null);
                await ChangeAsync<object>("DeleteNetworkAclEntry", ChangeTargetType.Ec2NetworkAcl, acl, before,
                    async () => { await _ec2.DeleteNetworkAclEntryAsync(acl, entry.RuleNumber, entry.Egress, _ct).ConfigureAwait(false); return entry; }, after).ConfigureAwait(false);
                return (Done($"Deleted {Ec2Operation.Describe(existing)} from {acl}.", acl),
                    new Undo($"CreateNetworkAclEntry {acl} {Ec2Operation.Describe(existing)}",
                        ct => Reverse("CreateNetworkAclEntry", acl, () => _ec2.CreateNetworkAclEntryAsync(acl, existing, ct))));
            }

            private static bool Same(Ec2NetworkAclEntry a, Ec2NetworkAclEntry b)
                => a.Protocol == b.Protocol && string.Equals(a.RuleAction, b.RuleAction, StringComparison.OrdinalIgnoreCase) && a.CidrBlock == b.CidrBlock
                   && a.Ipv6CidrBlock == b.Ipv6CidrBlock && a.PortFrom == b.PortFrom && a.PortTo == b.PortTo && a.IcmpType == b.IcmpType && a.IcmpCode == b.IcmpCode;

            private async Task<(Ec2StepResult, Undo?)> ReplaceAclAssociationAsync()
            {
                var acl = Acl(_op.NetworkAclId);
                var association = _op.AssociationId!;
                var before = (await _ec2.DescribeNetworkAclsAsync(null, "association.association-id", association, _ct).ConfigureAwait(false)).FirstOrDefault();
                if (before != null && before.NetworkAclId == acl) return (Skip($"{association} already associates {acl}."), null);
                var newAssociation = await ChangeAsync("ReplaceNetworkAclAssociation", ChangeTargetType.Ec2NetworkAcl, acl, before,
                    () => _ec2.ReplaceNetworkAclAssociationAsync(association, acl, _ct), async _ => (object?)await ReadAclAsync(acl).ConfigureAwait(false)).ConfigureAwait(false);
                var previous = before?.NetworkAclId;
                return (Done($"Replaced association {association}: {previous ?? "(unknown)"} -> {acl} (new association {newAssociation}).", newAssociation),
                    previous == null ? Undo.None("the association's previous network ACL was not found by DescribeNetworkAcls")
                        : new Undo($"ReplaceNetworkAclAssociation {newAssociation} -> {previous}",
                            ct => Reverse("ReplaceNetworkAclAssociation", previous, () => _ec2.ReplaceNetworkAclAssociationAsync(newAssociation, previous, ct))));
            }
        }
    }
}
