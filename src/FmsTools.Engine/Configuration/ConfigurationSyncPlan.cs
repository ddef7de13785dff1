using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;

namespace FmsTools.Engine.Configuration
{
    /// <summary>What Sync-FmsConfiguration did with one object: the action planned, whether it was made, and why.</summary>
    public sealed class FmsConfigurationSyncResult
    {
        public string Action => ActionValue.ToString();
        internal SyncActionKind ActionValue { get; set; }

        public string Status => StatusValue.ToString();
        internal PolicySyncStatus StatusValue { get; set; }

        public string Kind => KindValue.ToString();
        internal ConfigurationKind KindValue { get; set; }

        public string? Region { get; set; }
        public string Name { get; set; } = "";

        /// <summary>The live id after the step (a created object's new id).</summary>
        public string? Id { get; set; }

        /// <summary>The field-level differences the step applies (empty for deletes and unchanged objects).</summary>
        public List<FmsConfigurationDifference> Differences { get => _differences; set => _differences = Items.List(value); }
        private ItemList<FmsConfigurationDifference> _differences = new ItemList<FmsConfigurationDifference>();

        public int DifferenceCount => Differences.Count;

        /// <summary>What the step changes (the ShouldProcess message), or why it was not made.</summary>
        public string Message { get; set; } = "";

        public override string ToString() => $"{Action} {Kind} '{Name}'{(Region == null ? "" : " (" + Region + ")")}: {Status}";
    }

    /// <summary>One step of a configuration sync: an object to create, update, delete, or leave as it is.</summary>
    public sealed class ConfigurationStep
    {
        internal ConfigurationStep(SyncActionKind action, ConfigurationKind kind, string? region, string name)
        {
            Action = action;
            Kind = kind;
            Region = region;
            Name = name;
        }

        public SyncActionKind Action { get; }
        public ConfigurationKind Kind { get; }
        public string? Region { get; }
        public string Name { get; }
        public FmsConfigurationItem? Desired { get; internal set; }
        public FmsConfigurationItem? Deployed { get; internal set; }
        public List<FmsConfigurationDifference> Differences { get; internal set; } = new List<FmsConfigurationDifference>();

        /// <summary>For a policy: the step of SyncPlanner's plan (update token, policy count for the quota check).</summary>
        public SyncAction? PolicyAction { get; internal set; }

        /// <summary>Why the step cannot be made (administrators without a management connection); null when it can.</summary>
        public string? NotApplicable { get; internal set; }

        public override string ToString() => $"{Action} {Kind} '{Name}'{(Region == null ? "" : " (" + Region + ")")}";
    }

    /// <summary>
    /// The plan of a configuration sync across kinds, in the order to apply it: resource sets, apps lists, protocols lists,
    /// notification channels and administrators created or updated first; then policies (SyncPlanner's plan per Region:
    /// its deletes, creates and updates, so the policies referencing a new resource set come after it); then the deletes
    /// of resource sets and lists that the policies stopped referencing, and of channels; unchanged objects last.
    /// </summary>
    public sealed class ConfigurationSyncPlan
    {
        public List<ConfigurationStep> Steps { get; } = new List<ConfigurationStep>();

        /// <summary>Problems that keep policies out of the plan (SyncPlanner's issues: duplicates, type changes, out of scope).</summary>
        public List<SyncIssue> Issues { get; } = new List<SyncIssue>();

        public bool HasChanges => Steps.Any(s => s.Action != SyncActionKind.Unchanged);

        public override string ToString()
            => $"{Steps.Count(s => s.Action == SyncActionKind.Create)} to create, {Steps.Count(s => s.Action == SyncActionKind.Update)} to update, "
               + $"{Steps.Count(s => s.Action == SyncActionKind.Delete)} to delete, {Steps.Count(s => s.Action == SyncActionKind.Unchanged)} unchanged"
               + (Issues.Count > 0 ? $", {Issues.Count} issue(s)" : "");

        private static readonly ConfigurationKind[] DependencyOrder =
        {
            ConfigurationKind.ResourceSet, ConfigurationKind.AppsList, ConfigurationKind.ProtocolsList, ConfigurationKind.NotificationChannel, ConfigurationKind.AdminAccount,
        };

        /// <summary>
        /// Plans the sync of <paramref name="desired"/> (read from a folder) onto <paramref name="live"/> (read from the
        /// same Regions and kinds). Without <paramref name="deleteMissing"/> live objects the folder does not describe are
        /// left alone. <paramref name="adminsApplicable"/> false: administrator steps are planned but marked not applicable.
        /// </summary>
        public static ConfigurationSyncPlan Create(IReadOnlyList<FmsConfigurationItem> desired, IReadOnlyList<FmsConfigurationItem> live, bool deleteMissing, bool adminsApplicable)
        {
            var plan = new ConfigurationSyncPlan();
            var liveByKey = live.GroupBy(ConfigurationComparer.Key).ToDictionary(g => g.Key, g => g.First());
            var desiredKeys = new HashSet<(ConfigurationKind, string, string)>(desired.Select(ConfigurationComparer.Key));
            var first = new List<ConfigurationStep>();
            var unchanged = new List<ConfigurationStep>();
            var deletes = new List<ConfigurationStep>();
            foreach (var item in ConfigurationFolder.Ordered(desired.Where(d => d.KindValue != ConfigurationKind.Policy)).OrderBy(i => Array.IndexOf(DependencyOrder, i.KindValue)))
            {
                liveByKey.TryGetValue(ConfigurationComparer.Key(item), out var deployed);
                var differences = deployed == null ? new List<FmsConfigurationDifference>() : ConfigurationComparer.CompareItem(item, deployed);
                var action = deployed == null ? SyncActionKind.Create : differences.Count > 0 ? SyncActionKind.Update : SyncActionKind.Unchanged;
                var step = new ConfigurationStep(action, item.KindValue, item.Region, item.Name) { Desired = item, Deployed = deployed, Differences = differences };
                if (item.KindValue == ConfigurationKind.AdminAccount && !adminsApplicable && action != SyncActionKind.Unchanged)
                    step.NotApplicable = "administrator accounts are changed only through the organization's management account: pass its connection with -ManagementConnection";
                (action == SyncActionKind.Unchanged ? unchanged : first).Add(step);
            }
            if (deleteMissing)
            {
                foreach (var item in ConfigurationFolder.Ordered(live.Where(l => l.KindValue != ConfigurationKind.Policy && !desiredKeys.Contains(ConfigurationComparer.Key(l)))))
                {
                    var step = new ConfigurationStep(SyncActionKind.Delete, item.KindValue, item.Region, item.Name) { Deployed = item };
                    if (item.KindValue == ConfigurationKind.AdminAccount)
                        step.NotApplicable = "administrator accounts are never removed by a sync (removing the default administrator deletes its policies); use Remove-FmsAdminAccount";
                    deletes.Add(step);
                }
            }
            plan.Steps.AddRange(first);
            foreach (var region in desired.Concat(live).Where(i => i.KindValue == ConfigurationKind.Policy).Select(i => i.Region ?? "").Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal))
                PlanPolicies(plan, region, desired, live, deleteMissing, unchanged);
            plan.Steps.AddRange(deletes);
            plan.Steps.AddRange(unchanged);
            return plan;
        }

        private static void PlanPolicies(ConfigurationSyncPlan plan, string region, IReadOnlyList<FmsConfigurationItem> desired, IReadOnlyList<FmsConfigurationItem> live,
            bool deleteMissing, List<ConfigurationStep> unchanged)
        {
            var wanted = desired.Where(i => i.KindValue == ConfigurationKind.Policy && (i.Region ?? "") == region).ToDictionary(ConfigurationComparer.WithNames, i => i);
            var deployed = new Dictionary<FmsPolicy, FmsConfigurationItem>();
            foreach (var item in live.Where(i => i.KindValue == ConfigurationKind.Policy && (i.Region ?? "") == region))
            {
                // The live policy with its resource sets by name, keeping what identifies it (id, token, ARN, status).
                var original = (FmsPolicy)item.Deployed!;
                var named = ConfigurationComparer.WithNames(item);
                named.PolicyId = original.PolicyId;
                named.UpdateToken = original.UpdateToken;
                named.Arn = original.Arn;
                named.StatusValue = original.StatusValue;
                deployed[named] = item;
            }
            var policyPlan = SyncPlanner.Plan(wanted.Keys, deployed.Keys, deleteMissing);
            plan.Issues.AddRange(policyPlan.Issues);
            foreach (var action in policyPlan.Actions)
            {
                var want = action.Desired == null ? null : wanted[action.Desired];
                var have = action.Deployed == null ? null : deployed[action.Deployed];
                var step = new ConfigurationStep(action.Kind, ConfigurationKind.Policy, region.Length == 0 ? null : region, action.Name)
                {
                    Desired = want, Deployed = have, PolicyAction = action,
                    Differences = want != null && have != null ? ConfigurationComparer.CompareItem(want, have) : new List<FmsConfigurationDifference>(),
                };
                (action.Kind == SyncActionKind.Unchanged ? unchanged : plan.Steps).Add(step);
            }
        }

        /// <summary>
        /// The policy of a create or update step as PutPolicy takes it: the update token and id of the live policy, and
        /// the resource set names resolved to ids with <paramref name="resourceSetIds"/> (name to id, the sets created
        /// earlier in the run included). A name with no id throws.
        /// </summary>
        public static FmsPolicy PolicyToPut(ConfigurationStep step, IReadOnlyDictionary<string, string> resourceSetIds, string? placeholder = null)
        {
            var put = step.PolicyAction!.PolicyToPut()!;
            put.Scope ??= new PolicyScope();
            put.Scope.ResourceSetIds = step.Desired!.ResourceSetNames.Select(name =>
            {
                if (resourceSetIds.TryGetValue(name, out var id)) return id;
                if (placeholder != null) return placeholder;
                throw new Diagnostics.FmsInputException(new[] { new Diagnostics.InputFinding("scope.resourceSetIds", "Configuration.Reference.ResourceSet",
                    $"Policy '{step.Name}' names resource set '{name}', which does not exist in {step.Region} (it was not created)."), });
            }).ToList();
            return put;
        }

        /// <summary>A description of what the step changes, for ShouldProcess and the result.</summary>
        public static string Describe(ConfigurationStep step)
        {
            var what = Noun(step.Kind) + " '" + step.Name + "'" + (step.Region == null ? "" : " in " + step.Region);
            switch (step.Action)
            {
                case SyncActionKind.Create:
                    return "Create " + what + (step.Desired == null ? "" : ": " + step.Desired.Summary);
                case SyncActionKind.Delete:
                    return "Delete " + what + " (no file describes it)";
                case SyncActionKind.Update:
                    return "Update " + what + ": " + string.Join("; ", step.Differences.Select(d => d.Field + (d.ChangeValue == ConfigurationChange.Changed
                        ? " " + d.LiveValue + " -> " + d.FolderValue
                        : d.ChangeValue == ConfigurationChange.Added ? " + " + d.FolderValue : " - " + d.LiveValue)));
                default:
                    return what + " matches its file";
            }
        }

        internal static string Noun(ConfigurationKind kind) => kind switch
        {
            ConfigurationKind.AppsList => "apps list",
            ConfigurationKind.ProtocolsList => "protocols list",
            ConfigurationKind.ResourceSet => "resource set",
            ConfigurationKind.NotificationChannel => "notification channel",
            ConfigurationKind.AdminAccount => "administrator account",
            _ => "policy",
        };
    }
}
