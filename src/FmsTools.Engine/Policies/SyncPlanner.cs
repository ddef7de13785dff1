using System.Text;

namespace FmsTools.Engine.Policies
{
    public enum SyncActionKind
    {
        Create,
        Update,
        Delete,
        Unchanged,
    }

    /// <summary>One step of a sync plan.</summary>
    public sealed class SyncAction
    {
        internal SyncAction(SyncActionKind kind, FmsPolicy? desired, FmsPolicy? deployed, PolicyDiff? diff)
        {
            Kind = kind;
            Desired = desired;
            Deployed = deployed;
            Diff = diff;
        }

        public SyncActionKind Kind { get; }

        /// <summary>The policy from the files (null for a delete).</summary>
        public FmsPolicy? Desired { get; }

        /// <summary>The deployed policy (null for a create).</summary>
        public FmsPolicy? Deployed { get; }

        /// <summary>What an update changes (null for creates and deletes).</summary>
        public PolicyDiff? Diff { get; }

        /// <summary>
        /// For a create: how many policies the Region holds just before it is made, counting the deployed policies, the
        /// deletes (applied first) and the creates before it. PutPolicy's policy quota is checked against this number.
        /// Null for other kinds.
        /// </summary>
        public int? PoliciesBefore { get; internal set; }

        public string Name => Desired?.Name ?? Deployed?.Name ?? string.Empty;

        public string? PolicyId => Deployed?.PolicyId ?? Desired?.PolicyId;

        /// <summary>
        /// What to send with PutPolicy: the desired policy, carrying the deployed PolicyId and UpdateToken for an
        /// update, and no id for a create. Null for deletes and unchanged policies.
        /// </summary>
        public FmsPolicy? PolicyToPut()
        {
            if (Desired == null || (Kind != SyncActionKind.Create && Kind != SyncActionKind.Update)) return null;
            var put = Desired.Clone();
            put.PolicyId = Kind == SyncActionKind.Update ? Deployed!.PolicyId : null;
            put.UpdateToken = Kind == SyncActionKind.Update ? Deployed!.UpdateToken : null;
            put.Arn = Kind == SyncActionKind.Update ? Deployed!.Arn : null;
            return put;
        }

        public override string ToString() => Kind + " " + Name + (PolicyId == null ? string.Empty : " (" + PolicyId + ")");
    }

    /// <summary>Something that keeps a policy out of the plan; nothing is done for the policies it names.</summary>
    public sealed class SyncIssue
    {
        public const string DuplicateDesiredName = "Sync.DuplicateDesiredName";
        public const string DuplicateDesiredPolicyId = "Sync.DuplicateDesiredPolicyId";
        public const string AmbiguousDeployedName = "Sync.AmbiguousDeployedName";
        public const string PolicyIdNotDeployed = "Sync.PolicyIdNotDeployed";
        public const string TypeChange = "Sync.TypeChange";
        public const string OutOfAdminScope = "Sync.OutOfAdminScope";
        public const string DeployedNotDetailed = "Sync.DeployedNotDetailed";

        internal SyncIssue(string code, string name, string? policyId, string message)
        {
            Code = code;
            Name = name;
            PolicyId = policyId;
            Message = message;
        }

        public string Code { get; }

        public string Name { get; }

        public string? PolicyId { get; }

        public string Message { get; }

        public override string ToString() => Code + ": " + Message;
    }

    /// <summary>
    /// What to create, update and delete to make the deployed policies match the files. <see cref="Actions"/> are in
    /// the order to apply them: deletes first (so the creates fit the policy quota the plan is checked against), then
    /// creates and updates in file order, then the unchanged policies.
    /// </summary>
    public sealed class SyncPlan
    {
        internal SyncPlan(List<SyncAction> actions, List<SyncIssue> issues, List<FmsPolicy> unmanaged)
        {
            Actions = actions;
            Issues = issues;
            Unmanaged = unmanaged;
        }

        public IReadOnlyList<SyncAction> Actions { get; }

        public IReadOnlyList<SyncAction> Creates => Actions.Where(a => a.Kind == SyncActionKind.Create).ToList();

        public IReadOnlyList<SyncAction> Updates => Actions.Where(a => a.Kind == SyncActionKind.Update).ToList();

        public IReadOnlyList<SyncAction> Deletes => Actions.Where(a => a.Kind == SyncActionKind.Delete).ToList();

        public IReadOnlyList<SyncAction> Unchanged => Actions.Where(a => a.Kind == SyncActionKind.Unchanged).ToList();

        /// <summary>Problems that kept policies out of the plan (duplicates, type changes, ...).</summary>
        public IReadOnlyList<SyncIssue> Issues { get; }

        /// <summary>Deployed policies with no file, left alone because deleteMissing was false.</summary>
        public IReadOnlyList<FmsPolicy> Unmanaged { get; }

        public bool HasChanges => Actions.Any(a => a.Kind != SyncActionKind.Unchanged);

        public override string ToString()
        {
            var text = new StringBuilder();
            text.Append(Creates.Count.ToString(CultureInfo.InvariantCulture)).Append(" to create, ")
                .Append(Updates.Count.ToString(CultureInfo.InvariantCulture)).Append(" to update, ")
                .Append(Deletes.Count.ToString(CultureInfo.InvariantCulture)).Append(" to delete, ")
                .Append(Unchanged.Count.ToString(CultureInfo.InvariantCulture)).Append(" unchanged");
            if (Issues.Count > 0) text.Append(", ").Append(Issues.Count.ToString(CultureInfo.InvariantCulture)).Append(" issue(s)");
            foreach (var action in Actions.Where(a => a.Kind != SyncActionKind.Unchanged)) text.Append(Environment.NewLine).Append("  ").Append(action);
            foreach (var issue in Issues) text.Append(Environment.NewLine).Append("  ! ").Append(issue);
            return text.ToString();
        }
    }

    /// <summary>
    /// Plans a policy-as-code sync. Files bind to deployed policies by policyId when they carry one, otherwise by
    /// name. Anything ambiguous is reported as an issue and left alone — including never deleting a deployed
    /// policy that an ambiguous file may have meant.
    /// </summary>
    public static class SyncPlanner
    {
        public static SyncPlan Plan(IEnumerable<FmsPolicy> desired, IEnumerable<FmsPolicy> deployed, bool deleteMissing)
        {
            if (desired == null) throw new ArgumentNullException(nameof(desired));
            if (deployed == null) throw new ArgumentNullException(nameof(deployed));
            var desiredList = desired.Where(p => p != null).ToList();
            var deployedList = deployed.Where(p => p != null).ToList();
            var actions = new List<SyncAction>();
            var issues = new List<SyncIssue>();
            var claimed = new HashSet<FmsPolicy>();
            var protectedNames = new HashSet<string>(StringComparer.Ordinal);
            var pairs = new List<(FmsPolicy Desired, FmsPolicy Deployed)>();

            var deployedById = new Dictionary<string, FmsPolicy>(StringComparer.Ordinal);
            foreach (var policy in deployedList.Where(p => !string.IsNullOrEmpty(p.PolicyId)))
            {
                if (!deployedById.ContainsKey(policy.PolicyId!)) deployedById[policy.PolicyId!] = policy;
            }

            // Bound files: by policyId.
            foreach (var group in desiredList.Where(p => !string.IsNullOrEmpty(p.PolicyId)).GroupBy(p => p.PolicyId!, StringComparer.Ordinal))
            {
                var files = group.ToList();
                if (files.Count > 1)
                {
                    issues.Add(new SyncIssue(SyncIssue.DuplicateDesiredPolicyId, files[0].Name, group.Key,
                        Count(files.Count) + " files are bound to policy " + group.Key + " (" + string.Join(", ", files.Select(f => f.Name)) + "); keep one."));
                    if (deployedById.TryGetValue(group.Key, out var contested)) claimed.Add(contested);
                    continue;
                }
                if (!deployedById.TryGetValue(group.Key, out var match))
                {
                    issues.Add(new SyncIssue(SyncIssue.PolicyIdNotDeployed, files[0].Name, group.Key,
                        "the file for '" + files[0].Name + "' is bound to policy " + group.Key + ", which is not deployed (deleted outside FmsTools?). Remove policyId from the file to create it anew."));
                    continue;
                }
                claimed.Add(match);
                pairs.Add((files[0], match));
            }

            // Unbound files: by name, among deployed policies not claimed by an id.
            var unclaimedByName = deployedList.Where(p => !claimed.Contains(p)).GroupBy(p => p.Name ?? string.Empty, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            foreach (var group in desiredList.Where(p => string.IsNullOrEmpty(p.PolicyId)).GroupBy(p => p.Name ?? string.Empty, StringComparer.Ordinal))
            {
                var files = group.ToList();
                unclaimedByName.TryGetValue(group.Key, out var candidates);
                candidates = candidates ?? new List<FmsPolicy>();
                if (files.Count > 1)
                {
                    issues.Add(new SyncIssue(SyncIssue.DuplicateDesiredName, group.Key, null,
                        Count(files.Count) + " files define a policy named '" + group.Key + "' without a policyId; rename one or bind each with policyId."));
                    protectedNames.Add(group.Key);
                    continue;
                }
                if (candidates.Count > 1)
                {
                    issues.Add(new SyncIssue(SyncIssue.AmbiguousDeployedName, group.Key, null,
                        Count(candidates.Count) + " deployed policies are named '" + group.Key + "' (" + string.Join(", ", candidates.Select(c => c.PolicyId)) + "); add the policyId of the one you mean to the file."));
                    protectedNames.Add(group.Key);
                    continue;
                }
                if (candidates.Count == 0)
                {
                    actions.Add(new SyncAction(SyncActionKind.Create, files[0], null, null));
                    continue;
                }
                claimed.Add(candidates[0]);
                pairs.Add((files[0], candidates[0]));
            }

            foreach (var (want, have) in pairs)
            {
                if (have.StatusValue == FmsPolicyStatus.OutOfAdminScope)
                {
                    issues.Add(new SyncIssue(SyncIssue.OutOfAdminScope, have.Name, have.PolicyId, "policy '" + have.Name + "' is outside this administrator's scope; it can be viewed but not changed."));
                    continue;
                }
                if (want.TypeName != have.TypeName)
                {
                    issues.Add(new SyncIssue(SyncIssue.TypeChange, have.Name, have.PolicyId,
                        "policy '" + have.Name + "' is " + have.TypeName + " but the file says " + want.TypeName + "; FMS cannot change a policy's type. Delete it and create a new one."));
                    continue;
                }
                if (have.Settings == null)
                {
                    issues.Add(new SyncIssue(SyncIssue.DeployedNotDetailed, have.Name, have.PolicyId, "policy '" + have.Name + "' was listed but not read with GetPolicy, so it cannot be compared."));
                    continue;
                }
                var diff = PolicyComparer.Compare(want, have);
                actions.Add(new SyncAction(diff.IsEqual ? SyncActionKind.Unchanged : SyncActionKind.Update, want, have, diff));
            }

            var unmanaged = new List<FmsPolicy>();
            foreach (var policy in deployedList.Where(p => !claimed.Contains(p)))
            {
                if (!deleteMissing || protectedNames.Contains(policy.Name ?? string.Empty))
                {
                    unmanaged.Add(policy);
                    continue;
                }
                if (policy.StatusValue == FmsPolicyStatus.OutOfAdminScope)
                {
                    issues.Add(new SyncIssue(SyncIssue.OutOfAdminScope, policy.Name ?? string.Empty, policy.PolicyId, "policy '" + policy.Name + "' has no file but is outside this administrator's scope, so it is not deleted."));
                    unmanaged.Add(policy);
                    continue;
                }
                actions.Add(new SyncAction(SyncActionKind.Delete, null, policy, null));
            }
            return new SyncPlan(InApplyOrder(actions, deployedList.Count), issues, unmanaged);
        }

        /// <summary>Deletes, then creates and updates, then unchanged; each create carries the policy count it is checked against.</summary>
        private static List<SyncAction> InApplyOrder(List<SyncAction> actions, int deployedCount)
        {
            var ordered = actions.Where(a => a.Kind == SyncActionKind.Delete)
                .Concat(actions.Where(a => a.Kind == SyncActionKind.Create || a.Kind == SyncActionKind.Update))
                .Concat(actions.Where(a => a.Kind == SyncActionKind.Unchanged))
                .ToList();
            var policies = deployedCount - ordered.Count(a => a.Kind == SyncActionKind.Delete);
            foreach (var action in ordered.Where(a => a.Kind == SyncActionKind.Create)) action.PoliciesBefore = policies++;
            return ordered;
        }

        private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);
    }
}
