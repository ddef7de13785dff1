using FmsTools.Aws.Runtime;
using FmsTools.Engine.Policies;

namespace FmsTools.Engine.History
{
    /// <summary>One policy change as <see cref="PolicyOperations.PolicyService"/> saw it, before it becomes a journal entry.</summary>
    public sealed class PolicyChange
    {
        public string Operation { get; set; } = string.Empty;
        public string? PolicyId { get; set; }
        public string? Region { get; set; }
        public FmsPolicy? Before { get; set; }
        public FmsPolicy? After { get; set; }

        /// <summary>The service request id of the call, when it answered (failures carry it in <see cref="Error"/> as well).</summary>
        public string? RequestId { get; set; }

        /// <summary>The failure, when the call failed.</summary>
        public Exception? Error { get; set; }
    }

    /// <summary>
    /// One change of anything other than a policy (apps or protocols list, resource set, its resources, notification
    /// channel, administrator, tags) with its documents already written (see <see cref="ChangeDocuments"/>).
    /// </summary>
    public sealed class ChangeRecord
    {
        public ChangeTargetType TargetType { get; set; }
        public string Operation { get; set; } = string.Empty;
        public string? TargetId { get; set; }
        public string? TargetName { get; set; }
        public string? Region { get; set; }
        public string? BeforeDocument { get; set; }

        /// <summary>What the change left; for a failure, what was attempted.</summary>
        public string? AfterDocument { get; set; }

        public string? RequestId { get; set; }

        /// <summary>The account the change was made in, when not the caller's own (an EC2 change in a member account); null: the caller's.</summary>
        public string? Account { get; set; }

        /// <summary>The failure, when the call failed or its outcome is unknown.</summary>
        public Exception? Error { get; set; }

        /// <summary>For a call that succeeded but applied only part of a batch: what it could not apply.</summary>
        public string? PartialFailure { get; set; }

        /// <summary>True when the call succeeded but applied none of its batch.</summary>
        public bool NothingApplied { get; set; }
    }

    /// <summary>Where the services report every state-changing call they send (and how each ended).</summary>
    public interface IChangeJournal
    {
        Task RecordAsync(PolicyChange change, CancellationToken ct);

        Task RecordAsync(ChangeRecord change, CancellationToken ct);
    }

    /// <summary>
    /// Turns changes into journal entries: stamps id, UTC time and the caller (read once per journal through the
    /// caller-identity delegate), writes policy documents with the policy-as-code serializer and appends to the store.
    /// </summary>
    public sealed class ChangeJournal : IChangeJournal
    {
        private readonly ChangeJournalStore _store;
        private readonly Func<CancellationToken, Task<(string? Arn, string? Account)>> _callerIdentity;
        private readonly string? _policyOperationOverride;
        private Task<(string? Arn, string? Account)>? _caller;
        private readonly object _gate = new object();

        public ChangeJournal(ChangeJournalStore store, Func<CancellationToken, Task<(string? Arn, string? Account)>> callerIdentity)
            : this(store, callerIdentity, null)
        {
        }

        private ChangeJournal(ChangeJournalStore store, Func<CancellationToken, Task<(string? Arn, string? Account)>> callerIdentity, string? policyOperationOverride)
        {
            _store = store ?? throw new ArgumentNullException(nameof(store));
            _callerIdentity = callerIdentity ?? throw new ArgumentNullException(nameof(callerIdentity));
            _policyOperationOverride = policyOperationOverride;
        }

        public ChangeJournalStore Store => _store;

        /// <summary>
        /// The same journal recording every policy change under <paramref name="operation"/> (Restore-FmsPolicy's puts are
        /// "Restore"); other targets (such as the policy's tags) keep their own operation.
        /// </summary>
        public ChangeJournal As(string operation)
        {
            var copy = new ChangeJournal(_store, _callerIdentity, operation);
            lock (_gate) copy._caller = _caller;
            return copy;
        }

        public async Task RecordAsync(PolicyChange change, CancellationToken ct)
        {
            if (change == null) throw new ArgumentNullException(nameof(change));
            var named = change.After ?? change.Before;
            var policyId = change.After?.PolicyId ?? change.PolicyId ?? change.Before?.PolicyId;
            var entry = await NewEntryAsync(ct).ConfigureAwait(false);
            entry.Operation = _policyOperationOverride ?? change.Operation;
            entry.TargetTypeValue = ChangeTargetType.Policy;
            entry.TargetId = policyId;
            entry.TargetName = named?.Name;
            entry.PolicyId = policyId;
            entry.PolicyName = named?.Name;
            entry.PolicyType = named?.TypeName;
            entry.Region = named?.Region ?? change.Region;
            entry.BeforeDocument = Document(change.Before);
            // For a failure this is what was attempted, kept for the record; it never counts as a version.
            entry.AfterDocument = Document(change.After);
            SetOutcome(entry, change.Error, change.RequestId);
            await _store.AppendAsync(entry, ct).ConfigureAwait(false);
        }

        public async Task RecordAsync(ChangeRecord change, CancellationToken ct)
        {
            if (change == null) throw new ArgumentNullException(nameof(change));
            var entry = await NewEntryAsync(ct).ConfigureAwait(false);
            entry.Operation = change.Operation;
            entry.TargetTypeValue = change.TargetType;
            entry.TargetId = change.TargetId;
            entry.TargetName = change.TargetName;
            entry.Region = change.Region;
            entry.BeforeDocument = change.BeforeDocument;
            entry.AfterDocument = change.AfterDocument;
            if (!string.IsNullOrEmpty(change.Account)) entry.Account = change.Account;
            SetOutcome(entry, change.Error, change.RequestId);
            if (change.Error == null && change.PartialFailure != null)
            {
                entry.Error = change.PartialFailure;
                if (change.NothingApplied) entry.OutcomeValue = ChangeOutcome.Failed;
            }
            await _store.AppendAsync(entry, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Succeeded, Failed, or Unknown when the request may have reached the service without an answer coming back
        /// (a lost connection after sending, a timeout, a cancellation): the change may or may not have been applied.
        /// </summary>
        public static ChangeOutcome OutcomeOf(Exception? error)
        {
            if (error == null) return ChangeOutcome.Succeeded;
            if (error is AwsTransportException transport) return transport.MayHaveBeenApplied ? ChangeOutcome.Unknown : ChangeOutcome.Failed;
            if (error is TimeoutException || error is OperationCanceledException) return ChangeOutcome.Unknown;
            return ChangeOutcome.Failed;
        }

        private static void SetOutcome(FmsChangeEntry entry, Exception? error, string? requestId)
        {
            entry.OutcomeValue = OutcomeOf(error);
            var service = error as AwsServiceException;
            entry.RequestId = service?.RequestId ?? requestId;
            if (error != null) entry.Error = service == null ? error.Message : service.ErrorCode + ": " + service.Message;
        }

        private async Task<FmsChangeEntry> NewEntryAsync(CancellationToken ct)
        {
            var (arn, account) = await CallerAsync().ConfigureAwait(false);
            return new FmsChangeEntry { Id = Guid.NewGuid().ToString("N"), Time = DateTime.UtcNow, CallerArn = arn, Account = account };
        }

        /// <summary>
        /// The one read of the caller, shared by every record of this journal. It is not tied to the token of the record that
        /// happens to start it: a concurrent record (such as that of a cancelled call, which is written with no token) would
        /// otherwise fail with the first record's cancellation and its entry be lost.
        /// </summary>
        private Task<(string? Arn, string? Account)> CallerAsync()
        {
            lock (_gate)
            {
                if (_caller == null || _caller.IsFaulted || _caller.IsCanceled) _caller = ReadCallerAsync();
                return _caller;
            }
        }

        private async Task<(string? Arn, string? Account)> ReadCallerAsync()
        {
            try
            {
                return await _callerIdentity(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                // A change is recorded even when the identity cannot be read; the caller stays unknown.
                return (null, null);
            }
        }

        private static string? Document(FmsPolicy? policy)
            => policy?.Settings == null ? null : PolicyDocumentSerializer.Write(policy);
    }

    /// <summary>
    /// How the services write to a journal: a failure to write after a successful call is reported as
    /// ChangeJournalWriteFailed, saying the change itself was made, so the journal never hides an AWS change; when the
    /// call itself failed (or its outcome is unknown) that error is what the caller sees.
    /// </summary>
    public static class ChangeRecorder
    {
        // The call has been sent: a successful one was applied and a cancelled or failed one may have been, so its record is
        // written even when the command is being stopped (a local append of one line): the command's token (ct) stops the
        // command, not the record of what it already did, and is not passed on.

        public static Task RecordAsync(IChangeJournal? journal, PolicyChange change, CancellationToken ct)
            => RecordAsync(journal, change.Operation, "policy " + change.PolicyId, change.PolicyId, change.Error, j => j.RecordAsync(change, CancellationToken.None));

        public static Task RecordAsync(IChangeJournal? journal, ChangeRecord change, CancellationToken ct)
            => RecordAsync(journal, change.Operation, Describe(change), change.TargetId, change.Error, j => j.RecordAsync(change, CancellationToken.None));

        private static async Task RecordAsync(IChangeJournal? journal, string operation, string target, string? targetId, Exception? error,
            Func<IChangeJournal, Task> record)
        {
            if (journal == null) return;
            try
            {
                await record(journal).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                if (error != null) return; // the call's own failure is what the caller needs to see
                throw new FmsItemException(new FmsError("ChangeJournalWriteFailed", FmsErrorCategory.WriteError,
                    $"{operation} of {target} succeeded, but the change journal could not be written: {e.Message}", targetId, e,
                    "Check that the journal folder ($env:" + ChangeJournalStore.EnvironmentVariable + ") is writable."));
            }
        }

        private static string Describe(ChangeRecord change)
        {
            var kind = change.TargetType switch
            {
                ChangeTargetType.AppsList => "apps list",
                ChangeTargetType.ProtocolsList => "protocols list",
                ChangeTargetType.ResourceSet => "resource set",
                ChangeTargetType.NotificationChannel => "the notification channel",
                ChangeTargetType.AdminAccount => "administrator",
                ChangeTargetType.Tags => "the tags of",
                _ => change.TargetType.ToString(),
            };
            return change.TargetId == null ? kind : kind + " " + change.TargetId;
        }
    }
}
