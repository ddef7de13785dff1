using FmsTools.Engine.PolicyOperations;

namespace FmsTools.Commands
{
    /// <summary>
    /// Makes the deployed policies match a folder of policy files: creates what is missing, updates what differs and,
    /// with -DeleteMissing, deletes deployed policies that have no file. Every change is one ShouldProcess with the
    /// diff in its message, so -WhatIf prints the plan; each step is written as a PolicySyncResult. Every file is checked
    /// offline and every create and update online (WAF capacity, rule names, the policy quota for the whole plan) before
    /// the first change: any error aborts the sync with nothing changed.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "FmsPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PolicySyncResult))]
    public sealed class SyncFmsPolicy : FmsConnectedCmdlet
    {
        /// <summary>Folders of *.fmspolicy.json files (or single files); wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [SupportsWildcards]
        public string[]? Path { get; set; }

        [Parameter]
        public SwitchParameter Recurse { get; set; }

        /// <summary>Delete deployed policies that no file describes.</summary>
        [Parameter]
        public SwitchParameter DeleteMissing { get; set; }

        /// <summary>With -DeleteMissing: also clean up what FMS created for the deleted policies.</summary>
        [Parameter]
        public SwitchParameter DeleteAllPolicyResources { get; set; }

        protected override void ProcessCore()
        {
            // Everything is read and checked before the first call: a file that cannot be read must never turn into a
            // deletion of the policy it described.
            using var progress = new CmdletProgress(WriteFmsProgress, ProgressActivity.SyncPolicies, "Synchronizing Firewall Manager policies", "policies");
            progress.Status("Reading policy files");
            var reads = PolicyFileReader.Read(this, Path!, Recurse.IsPresent, out var pathErrors);
            var badFiles = reads.Count(r => r.Policy == null);
            if (pathErrors > 0 || badFiles > 0)
                throw Abort($"{badFiles + pathErrors} path(s) or file(s) could not be read (see the errors above); nothing was changed.");
            if (reads.Count == 0)
                throw Abort("No *.fmspolicy.json files were found; nothing was changed (an empty folder never deletes policies).");

            var region = Session.Region;
            var desired = reads.Select(r => r.Policy!).ToList();
            var files = reads.ToDictionary(r => r.Policy!, r => r.File);
            // Offline findings: all of them are written now when any file has an error (and nothing is called); otherwise the
            // warnings wait for the plan, because a policy that is created or updated is checked again online (a superset).
            var offline = new Dictionary<FmsPolicy, IReadOnlyList<PolicyFinding>>();
            foreach (var policy in desired)
            {
                policy.Region ??= region;
                offline[policy] = PolicyService.ValidateOffline(policy, region);
            }
            var invalid = desired.Count(p => PolicyValidator.HasErrors(offline[p]));
            if (invalid > 0)
            {
                foreach (var policy in desired) PolicyFindingWriter.Write(this, offline[policy], policy);
                throw Abort($"{invalid} policy file(s) failed validation (see the errors above); nothing was changed.");
            }

            var service = NewPolicyService(region);
            progress.Status($"Read {desired.Count} policy file(s); reading the deployed policies");
            var deployed = Await((r, ct) =>
            {
                r.Verbose("Reading the deployed policies.");
                return service.GetAllDetailedAsync(ct);
            });
            var plan = SyncPlanner.Plan(desired, deployed, DeleteMissing.IsPresent);
            WriteVerbose("Plan: " + plan);
            foreach (var issue in plan.Issues)
                WriteFmsError(new FmsError(issue.Code, FmsErrorCategory.InvalidOperation, issue.Message, issue.Name));
            foreach (var policy in plan.Unmanaged)
                WriteVerbose($"Left alone: deployed policy '{policy.Name}' ({policy.PolicyId}) has no file" + (DeleteMissing.IsPresent ? "." : "; use -DeleteMissing to delete such policies."));

            var actions = plan.Actions;
            if (actions.Any(a => a.Kind == SyncActionKind.Create || a.Kind == SyncActionKind.Update))
                progress.Status("Checking the policies to create and update against the account (WAF capacity, rule names, policy quota)");
            CheckOnline(service, actions, offline, files);

            progress.SetTotal(actions.Count);
            foreach (var action in actions)
            {
                Apply(service, action);
                progress.Step($"{action.Kind} {action.Name}");
            }
        }

        /// <summary>
        /// Runs the online checks (WAF capacity, rule names, the policy quota) for every create and update before the first
        /// change, so a policy the service would refuse stops the whole sync instead of leaving it half-applied. Reads only:
        /// each distinct rule group once; the quota check of a create uses the count the plan projects for it.
        /// Writes every finding (offline warnings for the other files) and aborts when any is an error.
        /// </summary>
        private void CheckOnline(PolicyService service, IReadOnlyList<SyncAction> actions, Dictionary<FmsPolicy, IReadOnlyList<PolicyFinding>> offline,
            Dictionary<FmsPolicy, string> files)
        {
            var checkedOnline = new HashSet<FmsPolicy>();
            var cache = new OnlineValidationCache();
            var failed = new List<string>();
            foreach (var action in actions.Where(a => a.Kind == SyncActionKind.Create || a.Kind == SyncActionKind.Update))
            {
                var policy = action.PolicyToPut()!;
                var countBefore = action.PoliciesBefore;
                var findings = Await((r, ct) =>
                {
                    r.Verbose($"Checking policy '{action.Name}' against the account ({action.Kind}).");
                    return service.ValidateOnlineAsync(policy, r, cache, countBefore, ct);
                });
                checkedOnline.Add(action.Desired!);
                if (PolicyFindingWriter.Write(this, findings, action.Desired!)) failed.Add($"'{action.Name}' ({System.IO.Path.GetFileName(files[action.Desired!])})");
            }
            // A file that needs no change is not sent: that the offline checks could not check its rule group capacity (the
            // online check of a create or update does) is no concern of it. Its other findings are still written.
            foreach (var pair in offline.Where(p => !checkedOnline.Contains(p.Key)))
                PolicyFindingWriter.Write(this, pair.Value.Where(f => f.Rule != PolicyRules.WafV2CapacityNotChecked.Id), pair.Key);
            if (failed.Count > 0)
                throw Abort($"{failed.Count} policy file(s) failed the online checks ({string.Join(", ", failed)}; see the errors above); nothing was changed.");
        }

        private void Apply(PolicyService service, SyncAction action)
        {
            var type = (action.Desired ?? action.Deployed)!.TypeName;
            var differences = action.Diff?.Differences ?? (IReadOnlyList<PolicyDifference>)new PolicyDifference[0];
            if (action.Kind == SyncActionKind.Unchanged)
            {
                WriteObject(new PolicySyncResult(action.Kind, action.Name, action.PolicyId, type, PolicySyncStatus.Unchanged, differences, "The deployed policy matches its file."));
                return;
            }
            string target;
            string message;
            switch (action.Kind)
            {
                case SyncActionKind.Create:
                    target = PolicyService.Target(action.Desired!);
                    message = PolicyService.DescribeCreate(action.Desired!);
                    break;
                case SyncActionKind.Update:
                    target = PolicyService.Target(action.Deployed!);
                    message = $"Update {type} policy: {action.Diff}";
                    break;
                default:
                    target = PolicyService.Target(action.Deployed!);
                    message = $"Delete {type} policy (no file describes it)" + (DeleteAllPolicyResources.IsPresent ? " and everything FMS created for it" : "");
                    break;
            }
            if (!ShouldProcess(target, message))
            {
                WriteObject(new PolicySyncResult(action.Kind, action.Name, action.PolicyId, type, PolicySyncStatus.NotApplied, differences, message));
                return;
            }
            string? policyId = action.PolicyId;
            var done = TryItem(target, () =>
            {
                switch (action.Kind)
                {
                    case SyncActionKind.Create:
                        policyId = Await((r, ct) => service.CreateAsync(action.PolicyToPut()!, ct)).PolicyId;
                        break;
                    case SyncActionKind.Update:
                        Await((r, ct) => service.UpdateAsync(action.PolicyToPut()!, action.Deployed!, ct));
                        break;
                    default:
                        Await((r, ct) => service.DeleteAsync(action.Deployed!.PolicyId!, DeleteAllPolicyResources.IsPresent, ct));
                        break;
                }
            });
            WriteObject(new PolicySyncResult(action.Kind, action.Name, policyId, type, done ? PolicySyncStatus.Applied : PolicySyncStatus.Failed, differences, message));
        }

        private static FmsTerminatingException Abort(string message)
            => new FmsTerminatingException(new FmsError("SyncAborted", FmsErrorCategory.InvalidData, message,
                recommendedAction: "Fix the files (Test-FmsPolicy -Path shows every finding) and run Sync-FmsPolicy again."));
    }
}
