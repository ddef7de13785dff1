using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Configuration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Infrastructure;

namespace FmsTools.Commands
{
    /// <summary>
    /// Makes the live Firewall Manager configuration match a configuration folder, across kinds, in one plan applied in
    /// dependency order: resource sets, lists, notification channels and administrators first, then policies (SyncPlanner,
    /// as Sync-FmsPolicy), with resource set names resolved to ids at apply time (a set created by this run included),
    /// then the deletes (-DeleteMissing) of what the policies stopped referencing. The folder is checked offline and every
    /// policy to create or update online (WAF capacity, rule names, the policy quota), and the quotas on custom lists and
    /// resource sets for the whole plan, before the first change. Each change
    /// is a ShouldProcess naming what changes, journaled, and sent with the update token it was read with. Administrator
    /// accounts are applied only through -ManagementConnection; otherwise they are reported NotApplied.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "FmsConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FmsConfigurationSyncResult))]
    public sealed class SyncFmsConfiguration : FmsConfigurationCmdlet
    {
        /// <summary>Delete live objects (policies, lists, resource sets, notification channels) that no file describes.</summary>
        [Parameter]
        public SwitchParameter DeleteMissing { get; set; }

        protected override void EndCore()
        {
            using var progress = new CmdletProgress(WriteFmsProgress, ProgressActivity.SyncConfiguration, "Synchronizing the Firewall Manager configuration", "objects");
            progress.Status("Reading the configuration folder and the live configuration");
            var state = ReadState("changed");
            // As Sync-FmsPolicy: a Region with no file never turns into deleting everything in it.
            var empty = DeleteMissing.IsPresent ? state.Regions.Where(r => state.CountIn(r) == 0).ToList() : new List<string>();
            if (empty.Count > 0)
                throw new FmsTerminatingException(new FmsError("SyncAborted", FmsErrorCategory.InvalidData,
                    $"The folder describes nothing in {string.Join(", ", empty)} (of the kinds taking part); with -DeleteMissing that would delete everything there, so nothing was changed.",
                    recommendedAction: "Export that Region first, or leave it out with -Region or -Kind."));
            var live = state.Live.Where(i => i.KindValue != ConfigurationKind.AdminAccount || state.AdminsRead).ToList();
            var plan = ConfigurationSyncPlan.Create(state.Desired, live, DeleteMissing.IsPresent, state.AdminsRead);
            WriteVerbose("Plan: " + plan);
            foreach (var issue in plan.Issues)
                WriteFmsError(new FmsError(issue.Code, FmsErrorCategory.InvalidOperation, issue.Message, issue.Name));

            progress.Status("Checking the whole plan against the account (list, resource set and administrator quotas, WAF capacity, rule names, policy quota)");
            CheckQuotas(plan, live);
            CheckOnline(plan, state);

            progress.SetTotal(plan.Steps.Count);
            var results = new List<FmsConfigurationSyncResult>();
            var appliers = new Dictionary<string, ConfigurationApplier>();
            foreach (var step in plan.Steps)
            {
                var result = Apply(step, state, appliers);
                results.Add(result);
                WriteObject(result);
                progress.Step(step.ToString());
            }
            var failed = results.Count(r => r.StatusValue == PolicySyncStatus.Failed);
            if (failed > 0)
                WriteWarning($"{failed} change(s) failed; {results.Count(r => r.StatusValue == PolicySyncStatus.Applied)} were applied and "
                             + $"{results.Count(r => r.StatusValue == PolicySyncStatus.NotApplied)} not applied. Fix the cause and run Sync-FmsConfiguration again: it applies only what still differs.");
        }

        /// <summary>The quotas on custom apps lists, protocols lists and resource sets per Region and on administrators per organization, for the whole plan; any excess stops the sync.</summary>
        private void CheckQuotas(ConfigurationSyncPlan plan, List<FmsConfigurationItem> live)
        {
            var violations = ConfigurationQuotas.FromEnvironment().Check(plan, live);
            foreach (var violation in violations)
                WriteFmsError(new FmsError(violation.Rule, FmsErrorCategory.QuotaExceeded, violation.Message, string.Join(", ", violation.Created),
                    recommendedAction: "Remove objects from the folder or delete live ones first, or request a higher quota (Service Quotas) and set $env:FMSTOOLS_"
                                       + QuotaVariable(violation.Kind) + "_QUOTA."));
            if (violations.Count > 0)
                throw new FmsTerminatingException(new FmsError("SyncAborted", FmsErrorCategory.QuotaExceeded,
                    $"The plan exceeds {violations.Count} Firewall Manager quota(s) (see the errors above); nothing was changed."));
        }

        private static string QuotaVariable(ConfigurationKind kind) => kind switch
        {
            ConfigurationKind.ResourceSet => "RESOURCE_SET",
            ConfigurationKind.AppsList => "APPS_LIST",
            ConfigurationKind.AdminAccount => "ADMINISTRATOR",
            _ => "PROTOCOLS_LIST",
        };

        /// <summary>The online checks of every policy to create or update, before the first change; any error stops the sync.</summary>
        private void CheckOnline(ConfigurationSyncPlan plan, ConfigurationState state)
        {
            var failed = new List<string>();
            var caches = new Dictionary<string, OnlineValidationCache>();
            foreach (var step in plan.Steps.Where(s => s.Kind == ConfigurationKind.Policy && (s.Action == SyncActionKind.Create || s.Action == SyncActionKind.Update)))
            {
                var region = step.Region!;
                InRegion(region, () =>
                {
                    if (!caches.TryGetValue(region, out var cache)) caches[region] = cache = new OnlineValidationCache();
                    var service = new PolicyService(Session.Fms, Session.Wafv2, region);
                    // A resource set this run creates has no id yet: a well-formed placeholder stands in for the checks.
                    var policy = ConfigurationSyncPlan.PolicyToPut(step, state.ResourceSetIds[region], "configurationPlaceholder".PadRight(22, 'x'));
                    var findings = Await((r, ct) =>
                    {
                        r.Verbose($"Checking policy '{step.Name}' in {region} against the account ({step.Action}).");
                        return service.ValidateOnlineAsync(policy, r, cache, step.PolicyAction!.PoliciesBefore, ct);
                    });
                    if (PolicyFindingWriter.Write(this, findings.Where(f => !f.Field.StartsWith("Scope.ResourceSetIds", System.StringComparison.Ordinal)).ToList(), policy))
                        failed.Add($"'{step.Name}' ({step.Desired!.File})");
                    return 0;
                });
            }
            if (failed.Count > 0)
                throw new FmsTerminatingException(new FmsError("SyncAborted", FmsErrorCategory.InvalidData,
                    $"{failed.Count} policy file(s) failed the online checks ({string.Join(", ", failed)}; see the errors above); nothing was changed.",
                    recommendedAction: "Fix the files (Test-FmsConfiguration -Path -Online shows every finding) and run Sync-FmsConfiguration again."));
        }

        private FmsConfigurationSyncResult Apply(ConfigurationStep step, ConfigurationState state, Dictionary<string, ConfigurationApplier> appliers)
        {
            var message = ConfigurationSyncPlan.Describe(step);
            var result = new FmsConfigurationSyncResult
            {
                ActionValue = step.Action, KindValue = step.Kind, Region = step.Region, Name = step.Name, Id = step.Deployed?.Id,
                Differences = step.Differences, Message = message, StatusValue = PolicySyncStatus.Unchanged,
            };
            if (step.Action == SyncActionKind.Unchanged) return result;
            if (step.NotApplicable != null)
            {
                WriteWarning($"Not applied: {message}: {step.NotApplicable}.");
                result.StatusValue = PolicySyncStatus.NotApplied;
                result.Message = message + " (not applied: " + step.NotApplicable + ")";
                return result;
            }
            var target = ConfigurationSyncPlan.Noun(step.Kind) + " '" + step.Name + "'" + (step.Region == null ? "" : " in " + step.Region) + (step.Deployed?.Id == null ? "" : " (" + step.Deployed.Id + ")");
            if (!ShouldProcess(target, message))
            {
                result.StatusValue = PolicySyncStatus.NotApplied;
                return result;
            }
            var region = step.Region ?? state.AdminRegion;
            var applier = Applier(step, state, region, appliers);
            string? id = null;
            var done = TryItem(target, () => id = InRegion(region, () => Await((r, ct) => applier.ApplyAsync(step, ct))));
            result.StatusValue = done ? PolicySyncStatus.Applied : PolicySyncStatus.Failed;
            if (done) result.Id = id ?? result.Id;
            return result;
        }

        private ConfigurationApplier Applier(ConfigurationStep step, ConfigurationState state, string region, Dictionary<string, ConfigurationApplier> appliers)
        {
            if (step.Kind == ConfigurationKind.AdminAccount)
            {
                var management = state.ManagementSession!;
                return new ConfigurationApplier(new PolicyService(management.Fms, management.Wafv2, region),
                    new AdministrationContext(management.Fms, region, OpenJournal(management)), new Dictionary<string, string>());
            }
            if (appliers.TryGetValue(region, out var applier)) return applier;
            return appliers[region] = InRegion(region, () =>
            {
                if (!state.ResourceSetIds.TryGetValue(region, out var ids)) state.ResourceSetIds[region] = ids = new Dictionary<string, string>(System.StringComparer.Ordinal);
                return new ConfigurationApplier(NewPolicyService(region), NewAdministrationContext(), ids);
            });
        }
    }
}
