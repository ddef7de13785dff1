using FmsTools.Engine.History;

namespace FmsTools.Commands
{
    /// <summary>
    /// Reads the local change journal: every change FmsTools sent (policies, apps and protocols lists, resource sets and
    /// their resources, the notification channel, administrators, tags), with who, when, where, the outcome and the
    /// document before and after. Reads files only; calls no service.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FmsChangeHistory")]
    [OutputType(typeof(FmsChangeEntry))]
    public sealed class GetFmsChangeHistory : FmsCmdlet
    {
        [ValidateFmsId(IdentifierKind.PolicyId)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsJournalPolicyIdCompleter))]
        public string[]? PolicyId { get; set; }

        /// <summary>Policy names; wildcards allowed.</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsJournalPolicyNameCompleter))]
        public string[]? PolicyName { get; set; }

        /// <summary>Entries at or after this time (local times are converted to UTC).</summary>
        [Parameter]
        public DateTime? Since { get; set; }

        /// <summary>Entries at or before this time.</summary>
        [Parameter]
        public DateTime? Until { get; set; }

        /// <summary>Caller ARNs; wildcards allowed (e.g. '*:assumed-role/Deploy/*').</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsJournalCallerCompleter))]
        public string[]? Caller { get; set; }

        [Parameter]
        [ValidateSet(ChangeOperations.CreatePolicy, ChangeOperations.UpdatePolicy, ChangeOperations.DeletePolicy, ChangeOperations.Restore,
            ChangeOperations.CreateAppsList, ChangeOperations.UpdateAppsList, ChangeOperations.DeleteAppsList,
            ChangeOperations.CreateProtocolsList, ChangeOperations.UpdateProtocolsList, ChangeOperations.DeleteProtocolsList,
            ChangeOperations.CreateResourceSet, ChangeOperations.UpdateResourceSet, ChangeOperations.DeleteResourceSet,
            ChangeOperations.AssociateResources, ChangeOperations.DisassociateResources,
            ChangeOperations.SetNotificationChannel, ChangeOperations.DeleteNotificationChannel,
            ChangeOperations.AssociateAdminAccount, ChangeOperations.PutAdminAccount, ChangeOperations.DisassociateAdminAccount,
            ChangeOperations.TagResource, ChangeOperations.UntagResource,
            ChangeOperations.CreateRoute, ChangeOperations.ReplaceRoute, ChangeOperations.DeleteRoute, ChangeOperations.CreateRouteTable, ChangeOperations.DeleteRouteTable,
            ChangeOperations.ReplaceRouteTableAssociation, ChangeOperations.AssociateRouteTable, ChangeOperations.DisassociateRouteTable, ChangeOperations.CreateNetworkAcl,
            ChangeOperations.DeleteNetworkAcl, ChangeOperations.CreateNetworkAclEntry, ChangeOperations.DeleteNetworkAclEntry, ChangeOperations.ReplaceNetworkAclAssociation)]
        public string[]? Operation { get; set; }

        /// <summary>Only changes of these kinds of object (Policy, AppsList, ProtocolsList, ResourceSet, NotificationChannel, AdminAccount, Tags).</summary>
        [Parameter]
        public ChangeTargetType[]? TargetType { get; set; }

        /// <summary>Only changes of objects whose id or name matches; wildcards allowed (e.g. a list id, a resource set name, a tagged ARN).</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsJournalTargetCompleter))]
        public string[]? Target { get; set; }

        /// <summary>The journal folder; by default $env:FMSTOOLS_JOURNAL, else the FmsTools folder in local application data.</summary>
        [Parameter]
        public string? JournalPath { get; set; }

        private readonly HashSet<string> _written = new HashSet<string>(StringComparer.Ordinal);
        private List<FmsChangeEntry>? _entries;

        protected override void ProcessCore()
        {
            var entries = _entries ??= Await((r, ct) => Store().ReadAllAsync(r.Warning, ct));
            var names = Patterns(PolicyName);
            var callers = Patterns(Caller);
            var targets = Patterns(Target);
            var since = Since?.ToUniversalTime();
            var until = Until?.ToUniversalTime();
            foreach (var entry in entries)
            {
                if (PolicyId != null && PolicyId.Length > 0 && !PolicyId.Contains(entry.PolicyId ?? string.Empty, StringComparer.Ordinal)) continue;
                if (names != null && (entry.PolicyName == null || !Wildcard.MatchesAny(entry.PolicyName, names))) continue;
                if (callers != null && !Wildcard.MatchesAny(entry.CallerArn ?? string.Empty, callers)) continue;
                if (Operation != null && Operation.Length > 0 && !Operation.Contains(entry.Operation, StringComparer.OrdinalIgnoreCase)) continue;
                if (TargetType != null && TargetType.Length > 0 && !TargetType.Contains(entry.TargetTypeValue)) continue;
                if (targets != null && !Wildcard.MatchesAny(entry.TargetId ?? string.Empty, targets) && !Wildcard.MatchesAny(entry.TargetName ?? string.Empty, targets)) continue;
                if (since != null && entry.Time < since.Value) continue;
                if (until != null && entry.Time > until.Value) continue;
                // Several piped ids may select the same entry only once.
                if (_written.Add(entry.Id)) WriteObject(entry);
            }
        }

        private ChangeJournalStore Store()
        {
            var folder = JournalPath ?? ChangeJournalStore.DefaultFolder();
            if (folder == null)
                throw new FmsTerminatingException(new FmsError("ChangeJournalOff",
                    FmsErrorCategory.ObjectNotFound,
                    "The change journal is turned off ($env:" + ChangeJournalStore.EnvironmentVariable + " = 'off'); pass -JournalPath to read one.", null));
            return new ChangeJournalStore(ResolvePath(folder));
        }
    }
}
