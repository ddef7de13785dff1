using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>
    /// Makes the deployed policies match a folder of policy files: creates what is missing, updates what differs and,
    /// with -DeleteMissing, deletes deployed policies that have no file. Every change is one ShouldProcess with the
    /// diff in its message, so -WhatIf prints the plan; each step is written as a PolicySyncResult.
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
        public SwitchParameter Recurse { get => new SwitchParameter(RecurseFlag); set => RecurseFlag = value.IsPresent; }

        /// <summary>-Recurse as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool RecurseFlag { get; set; }

        /// <summary>Delete deployed policies that no file describes.</summary>
        [Parameter]
        public SwitchParameter DeleteMissing { get => new SwitchParameter(DeleteMissingFlag); set => DeleteMissingFlag = value.IsPresent; }

        /// <summary>-DeleteMissing as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool DeleteMissingFlag { get; set; }

        /// <summary>With -DeleteMissing: also clean up what FMS created for the deleted policies.</summary>
        [Parameter]
        public SwitchParameter DeleteAllPolicyResources { get => new SwitchParameter(DeleteAllPolicyResourcesFlag); set => DeleteAllPolicyResourcesFlag = value.IsPresent; }

        /// <summary>-DeleteAllPolicyResources as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool DeleteAllPolicyResourcesFlag { get; set; }

        protected override void ProcessCore()
        {
            // Everything is read and checked before the first call: a file that cannot be read must never turn into a
            // deletion of the policy it described.
            using var progress = new CmdletProgress(CommandHost.WriteProgress, ProgressActivity.SyncPolicies, "Synchronizing Firewall Manager policies", "policies");
            progress.Status("Reading policy files");
            var reads = PolicyFileReader.Read(CommandHost, Path!, RecurseFlag, out var pathErrors);
            var badFiles = reads.Count(r => r.Policy == null);
            if (pathErrors > 0 || badFiles > 0)
                throw Abort($"{badFiles + pathErrors} path(s) or file(s) could not be read (see the errors above); nothing was changed.");
            if (reads.Count == 0)
                throw Abort("No *.fmspolicy.json files were found; nothing was changed (an empty folder never deletes policies).");

            var region = Session.Region;
            var desired = reads.Select(r => r.Policy!).ToList();
            var invalid = 0;
            foreach (var policy in desired)
            {
                policy.Region ??= region;
                if (PolicyFindingWriter.Write(CommandHost, PolicyService.ValidateOffline(policy, region), policy)) invalid++;
            }
            if (invalid > 0) throw Abort($"{invalid} policy file(s) failed validation (see the errors above); nothing was changed.");

            var service = NewPolicyService(region);
            progress.Status($"Read {desired.Count} policy file(s); reading the deployed policies");
            var deployed = Await((r, ct) =>
            {
                r.Verbose("Reading the deployed policies.");
                return service.GetAllDetailedAsync(ct);
            });
            var plan = SyncPlanner.Plan(desired, deployed, DeleteMissingFlag);
            CommandHost.WriteVerbose("Plan: " + plan);
            foreach (var issue in plan.Issues)
                WriteFmsError(new FmsError(issue.Code, FmsErrorCategory.InvalidOperation, issue.Message, issue.Name));
            foreach (var policy in plan.Unmanaged)
                CommandHost.WriteVerbose($"Left alone: deployed policy '{policy.Name}' ({policy.PolicyId}) has no file" + (DeleteMissingFlag ? "." : "; use -DeleteMissing to delete such policies."));

            progress.SetTotal(plan.Actions.Count);
            foreach (var action in plan.Actions)
            {
                Apply(service, action);
                progress.Step($"{action.Kind} {action.Name}");
            }
        }

        private void Apply(PolicyService service, SyncAction action)
        {
            var type = (action.Desired ?? action.Deployed)!.TypeName;
            var differences = action.Diff?.Differences ?? (IReadOnlyList<PolicyDifference>)new PolicyDifference[0];
            if (action.Kind == SyncActionKind.Unchanged)
            {
                CommandHost.WriteObject(new PolicySyncResult(action.Kind, action.Name, action.PolicyId, type, PolicySyncStatus.Unchanged, differences, "The deployed policy matches its file."));
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
                    message = $"Delete {type} policy (no file describes it)" + (DeleteAllPolicyResourcesFlag ? " and everything FMS created for it" : "");
                    break;
            }
            if (!CommandHost.ShouldProcess(target, message))
            {
                CommandHost.WriteObject(new PolicySyncResult(action.Kind, action.Name, action.PolicyId, type, PolicySyncStatus.NotApplied, differences, message));
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
                        Await((r, ct) => service.DeleteAsync(action.Deployed!.PolicyId!, DeleteAllPolicyResourcesFlag, ct));
                        break;
                }
            });
            CommandHost.WriteObject(new PolicySyncResult(action.Kind, action.Name, policyId, type, done ? PolicySyncStatus.Applied : PolicySyncStatus.Failed, differences, message));
        }

        private static FmsTerminatingException Abort(string message)
            => new FmsTerminatingException(new FmsError("SyncAborted", FmsErrorCategory.InvalidData, message,
                recommendedAction: "Fix the files (Test-FmsPolicy -Path shows every finding) and run Sync-FmsPolicy again."));
    }
}
