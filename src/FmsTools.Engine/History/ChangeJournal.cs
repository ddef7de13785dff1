using System;
using System.Threading;
using System.Threading.Tasks;
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

        /// <summary>The failure, when the call failed.</summary>
        public Exception? Error { get; set; }
    }

    /// <summary>Where PolicyService reports every create, update and delete it sends (and how each ended).</summary>
    public interface IChangeJournal
    {
        Task RecordAsync(PolicyChange change, CancellationToken ct);
    }

    /// <summary>
    /// Turns policy changes into journal entries: stamps id, UTC time and the caller (read once per journal through
    /// the caller-identity delegate), writes the documents with the policy-as-code serializer and appends them to the store.
    /// </summary>
    public sealed class PolicyChangeJournal : IChangeJournal
    {
        private readonly ChangeJournalStore _store;
        private readonly Func<CancellationToken, Task<(string? Arn, string? Account)>> _callerIdentity;
        private readonly string? _operationOverride;
        private Task<(string? Arn, string? Account)>? _caller;
        private readonly object _gate = new object();

        public PolicyChangeJournal(ChangeJournalStore store, Func<CancellationToken, Task<(string? Arn, string? Account)>> callerIdentity)
            : this(store, callerIdentity, null)
        {
        }

        private PolicyChangeJournal(ChangeJournalStore store, Func<CancellationToken, Task<(string? Arn, string? Account)>> callerIdentity, string? operationOverride)
        {
            _store = store ?? throw new ArgumentNullException(nameof(store));
            _callerIdentity = callerIdentity ?? throw new ArgumentNullException(nameof(callerIdentity));
            _operationOverride = operationOverride;
        }

        public ChangeJournalStore Store => _store;

        /// <summary>The same journal recording every change under <paramref name="operation"/> (Restore-FmsPolicy's puts are "Restore").</summary>
        public PolicyChangeJournal As(string operation)
        {
            var copy = new PolicyChangeJournal(_store, _callerIdentity, operation);
            lock (_gate) copy._caller = _caller;
            return copy;
        }

        public async Task RecordAsync(PolicyChange change, CancellationToken ct)
        {
            if (change == null) throw new ArgumentNullException(nameof(change));
            var (arn, account) = await CallerAsync(ct).ConfigureAwait(false);
            var named = change.After ?? change.Before;
            var entry = new FmsChangeEntry
            {
                Id = Guid.NewGuid().ToString("N"),
                Time = DateTime.UtcNow,
                CallerArn = arn,
                Account = account,
                Operation = _operationOverride ?? change.Operation,
                PolicyId = change.After?.PolicyId ?? change.PolicyId ?? change.Before?.PolicyId,
                PolicyName = named?.Name,
                PolicyType = named?.TypeName,
                Region = named?.Region ?? change.Region,
                BeforeDocument = Document(change.Before),
                // For a failure this is what was attempted, kept for the record; it never counts as a version.
                AfterDocument = Document(change.After),
                Outcome = change.Error == null ? ChangeOutcome.Succeeded : ChangeOutcome.Failed,
            };
            if (change.Error != null)
            {
                var service = change.Error as AwsServiceException;
                entry.Error = service == null ? change.Error.Message : service.ErrorCode + ": " + service.Message;
                entry.RequestId = service?.RequestId;
            }
            await _store.AppendAsync(entry, ct).ConfigureAwait(false);
        }

        private Task<(string? Arn, string? Account)> CallerAsync(CancellationToken ct)
        {
            lock (_gate)
            {
                if (_caller == null || _caller.IsFaulted || _caller.IsCanceled) _caller = ReadCallerAsync(ct);
                return _caller;
            }
        }

        private async Task<(string? Arn, string? Account)> ReadCallerAsync(CancellationToken ct)
        {
            try
            {
                return await _callerIdentity(ct).ConfigureAwait(false);
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
}
