using System.Globalization;
using FmsTools.Engine.History;
using FmsTools.Engine.PolicyOperations;

namespace FmsTools.Commands
{
    /// <summary>
    /// Puts a policy back to a version recorded in the change journal: a piped entry, version N of a policy, or the
    /// version in force at a time. The deployed policy is read for its current token and compared; -WhatIf shows the
    /// differences and sends nothing. A deleted policy is created again (with a new PolicyId). The restore is journaled as "Restore".
    /// </summary>
    [Cmdlet(VerbsData.Restore, "FmsPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = EntrySet)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class RestoreFmsPolicy : FmsConnectedCmdlet
    {
        private const string EntrySet = "Entry";
        private const string VersionSet = "Version";
        private const string AsOfSet = "AsOf";

        /// <summary>A journal entry (Get-FmsChangeHistory output); its resulting document, or for a delete the deleted policy, is restored.</summary>
        [Parameter(ParameterSetName = EntrySet, Mandatory = true, ValueFromPipeline = true)]
        public FmsChangeEntry? Entry { get; set; }

        [ValidateFmsId(IdentifierKind.PolicyId)]
        [Parameter(ParameterSetName = VersionSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = AsOfSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsRestorablePolicyIdCompleter))]
        public string? PolicyId { get; set; }

        /// <summary>The recorded version number of the policy (the Version column of Get-FmsChangeHistory, 1 = oldest).</summary>
        [Parameter(ParameterSetName = VersionSet, Mandatory = true)]
        [ValidateRange(1, int.MaxValue)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsRestoreVersionCompleter))]
        public int Version { get; set; }

        /// <summary>Restores the latest version recorded at or before this time.</summary>
        [Parameter(ParameterSetName = AsOfSet, Mandatory = true)]
        public DateTime AsOf { get; set; }

        /// <summary>The journal folder to read versions from and record the restore in.</summary>
        [Parameter]
        public string? JournalPath { get; set; }

        /// <summary>Writes the restored policy as stored by the service.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>A piped journal entry is restored in the Region it records.</summary>
        protected override string? InputRegion => Entry?.Region;

        protected override void ProcessCore()
        {
            TryItem(Entry?.PolicyId ?? Entry?.TargetId ?? PolicyId, () =>
            {
                if (Entry != null && Entry.TargetTypeValue != ChangeTargetType.Policy)
                    throw new FmsItemException(new FmsError("ChangeEntryNotAPolicy", FmsErrorCategory.InvalidArgument,
                        $"Journal entry {Entry.Id} records {Entry.Operation} of {Entry.TargetType} '{Entry.TargetName ?? Entry.TargetId}'; Restore-FmsPolicy restores policies only.",
                        Entry, recommendedAction: "Its BeforeDocument and AfterDocument hold the state before and after; apply one with the matching Set- cmdlet."));
                if (JournalPath != null) JournalFolder = ResolvePath(JournalPath);
                var entry = Entry ?? FindEntry();
                var document = entry.RecordedDocument
                    ?? throw new FmsItemException(new FmsError("ChangeEntryHasNoVersion", FmsErrorCategory.InvalidArgument,
                        $"Journal entry {entry.Id} ({entry.Operation}, {entry.Outcome}) recorded no policy version to restore.", entry));
                var read = PolicyDocumentSerializer.Read("journal entry " + entry.Id, document);
                if (!read.Success) throw new FmsItemException(read.Errors.First().ToFmsError());
                var desired = read.Policy!;

                if (entry.Region != null && !string.Equals(entry.Region, Session.Region, StringComparison.Ordinal))
                    throw new FmsItemException(new FmsError("ChangeEntryRegionMismatch", FmsErrorCategory.InvalidArgument,
                        $"Journal entry {entry.Id} is for policy '{entry.PolicyName}' in {entry.Region}, but this command calls {Session.Region}.", entry,
                        recommendedAction: "Pass -Region " + entry.Region + "."));
                var service = NewPolicyService();
                if (service.Journal is ChangeJournal journal) service.Journal = journal.As(ChangeOperations.Restore);
                var current = ReadDeployed(service, desired.PolicyId);
                FmsPolicy stored;
                if (current == null)
                {
                    var recreate = $"Recreate deleted {desired.TypeName} policy '{desired.Name}' as recorded at {entry.Time.ToString("u", CultureInfo.InvariantCulture)} (it gets a new PolicyId)";
                    if (!ShouldProcess(PolicyService.Target(desired), recreate)) return;
                    desired.PolicyId = null;
                    desired.UpdateToken = null;
                    stored = Await((r, ct) => service.CreateAsync(desired, ct));
                }
                else
                {
                    var diff = PolicyComparer.Compare(desired, current);
                    if (diff.IsEqual)
                    {
                        WriteVerbose($"Policy '{current.Name}' ({current.PolicyId}) already equals version {entry.Version} recorded at {entry.Time:u}; nothing to restore.");
                        if (PassThru.IsPresent) WriteObject(current);
                        return;
                    }
                    var action = $"Restore to the version recorded at {entry.Time.ToString("u", CultureInfo.InvariantCulture)} (deployed -> restored): "
                                 + string.Join("; ", diff.Differences.Select(d => d.ToString()));
                    if (!ShouldProcess(PolicyService.Target(current), action)) return;
                    desired.PolicyId = current.PolicyId;
                    desired.UpdateToken = null; // the token just read (current) is sent
                    stored = Await((r, ct) => service.UpdateAsync(desired, current, ct));
                }
                WriteVerbose($"Restored policy '{stored.Name}' ({stored.PolicyId}).");
                if (PassThru.IsPresent) WriteObject(stored);
            });
        }

        private FmsPolicy? ReadDeployed(PolicyService service, string? policyId)
        {
            if (string.IsNullOrEmpty(policyId)) return null;
            return Await((r, ct) => service.FindPolicyAsync(policyId!, ct));
        }

        private FmsChangeEntry FindEntry()
        {
            var folder = JournalFolder ?? ChangeJournalStore.DefaultFolder()
                ?? throw new FmsTerminatingException(new FmsError("ChangeJournalOff", FmsErrorCategory.ObjectNotFound,
                    "The change journal is turned off ($env:" + ChangeJournalStore.EnvironmentVariable + " = 'off'); pass -JournalPath.", null));
            var entries = Await((r, ct) => new ChangeJournalStore(folder).ReadAllAsync(r.Warning, ct))
                .Where(e => e.Version > 0 && e.TargetTypeValue == ChangeTargetType.Policy && string.Equals(e.PolicyId, PolicyId, StringComparison.Ordinal)).ToList();
            var byVersion = Version > 0;
            var chosen = byVersion
                ? entries.FirstOrDefault(e => e.Version == Version)
                : entries.LastOrDefault(e => e.Time <= AsOf.ToUniversalTime());
            return chosen ?? throw new FmsItemException(new FmsError("PolicyVersionNotFound", FmsErrorCategory.ObjectNotFound,
                byVersion
                    ? $"The journal has {entries.Count} version(s) of policy {PolicyId}; there is no version {Version}."
                    : $"The journal has no version of policy {PolicyId} recorded at or before {AsOf.ToUniversalTime():u}.", PolicyId));
        }
    }
}
